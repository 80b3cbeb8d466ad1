package dev.vmigrate.activity;

import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.Destination;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationSpec;
import dev.vmigrate.model.PrecheckReport;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The read-only actions at the head of the queue. None changes anything in vSphere, so none has a
 * compensation and each is idempotent by construction. A blocking finding fails with a
 * non-retryable application failure of type {@code PrecheckFailed}, {@code NoDestination}, {@code
 * NoPermission} or {@code Incompatible}.
 */
@ActivityInterface
public interface AnalysisActivities {

  /**
   * Reads the VM and checks that it exists, is connected, is not a template, is not locked by
   * another migration, and reports disks kinds (RDM, independent), snapshots and CD-ROMs backed by
   * host devices. Fails non-retryably when any finding is blocking.
   */
  @ActivityMethod(name = ActivityNames.INVOKE_PRECHECKS)
  PrecheckReport invokePrechecks(MigrationContext ctx);

  /**
   * Picks the destination host, pool, folder, datastore per disk and network per NIC from the
   * mapping, honouring capacity, maintenance mode, connection state and in-flight load per host.
   */
  @ActivityMethod(name = ActivityNames.SELECT_DESTINATION)
  Destination selectDestination(MigrationContext ctx);

  /** Checks the session's privileges on the source VM and every destination entity. */
  @ActivityMethod(name = ActivityNames.CHECK_PERMISSION)
  ActionOutcome checkPermission(MigrationContext ctx);

  /**
   * Checks that the destination host sees the mapped datastores and networks, that CPU vendor and
   * hardware version fit, and that the power state fits the requested migration type.
   */
  @ActivityMethod(name = ActivityNames.CHECK_COMPATIBILITY)
  ActionOutcome checkCompatibility(MigrationContext ctx);

  /** Builds the migration spec, decides hot or cold and returns the actions to append. */
  @ActivityMethod(name = ActivityNames.COMPUTE_SPEC)
  MigrationSpec computeSpec(MigrationContext ctx);
}

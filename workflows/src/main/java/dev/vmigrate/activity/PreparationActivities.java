package dev.vmigrate.activity;

import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.MigrationContext;
import io.temporal.activity.ActivityInterface;

/** Actions that prepare the destination side before anything moves, each with its undo twin. */
@ActivityInterface
public interface PreparationActivities {

  /**
   * Reserves capacity (and the VM directory) on each destination datastore so that parallel
   * migrations cannot over-commit it. Idempotent: the reservation is keyed by migration id.
   */
  ActionOutcome reserveDirectory(MigrationContext ctx);

  /** Releases the reservation; a no-op when there is none. */
  ActionOutcome releaseDirectory(MigrationContext ctx);

  /**
   * Cross-vCenter only: prepares the VM's place in the destination vCenter (checks that no VM with
   * the same instance UUID exists there and claims the name in the destination folder). A no-op
   * within one vCenter.
   */
  ActionOutcome createInventoryVm(MigrationContext ctx);

  /** Removes what CreateInventoryVm claimed; a no-op when nothing was claimed. */
  ActionOutcome destroyInventoryVm(MigrationContext ctx);

  /** Calls the pre-migration webhooks with the VM and the spec. */
  ActionOutcome invokeCallbacks(MigrationContext ctx);

  /** Calls the rollback webhooks. */
  ActionOutcome invokeRollbackCallbacks(MigrationContext ctx);
}

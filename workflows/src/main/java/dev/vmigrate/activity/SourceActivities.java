package dev.vmigrate.activity;

import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.VmIdentity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Actions on the source side. Each reads vSphere first and skips work already done, so that a retry
 * after a timed-out call that did take effect changes nothing.
 */
@ActivityInterface
public interface SourceActivities {

  /**
   * Locks the VM (custom attribute naming the migration id) and records its origin placement on the
   * VM itself, so that a cleanup can be done from vSphere alone. Fails non-retryably when the VM is
   * locked by another migration.
   */
  @ActivityMethod(name = ActivityNames.PREPARE_SOURCE)
  ActionOutcome prepareSource(MigrationContext ctx);

  /** Removes this migration's lock; leaves a lock held by another migration alone. */
  @ActivityMethod(name = ActivityNames.UNPREPARE_SOURCE)
  ActionOutcome unprepareSource(MigrationContext ctx);

  /**
   * Submits the relocate task (host, pool, datastore per disk, NIC backings) and follows it with
   * heartbeats and progress. The task reference is kept in heartbeat details; a retry re-attaches
   * to that task instead of submitting a second one, and a VM already at its destination is not
   * relocated again.
   */
  @ActivityMethod(name = ActivityNames.INITIATE_SOURCE)
  ActionOutcome initiateSource(MigrationContext ctx);

  /** Relocates the VM back to its recorded origin; a no-op when it is already there. */
  @ActivityMethod(name = ActivityNames.REVERT_SOURCE)
  ActionOutcome revertSource(MigrationContext ctx);

  /** Verifies that the source no longer holds the VM (host, datastores) and releases it. */
  @ActivityMethod(name = ActivityNames.COMPLETE_SOURCE)
  ActionOutcome completeSource(MigrationContext ctx);

  /**
   * Shuts the guest down and, after the shutdown timeout, powers the VM off hard. A no-op for a VM
   * already powered off.
   */
  @ActivityMethod(name = ActivityNames.POWER_OFF_SOURCE)
  ActionOutcome powerOffSource(MigrationContext ctx);

  /** Powers the VM on again if its origin was powered on; a no-op otherwise. */
  @ActivityMethod(name = ActivityNames.POWER_ON_SOURCE)
  ActionOutcome powerOnSource(MigrationContext ctx);

  /** Unregisters the powered-off VM from the source inventory, keeping its files. */
  @ActivityMethod(name = ActivityNames.UNREGISTER_SOURCE_VM)
  ActionOutcome unregisterSourceVm(MigrationContext ctx);

  /**
   * Registers the VM again at its origin host, pool and folder from its .vmx path; a no-op when it
   * is registered there. Returns the VM's identity (its id may change).
   */
  @ActivityMethod(name = ActivityNames.REREGISTER_SOURCE_VM)
  VmIdentity reregisterSourceVm(MigrationContext ctx);
}

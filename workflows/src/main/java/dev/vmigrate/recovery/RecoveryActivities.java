package dev.vmigrate.recovery;

import dev.vmigrate.model.ActionOutcome;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The steps of a recovery, each on vCenter alone and idempotent like the migration's compensations
 * it reuses: every step reads the VM first (by instance UUID) and acts only on the difference.
 */
@ActivityInterface
public interface RecoveryActivities {
  String RELOCATE_TO_ORIGIN = "RecoverRelocateToOrigin";
  String RESTORE_POWER_STATE = "RecoverPowerState";
  String RECORD_RESULT = "RecoverRecordResult";
  String RELEASE_RESERVATIONS = "RecoverReleaseReservations";
  String CLEAR_MARKS = "RecoverClearMarks";

  /**
   * Puts the VM back on its origin host, pool, datastores and networks with one relocate (the
   * migration's RevertSource), re-attaching to the relocate a dead attempt left running. Does
   * nothing when the VM is already there.
   */
  @ActivityMethod(name = RELOCATE_TO_ORIGIN)
  ActionOutcome relocateToOrigin(VmRecovery r);

  /**
   * Powers the VM on when it was on at the origin and is off now (the migration's PowerOnSource).
   */
  @ActivityMethod(name = RESTORE_POWER_STATE)
  ActionOutcome restorePowerState(VmRecovery r);

  /**
   * Records the outcome in vmigrate.result: "rolled-back ID TIME" after a rollback, "migrated ID
   * TIME" when finalised, unless that is already recorded.
   */
  @ActivityMethod(name = RECORD_RESULT)
  ActionOutcome recordResult(VmRecovery r);

  /** Releases the listed reservations; one already released is skipped. */
  @ActivityMethod(name = RELEASE_RESERVATIONS)
  ActionOutcome releaseReservations(VmRecovery r);

  /**
   * Clears the lock (when the lost migration holds it) and the recorded destination; the origin
   * record and the placement mark stay, as after a migration.
   */
  @ActivityMethod(name = CLEAR_MARKS)
  ActionOutcome clearMarks(VmRecovery r);
}

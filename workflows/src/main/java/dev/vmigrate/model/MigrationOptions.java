package dev.vmigrate.model;

import java.time.Duration;
import java.util.List;

/**
 * Per-migration options, usually inherited from the plan.
 *
 * @param type hot, cold or automatic
 * @param failurePolicy hold for an operator (default) or roll back at once
 * @param verify whether to stop in VERIFYING after the move until confirmed
 * @param autoConfirmAfter confirm automatically after this long in VERIFYING; null waits forever
 * @param targetPowerState power state at the destination
 * @param preMigrationHooks webhook URLs called with the VM and spec before the move
 * @param rollbackHooks webhook URLs called when a migration is rolled back
 * @param guestShutdownTimeout how long a cold migration waits for a guest shutdown before a hard
 *     power-off
 */
public record MigrationOptions(
    MigrationType type,
    FailurePolicy failurePolicy,
    boolean verify,
    Duration autoConfirmAfter,
    TargetPowerState targetPowerState,
    List<String> preMigrationHooks,
    List<String> rollbackHooks,
    Duration guestShutdownTimeout) {

  public MigrationOptions {
    type = type == null ? MigrationType.AUTO : type;
    failurePolicy = failurePolicy == null ? FailurePolicy.HOLD : failurePolicy;
    targetPowerState = targetPowerState == null ? TargetPowerState.SAME : targetPowerState;
    preMigrationHooks = preMigrationHooks == null ? List.of() : List.copyOf(preMigrationHooks);
    rollbackHooks = rollbackHooks == null ? List.of() : List.copyOf(rollbackHooks);
    guestShutdownTimeout =
        guestShutdownTimeout == null ? Duration.ofMinutes(5) : guestShutdownTimeout;
  }

  public static MigrationOptions defaults() {
    return new MigrationOptions(null, null, false, null, null, null, null, null);
  }

  public MigrationOptions withType(MigrationType t) {
    return new MigrationOptions(
        t,
        failurePolicy,
        verify,
        autoConfirmAfter,
        targetPowerState,
        preMigrationHooks,
        rollbackHooks,
        guestShutdownTimeout);
  }

  public MigrationOptions withFailurePolicy(FailurePolicy p) {
    return new MigrationOptions(
        type,
        p,
        verify,
        autoConfirmAfter,
        targetPowerState,
        preMigrationHooks,
        rollbackHooks,
        guestShutdownTimeout);
  }

  public MigrationOptions withVerify(boolean v, Duration autoConfirm) {
    return new MigrationOptions(
        type,
        failurePolicy,
        v,
        autoConfirm,
        targetPowerState,
        preMigrationHooks,
        rollbackHooks,
        guestShutdownTimeout);
  }
}

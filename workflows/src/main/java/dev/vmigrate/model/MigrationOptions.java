package dev.vmigrate.model;

import java.time.Duration;
import java.util.ArrayList;
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

  /**
   * The longest VERIFYING window an auto-confirm may give. Temporal refuses timers far beyond it (a
   * timer of a billion days fails every workflow task), and a year is longer than any verification
   * an operator means.
   */
  public static final Duration MAX_AUTO_CONFIRM = Duration.ofDays(365);

  /** What is wrong with these options, one line each naming the field; empty when valid. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (autoConfirmAfter != null
        && (autoConfirmAfter.isNegative()
            || autoConfirmAfter.isZero()
            || autoConfirmAfter.compareTo(MAX_AUTO_CONFIRM) > 0)) {
      problems.add(
          "options.autoConfirmAfter: must be more than zero and at most "
              + MAX_AUTO_CONFIRM
              + ", not "
              + autoConfirmAfter);
    }
    if (guestShutdownTimeout.isNegative() || guestShutdownTimeout.isZero()) {
      problems.add(
          "options.guestShutdownTimeout: must be more than zero, not " + guestShutdownTimeout);
    }
    return problems;
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

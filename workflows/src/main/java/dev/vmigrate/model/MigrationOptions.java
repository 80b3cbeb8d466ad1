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
 * @param postMigrationHooks webhook URLs called, durably and with an idempotency key, once the VM
 *     is migrated (after CompleteDestination and any confirm, before the migration is finalised)
 * @param postRollbackHooks webhook URLs called, durably and with an idempotency key, once a
 *     rollback has run all its compensations
 * @param hookFailure what a post-migration or post-rollback hook that still fails after its retries
 *     does: hold for an operator (default) or be ignored
 * @param hookSecret the name of the secret the worker sends the hooks as their Authorization header
 *     (its configuration holds the secret, the options only its name); null: none
 */
public record MigrationOptions(
    MigrationType type,
    FailurePolicy failurePolicy,
    boolean verify,
    Duration autoConfirmAfter,
    TargetPowerState targetPowerState,
    List<String> preMigrationHooks,
    List<String> rollbackHooks,
    Duration guestShutdownTimeout,
    List<String> postMigrationHooks,
    List<String> postRollbackHooks,
    HookFailure hookFailure,
    String hookSecret) {

  public MigrationOptions {
    type = type == null ? MigrationType.AUTO : type;
    failurePolicy = failurePolicy == null ? FailurePolicy.HOLD : failurePolicy;
    targetPowerState = targetPowerState == null ? TargetPowerState.SAME : targetPowerState;
    preMigrationHooks = preMigrationHooks == null ? List.of() : List.copyOf(preMigrationHooks);
    rollbackHooks = rollbackHooks == null ? List.of() : List.copyOf(rollbackHooks);
    guestShutdownTimeout =
        guestShutdownTimeout == null ? Duration.ofMinutes(5) : guestShutdownTimeout;
    postMigrationHooks = postMigrationHooks == null ? List.of() : List.copyOf(postMigrationHooks);
    postRollbackHooks = postRollbackHooks == null ? List.of() : List.copyOf(postRollbackHooks);
    hookFailure = hookFailure == null ? HookFailure.HOLD : hookFailure;
  }

  /** The options without a hook secret. */
  public MigrationOptions(
      MigrationType type,
      FailurePolicy failurePolicy,
      boolean verify,
      Duration autoConfirmAfter,
      TargetPowerState targetPowerState,
      List<String> preMigrationHooks,
      List<String> rollbackHooks,
      Duration guestShutdownTimeout,
      List<String> postMigrationHooks,
      List<String> postRollbackHooks,
      HookFailure hookFailure) {
    this(
        type,
        failurePolicy,
        verify,
        autoConfirmAfter,
        targetPowerState,
        preMigrationHooks,
        rollbackHooks,
        guestShutdownTimeout,
        postMigrationHooks,
        postRollbackHooks,
        hookFailure,
        null);
  }

  /** The options that existed before the post hooks; the hooks none, a failing hook holds. */
  public MigrationOptions(
      MigrationType type,
      FailurePolicy failurePolicy,
      boolean verify,
      Duration autoConfirmAfter,
      TargetPowerState targetPowerState,
      List<String> preMigrationHooks,
      List<String> rollbackHooks,
      Duration guestShutdownTimeout) {
    this(
        type,
        failurePolicy,
        verify,
        autoConfirmAfter,
        targetPowerState,
        preMigrationHooks,
        rollbackHooks,
        guestShutdownTimeout,
        null,
        null,
        null);
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
    // Only the fields that recorded histories cannot hold: validate() also runs on replay.
    hookUrls("options.postMigrationHooks", postMigrationHooks, problems);
    hookUrls("options.postRollbackHooks", postRollbackHooks, problems);
    return problems;
  }

  /**
   * Each URL must be an absolute http(s) URL with a host; a problem quotes none (secrets). Where it
   * may point is checked by the API and by the worker on each call ({@link HookDestinationPolicy}),
   * not here: recorded histories must still replay.
   */
  private static void hookUrls(String field, List<String> urls, List<String> problems) {
    for (int i = 0; i < urls.size(); i++) {
      if (!HookDestinationPolicy.isHttpUrl(urls.get(i))) {
        problems.add(field + "[" + i + "]: not an http(s) URL");
      }
    }
  }

  /** These options with the hooks' secret reference (null: none). */
  public MigrationOptions withHookSecret(String secret) {
    return new MigrationOptions(
        type,
        failurePolicy,
        verify,
        autoConfirmAfter,
        targetPowerState,
        preMigrationHooks,
        rollbackHooks,
        guestShutdownTimeout,
        postMigrationHooks,
        postRollbackHooks,
        hookFailure,
        secret);
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
        guestShutdownTimeout,
        postMigrationHooks,
        postRollbackHooks,
        hookFailure,
        hookSecret);
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
        guestShutdownTimeout,
        postMigrationHooks,
        postRollbackHooks,
        hookFailure,
        hookSecret);
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
        guestShutdownTimeout,
        postMigrationHooks,
        postRollbackHooks,
        hookFailure,
        hookSecret);
  }

  /** These options with post-migration and post-rollback hooks and what a failing one does. */
  public MigrationOptions withPostHooks(
      List<String> postMigration, List<String> postRollback, HookFailure onFailure) {
    return new MigrationOptions(
        type,
        failurePolicy,
        verify,
        autoConfirmAfter,
        targetPowerState,
        preMigrationHooks,
        rollbackHooks,
        guestShutdownTimeout,
        postMigration,
        postRollback,
        onFailure,
        hookSecret);
  }
}

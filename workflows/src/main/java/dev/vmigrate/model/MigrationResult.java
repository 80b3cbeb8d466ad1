package dev.vmigrate.model;

import java.util.List;

/**
 * How a migration ended.
 *
 * @param state COMPLETED or ROLLED_BACK
 * @param vm the VM's identity at the end (its id may differ after a re-registration)
 * @param origin the recorded origin
 * @param destination the destination it went to (or was going to)
 * @param actionsRun forward actions that ran, in order
 * @param compensationsRun compensations that ran, in order
 * @param error the error that caused a rollback, or null; for a completed migration, the last error
 *     it recovered from or ignored (see hookFailures)
 * @param hookFailures post-migration or post-rollback hook calls that still failed after their
 *     retries and were ignored (the plan's {@code hookFailure: IGNORE}); empty otherwise
 */
public record MigrationResult(
    MigrationState state,
    VmIdentity vm,
    Placement origin,
    Destination destination,
    List<MigrationAction> actionsRun,
    List<String> compensationsRun,
    String error,
    List<String> hookFailures) {

  public MigrationResult {
    hookFailures = hookFailures == null ? List.of() : List.copyOf(hookFailures);
  }

  /** A result without hook failures. */
  public MigrationResult(
      MigrationState state,
      VmIdentity vm,
      Placement origin,
      Destination destination,
      List<MigrationAction> actionsRun,
      List<String> compensationsRun,
      String error) {
    this(state, vm, origin, destination, actionsRun, compensationsRun, error, List.of());
  }
}

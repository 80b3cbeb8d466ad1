package dev.vmigrate.request;

import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TerminatedFailure;
import io.temporal.failure.TimeoutFailure;
import java.util.concurrent.CompletionException;

/**
 * How one VM's migration ended, as the request records it in the ledger.
 *
 * @param state COMPLETED, ROLLED_BACK or FAILED
 * @param message what an operator reads
 */
public record MigrationOutcome(VmTaskState state, String message) {

  /** From the migration's result, or from the failure that ended or prevented it. */
  public static MigrationOutcome of(MigrationResult result, Throwable failure) {
    if (failure == null) {
      if (result != null && result.state() == MigrationState.COMPLETED) {
        return new MigrationOutcome(VmTaskState.COMPLETED, "completed" + hookFailures(result));
      }
      if (result != null && result.state() == MigrationState.ROLLED_BACK) {
        return new MigrationOutcome(
            VmTaskState.ROLLED_BACK,
            "rolled back"
                + (result.error() == null ? "" : ": " + result.error())
                + hookFailures(result));
      }
      return new MigrationOutcome(
          VmTaskState.FAILED, "ended in state " + (result == null ? "unknown" : result.state()));
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof WorkflowExecutionAlreadyStarted) {
        return new MigrationOutcome(
            VmTaskState.FAILED, "skipped: another migration of this VM is open");
      }
      if (t instanceof CanceledFailure) {
        // A cancelled migration runs its compensations before it closes.
        return new MigrationOutcome(VmTaskState.ROLLED_BACK, "cancelled and rolled back");
      }
      if (t instanceof TerminatedFailure) {
        return new MigrationOutcome(VmTaskState.FAILED, "terminated: " + t.getMessage());
      }
      if (t instanceof TimeoutFailure) {
        return new MigrationOutcome(VmTaskState.FAILED, "timed out");
      }
      if (t instanceof WorkflowNotFoundException) {
        return new MigrationOutcome(VmTaskState.FAILED, "migration workflow not found");
      }
    }
    Throwable root = failure;
    // Unwrap the envelopes down to what the migration itself failed with.
    while ((root instanceof CompletionException
            || root instanceof WorkflowException
            || root instanceof ChildWorkflowFailure
            || root instanceof ActivityFailure)
        && root.getCause() != null) {
      root = root.getCause();
    }
    String message =
        root instanceof ApplicationFailure app ? app.getOriginalMessage() : root.getMessage();
    return new MigrationOutcome(VmTaskState.FAILED, "failed: " + message);
  }

  /** The hook calls the migration ignored after their retries, for the ledger's message. */
  private static String hookFailures(MigrationResult result) {
    return result.hookFailures().isEmpty() ? "" : "; " + String.join("; ", result.hookFailures());
  }
}

package dev.vmigrate.model;

import java.time.Instant;

/**
 * An action Temporal is running or about to run again, as the migration's pending activity reports
 * it: what the Temporal UI shows of a retried action, readable before its retries run out.
 *
 * @param action the activity type, e.g. "InitiateSource"
 * @param state scheduled, started or cancel_requested
 * @param attempt the attempt running or next to run, 1 for the first
 * @param maximumAttempts the attempts its retry policy allows, 0 for unlimited
 * @param lastFailure the message of the last failed attempt, null when none failed yet
 * @param lastHeartbeat when the running attempt last reported progress, null before it did
 * @param nextAttemptAt when the next attempt starts while Temporal waits between two, else null
 */
public record PendingAction(
    String action,
    String state,
    int attempt,
    int maximumAttempts,
    String lastFailure,
    Instant lastHeartbeat,
    Instant nextAttemptAt) {

  /** Whether an earlier attempt failed, so this action is being retried. */
  public boolean retrying() {
    return attempt > 1 || lastFailure != null;
  }
}

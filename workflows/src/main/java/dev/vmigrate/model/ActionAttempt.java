package dev.vmigrate.model;

/**
 * One failed attempt of an activity that Temporal will retry, as the worker that ran it reports it
 * to the migration (signal {@code actionAttemptFailed}), so that the migration's details can say
 * that the action is being retried and why. The workflow learns of an activity's retries no other
 * way: its history records only the final outcome.
 *
 * @param activity the activity type, e.g. "InitiateSource"
 * @param attempt the attempt that failed, from 1
 * @param maximumAttempts the retry policy's maximum, 0 for unlimited
 * @param failure the failure's own message (the activity's words, never a secret), bounded to
 *     {@link #MAX_FAILURE} characters
 */
public record ActionAttempt(String activity, int attempt, int maximumAttempts, String failure) {
  public static final int MAX_FAILURE = 500;

  public ActionAttempt {
    if (failure != null && failure.length() > MAX_FAILURE) {
      failure = failure.substring(0, MAX_FAILURE - 3) + "...";
    }
  }
}

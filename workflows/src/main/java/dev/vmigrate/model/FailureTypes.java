package dev.vmigrate.model;

import java.util.List;

/**
 * Application failure types that activities throw. The non-retryable ones mean that retrying the
 * same call cannot help until someone changes something, so the workflow goes straight to its
 * failure policy.
 */
public final class FailureTypes {
  private FailureTypes() {}

  public static final String PRECHECK_FAILED = "PrecheckFailed";
  public static final String NO_DESTINATION = "NoDestination";
  public static final String NO_PERMISSION = "NoPermission";
  public static final String INCOMPATIBLE = "Incompatible";
  public static final String LOCKED = "Locked";
  public static final String NOT_FOUND = "NotFound";
  public static final String INVALID_STATE = "InvalidState";
  public static final String INSUFFICIENT_RESOURCES = "InsufficientResources";
  public static final String INVALID_REQUEST = "InvalidRequest";
  public static final String AUTHENTICATION = "Authentication";
  public static final String VERIFICATION_FAILED = "VerificationFailed";

  /**
   * A vCenter task that a data-moving action follows ended in error on its third attempt or later:
   * vCenter's verdict, which one more attempt would only repeat after a longer backoff.
   */
  public static final String TASK_FAILED = "TaskFailed";

  /** Retryable: the same call may succeed later (connection errors, timeouts, busy hosts). */
  public static final String TRANSIENT = "Transient";

  public static final List<String> NON_RETRYABLE =
      List.of(
          PRECHECK_FAILED,
          NO_DESTINATION,
          NO_PERMISSION,
          INCOMPATIBLE,
          LOCKED,
          NOT_FOUND,
          INVALID_STATE,
          INSUFFICIENT_RESOURCES,
          INVALID_REQUEST,
          AUTHENTICATION,
          VERIFICATION_FAILED,
          TASK_FAILED);
}

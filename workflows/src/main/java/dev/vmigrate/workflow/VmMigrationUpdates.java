package dev.vmigrate.workflow;

import dev.vmigrate.model.ActionAttempt;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;

/**
 * The operator actions of a {@link VmMigrationWorkflow} as Temporal Updates, named as its signals
 * are: a validator refuses an action that does not apply to the migration's state at once, with the
 * reason (nothing is recorded in the history), and an accepted one answers with what it does. Each
 * handler only sets what the migration's main loop acts on, so sending one twice is harmless: the
 * second is refused ("already requested").
 *
 * <p>Also the signal by which workers report an activity's failed attempts, which Temporal retries
 * without the workflow otherwise knowing.
 */
@WorkflowInterface
public interface VmMigrationUpdates {

  /** Refused unless the migration is PENDING or RUNNING with no pause requested yet. */
  @UpdateMethod(name = "pause")
  String pauseUpdate();

  @UpdateValidatorMethod(updateName = "pause")
  void validatePause();

  /** Refused unless the migration is PAUSED, FAILED_WAITING or has a pause pending. */
  @UpdateMethod(name = "resume")
  String resumeUpdate();

  @UpdateValidatorMethod(updateName = "resume")
  void validateResume();

  /** Refused once the migration rolls back, finalises after confirm, or has finished. */
  @UpdateMethod(name = "rollback")
  String rollbackUpdate();

  @UpdateValidatorMethod(updateName = "rollback")
  void validateRollback();

  /** Refused unless the migration is VERIFYING and not yet confirmed. */
  @UpdateMethod(name = "confirm")
  String confirmUpdate();

  @UpdateValidatorMethod(updateName = "confirm")
  void validateConfirm();

  /**
   * An attempt of the running activity failed and Temporal will retry it: sent by the worker that
   * ran the attempt (best effort), shown in the details until the action ends. A report about any
   * other activity than the one running is dropped.
   */
  @SignalMethod(name = ACTION_ATTEMPT_FAILED)
  void actionAttemptFailed(ActionAttempt attempt);

  String ACTION_ATTEMPT_FAILED = "actionAttemptFailed";
}

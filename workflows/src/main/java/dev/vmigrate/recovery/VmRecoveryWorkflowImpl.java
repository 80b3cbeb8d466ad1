package dev.vmigrate.recovery;

import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.FailureTypes;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a recovery's steps in order (see {@link VmRecoveryWorkflow}) and shows where it is in the
 * Temporal UI's current details. A step that still fails after its retries fails the workflow with
 * that step's error; applying the recovery again starts it anew under the same id.
 */
public class VmRecoveryWorkflowImpl implements VmRecoveryWorkflow {
  private static final String[] DO_NOT_RETRY = FailureTypes.NON_RETRYABLE.toArray(String[]::new);

  private final RecoveryActivities change =
      Workflow.newActivityStub(
          RecoveryActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(10))
              .setHeartbeatTimeout(Duration.ofSeconds(30))
              .setRetryOptions(retry())
              .build());

  // One relocate follows vCenter's task for as long as it runs, heartbeating.
  private final RecoveryActivities mover =
      Workflow.newActivityStub(
          RecoveryActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofHours(24))
              .setHeartbeatTimeout(Duration.ofSeconds(30))
              .setRetryOptions(retry())
              .build());

  private VmRecovery input;
  private String state = "running";
  private String current;
  private final List<String> done = new ArrayList<>();
  private String lastError;

  private static RetryOptions retry() {
    return RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofSeconds(1))
        .setMaximumInterval(Duration.ofMinutes(1))
        .setMaximumAttempts(10)
        .setDoNotRetry(DO_NOT_RETRY)
        .build();
  }

  @Override
  public RecoveryResult recover(VmRecovery recovery) {
    this.input = recovery;
    List<Step> steps = new ArrayList<>();
    if (recovery.vmId() != null) {
      if (recovery.action() == RecoveryAction.ROLLBACK) {
        steps.add(new Step(RecoveryActivities.RELOCATE_TO_ORIGIN, mover::relocateToOrigin));
        steps.add(new Step(RecoveryActivities.RESTORE_POWER_STATE, change::restorePowerState));
      }
      if (recovery.action() != RecoveryAction.CLEAR_MARKS) {
        steps.add(new Step(RecoveryActivities.RECORD_RESULT, change::recordResult));
      }
    }
    // The lock and the reservations go last: until then the VM stays held.
    if (!recovery.reservations().isEmpty()) {
      steps.add(new Step(RecoveryActivities.RELEASE_RESERVATIONS, change::releaseReservations));
    }
    if (recovery.vmId() != null) {
      steps.add(new Step(RecoveryActivities.CLEAR_MARKS, change::clearMarks));
    }
    List<String> queued = new ArrayList<>(steps.stream().map(Step::name).toList());
    for (Step step : steps) {
      current = step.name();
      queued.remove(0);
      details(queued);
      try {
        ActionOutcome outcome = step.call().apply(recovery);
        done.add(step.name() + ": " + outcome.summary());
      } catch (ActivityFailure e) {
        lastError = step.name() + ": " + message(e);
        state = "failed";
        current = null;
        details(queued);
        throw ApplicationFailure.newNonRetryableFailure(
            "recovery of " + recovery.vmName() + " stopped at " + lastError, "RecoveryFailed");
      }
    }
    current = null;
    state = "done";
    details(List.of());
    return new RecoveryResult(
        Workflow.getInfo().getWorkflowId(), recovery.vmName(), recovery.action(), done);
  }

  @Override
  public RecoveryStatus status() {
    return new RecoveryStatus(state, current, done, lastError);
  }

  private record Step(String name, Function<VmRecovery, ActionOutcome> call) {}

  private static String message(ActivityFailure e) {
    Throwable c = e.getCause();
    if (c instanceof ApplicationFailure a) {
      return a.getOriginalMessage();
    }
    return c == null ? e.getMessage() : c.getMessage();
  }

  private void details(List<String> queued) {
    Workflow.setCurrentDetails(
        RecoveryDetails.markdown(input, state, current, done, queued, lastError));
  }
}

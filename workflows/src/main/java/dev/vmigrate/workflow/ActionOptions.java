package dev.vmigrate.workflow;

import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationOptions;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Timeouts and retries chosen per action: reads are short and retried a few times, data-moving
 * actions run for hours with a heartbeat, and a failure that retrying cannot help (a blocking
 * precheck, a missing privilege) is never retried.
 */
final class ActionOptions {
  private ActionOptions() {}

  private static final String[] DO_NOT_RETRY = FailureTypes.NON_RETRYABLE.toArray(String[]::new);

  /**
   * How soon Temporal gives up on an action whose worker died: the worker heartbeats every running
   * action, so a silent one is retried (on any worker) after this, not after its whole timeout.
   */
  static final Duration LIVENESS = Duration.ofSeconds(30);

  /**
   * The timeouts and retries of one kind of forward action, bound to each action by ActionRunner.
   */
  @FunctionalInterface
  interface Profile {
    ActivityOptions.Builder apply(ActivityOptions.Builder b, MigrationOptions plan);
  }

  /** Reads and checks: short, and retried a few times. */
  static final Profile READ =
      (b, plan) ->
          b.setStartToCloseTimeout(Duration.ofMinutes(2))
              .setHeartbeatTimeout(LIVENESS)
              .setRetryOptions(retry(Duration.ofSeconds(1), Duration.ofSeconds(30), 5));

  /** Actions that change something in vSphere without copying data. */
  static final Profile CHANGE =
      (b, plan) ->
          b.setStartToCloseTimeout(Duration.ofMinutes(10))
              .setHeartbeatTimeout(LIVENESS)
              .setRetryOptions(retry(Duration.ofSeconds(1), Duration.ofMinutes(1), 6));

  /** Actions that copy disks or memory and follow a vCenter task for hours. */
  static final Profile DATA_MOVER = (b, plan) -> dataMover(b);

  /** A guest shutdown, which the plan allows its own timeout before the hard power-off. */
  static final Profile POWER_OFF =
      (b, plan) ->
          b.setStartToCloseTimeout(plan.guestShutdownTimeout().plus(Duration.ofMinutes(5)))
              .setHeartbeatTimeout(Duration.ofMinutes(1))
              .setRetryOptions(retry(Duration.ofSeconds(2), Duration.ofMinutes(1), 5));

  /**
   * Webhook calls after a migration or a rollback: retried for about five minutes (ten attempts,
   * backing off to a minute) before the plan's hookFailure decides, so a receiver that restarts or
   * is redeployed still hears of the migration.
   */
  static final Profile HOOK =
      (b, plan) ->
          b.setStartToCloseTimeout(Duration.ofMinutes(5))
              .setHeartbeatTimeout(LIVENESS)
              .setRetryOptions(retry(Duration.ofSeconds(2), Duration.ofMinutes(1), 10));

  static ActivityOptions forAction(Profile profile, MigrationOptions plan, String summary) {
    return profile.apply(ActivityOptions.newBuilder().setSummary(summary), plan).build();
  }

  /**
   * Compensations retry longer than forward actions: giving up leaves a VM half-moved, so after
   * these attempts the workflow holds for an operator rather than abandoning the rollback.
   */
  static ActivityOptions forCompensation(MigrationAction action, String summary) {
    ActivityOptions.Builder b = ActivityOptions.newBuilder().setSummary(summary);
    if (action.movesData()) {
      return dataMover(b).build();
    }
    return b.setStartToCloseTimeout(Duration.ofMinutes(10))
        .setHeartbeatTimeout(LIVENESS)
        .setRetryOptions(retry(Duration.ofSeconds(2), Duration.ofMinutes(1), 10))
        .build();
  }

  static ActivityOptions forFinalization(String summary) {
    return ActivityOptions.newBuilder()
        .setSummary(summary)
        .setStartToCloseTimeout(Duration.ofMinutes(5))
        .setHeartbeatTimeout(LIVENESS)
        .setRetryOptions(retry(Duration.ofSeconds(2), Duration.ofMinutes(1), 10))
        .build();
  }

  private static ActivityOptions.Builder dataMover(ActivityOptions.Builder b) {
    // A relocate can take hours; the heartbeat carries the task id (the activity reads the task at
    // least every 10 s and beats each time), and cancellation waits for the activity to stop
    // following the task so a rollback never races a running relocate.
    return b.setStartToCloseTimeout(Duration.ofHours(24))
        .setHeartbeatTimeout(LIVENESS)
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(retry(Duration.ofSeconds(5), Duration.ofMinutes(2), 10));
  }

  private static RetryOptions retry(Duration initial, Duration max, int attempts) {
    return RetryOptions.newBuilder()
        .setInitialInterval(initial)
        .setBackoffCoefficient(2.0)
        .setMaximumInterval(max)
        .setMaximumAttempts(attempts)
        .setDoNotRetry(DO_NOT_RETRY)
        .build();
  }
}

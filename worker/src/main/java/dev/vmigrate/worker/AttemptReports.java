package dev.vmigrate.worker;

import dev.vmigrate.model.ActionAttempt;
import dev.vmigrate.workflow.VmMigrationUpdates;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.ActivityCanceledException;
import io.temporal.common.RetryOptions;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a migration that an attempt of its running activity failed and Temporal will retry it
 * (signal {@value VmMigrationUpdates#ACTION_ATTEMPT_FAILED}), so that the migration's details say
 * "retrying, attempt N of M" and why. Without it the workflow learns only of the final outcome, and
 * the attempts show only on the UI's Pending Activities tab. The signal is sent before the failure
 * is returned to Temporal, so it reaches the history before the retry is scheduled; it is best
 * effort and never changes the activity's outcome. An attempt lost with its worker (a heartbeat or
 * start-to-close timeout) is not reported: only the Pending Activities tab knows of it.
 */
public final class AttemptReports extends WorkerInterceptorBase {
  private static final Logger log = LoggerFactory.getLogger(AttemptReports.class);

  /** The workflow type whose activities are reported. */
  static final String MIGRATION_TYPE = "VmMigration";

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private ActivityExecutionContext context;

      @Override
      public void init(ActivityExecutionContext context) {
        this.context = context;
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        try {
          return super.execute(input);
        } catch (RuntimeException e) {
          ActivityInfo info = context.getInfo();
          if (MIGRATION_TYPE.equals(info.getWorkflowType()) && willRetry(info, e)) {
            report(info, e);
          }
          throw e;
        }
      }

      private void report(ActivityInfo info, RuntimeException e) {
        RetryOptions retry = info.getRetryOptions();
        int max = retry == null ? 0 : retry.getMaximumAttempts();
        try {
          context
              .getWorkflowClient()
              .newWorkflowStub(VmMigrationUpdates.class, info.getWorkflowId())
              .actionAttemptFailed(
                  new ActionAttempt(info.getActivityType(), info.getAttempt(), max, message(e)));
        } catch (RuntimeException notDelivered) {
          log.debug("attempt report not delivered: {}", notDelivered.toString());
        }
      }
    };
  }

  /** Whether Temporal retries this failure under the activity's retry policy. */
  static boolean willRetry(ActivityInfo info, Throwable e) {
    if (e instanceof ActivityCanceledException || e instanceof CanceledFailure) {
      return false;
    }
    RetryOptions retry = info.getRetryOptions();
    if (retry != null
        && retry.getMaximumAttempts() > 0
        && info.getAttempt() >= retry.getMaximumAttempts()) {
      return false;
    }
    if (e instanceof ApplicationFailure af) {
      if (af.isNonRetryable()) {
        return false;
      }
      String[] doNotRetry = retry == null ? null : retry.getDoNotRetry();
      return doNotRetry == null || !Arrays.asList(doNotRetry).contains(af.getType());
    }
    String[] doNotRetry = retry == null ? null : retry.getDoNotRetry();
    return doNotRetry == null || !Arrays.asList(doNotRetry).contains(e.getClass().getName());
  }

  private static String message(Throwable e) {
    if (e instanceof ApplicationFailure af && af.getOriginalMessage() != null) {
      return af.getOriginalMessage();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}

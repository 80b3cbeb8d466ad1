package dev.vmigrate.worker.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;

/**
 * Times every activity attempt this process's workers run, as the histogram {@code
 * vmigrate_action_duration_seconds} tagged {@code activity} (the activity type: the action's name,
 * e.g. {@code InvokePrechecks}, a compensation's, or a ledger activity's) and {@code outcome}
 * (success, failure or cancelled). Activity types are a fixed set, so the label stays bounded.
 */
public final class ActionMetrics extends WorkerInterceptorBase {
  static final String NAME = "vmigrate.action.duration";

  private final MeterRegistry registry;

  public ActionMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

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
        long start = System.nanoTime();
        String outcome = "failure";
        try {
          ActivityOutput out = super.execute(input);
          outcome = "success";
          return out;
        } catch (ActivityCanceledException | CanceledFailure e) {
          outcome = "cancelled";
          throw e;
        } finally {
          record(context.getInfo().getActivityType(), outcome, System.nanoTime() - start);
        }
      }
    };
  }

  private void record(String activity, String outcome, long nanos) {
    Timer.builder(NAME)
        .description("Activity attempts by type and outcome, from start to return or failure")
        .tags("activity", activity, "outcome", outcome)
        .serviceLevelObjectives(
            Duration.ofMillis(100),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(15),
            Duration.ofSeconds(60),
            Duration.ofMinutes(5),
            Duration.ofMinutes(15),
            Duration.ofHours(1),
            Duration.ofHours(4))
        .register(registry)
        .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }
}

package dev.vmigrate.worker;

import dev.vmigrate.model.MigrationAction;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats every running activity that has a heartbeat timeout and does not heartbeat itself, so
 * that Temporal notices a dead worker within that timeout rather than after the activity's whole
 * start-to-close timeout, and retries the action on another worker. Activities that follow a
 * vCenter task heartbeat themselves with the task's reference, which a retry re-attaches to; those
 * details must not be overwritten, so they are left alone here.
 */
public final class LivenessHeartbeats extends WorkerInterceptorBase {
  /** The activity types that heartbeat with details of their own. */
  static final Set<String> SELF_HEARTBEATING = selfHeartbeating();

  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "activity-liveness-heartbeats");
            t.setDaemon(true);
            return t;
          });

  private static Set<String> selfHeartbeating() {
    Set<String> s = new HashSet<>();
    for (MigrationAction a : MigrationAction.values()) {
      if (a.movesData()) {
        s.add(a.activityName());
        s.add(a.compensationName());
      }
    }
    return Set.copyOf(s);
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
        Duration timeout = context.getInfo().getHeartbeatTimeout();
        if (timeout == null
            || timeout.isZero()
            || SELF_HEARTBEATING.contains(context.getInfo().getActivityType())) {
          return super.execute(input);
        }
        long every = Math.max(1_000, timeout.toMillis() / 3);
        ScheduledFuture<?> beat =
            ticker.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
        try {
          return super.execute(input);
        } finally {
          beat.cancel(false);
        }
      }

      private void beat() {
        try {
          context.heartbeat(null);
        } catch (RuntimeException cancelledOrDone) {
          // A cancellation reaches the activity through its own calls; nothing to do here.
        }
      }
    };
  }
}

package dev.vmigrate.worker;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.activity.ManualActivityCompletionClient;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.WorkflowClient;
import io.temporal.common.CancellationToken;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats every running activity that has a heartbeat timeout, also while it waits for a vCenter
 * call that answers late, so that Temporal notices a dead worker within that timeout rather than
 * after the activity's whole start-to-close timeout, and does not time out a live attempt whose
 * SOAP call is merely slow (which would start a second attempt beside it).
 *
 * <p>A liveness heartbeat never changes the activity's heartbeat details: it re-sends the details
 * the activity last sent itself in this attempt (e.g. the vCenter task it follows, which a retry
 * re-attaches to), or, before it has sent any, the details of the previous attempt. The activity
 * reads its own details back through {@link ActivityExecutionContext#getHeartbeatDetails}, never
 * the liveness beats' copy.
 */
public final class LivenessHeartbeats extends WorkerInterceptorBase {
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "activity-liveness-heartbeats");
            t.setDaemon(true);
            return t;
          });

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private OwnDetails context;

      @Override
      public void init(ActivityExecutionContext context) {
        this.context = new OwnDetails(context);
        // The activity sees the wrapper (Activity.getExecutionContext()), so its own beats are
        // kept.
        super.init(this.context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        Duration timeout = context.getInfo().getHeartbeatTimeout();
        if (timeout == null || timeout.isZero()) {
          return super.execute(input);
        }
        long every = Math.max(1_000, timeout.toMillis() / 3);
        ScheduledFuture<?> beat =
            ticker.scheduleAtFixedRate(context::livenessBeat, every, every, TimeUnit.MILLISECONDS);
        try {
          return super.execute(input);
        } finally {
          beat.cancel(false);
        }
      }
    };
  }

  /**
   * The activity's context, remembering the details the activity heartbeats itself so that a
   * liveness beat sends the same ones.
   */
  static final class OwnDetails implements ActivityExecutionContext {
    private final ActivityExecutionContext delegate;
    private boolean sentOwn;
    private Object own;

    OwnDetails(ActivityExecutionContext delegate) {
      this.delegate = delegate;
    }

    /** One liveness beat carrying the activity's current details; failures are left to it. */
    void livenessBeat() {
      Object details;
      synchronized (this) {
        // Before its own first beat, the previous attempt's details, as plain JSON values.
        details = sentOwn ? own : delegate.getLastHeartbeatDetails(Object.class).orElse(null);
      }
      try {
        delegate.heartbeat(details);
      } catch (ActivityCanceledException | IllegalStateException cancelledOrDone) {
        // A cancellation reaches the activity through its own calls; nothing to do here.
      } catch (RuntimeException e) {
        // A beat that fails (Temporal unreachable) is retried at the next tick.
      }
    }

    @Override
    public <V> void heartbeat(V details) throws ActivityCompletionException {
      synchronized (this) {
        sentOwn = true;
        own = details;
      }
      delegate.heartbeat(details);
    }

    @Override
    public <V> Optional<V> getHeartbeatDetails(Class<V> detailsClass) {
      return getHeartbeatDetails(detailsClass, detailsClass);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> Optional<V> getHeartbeatDetails(Class<V> detailsClass, Type genericType) {
      synchronized (this) {
        if (sentOwn) {
          return Optional.ofNullable((V) own);
        }
      }
      return delegate.getLastHeartbeatDetails(detailsClass, genericType);
    }

    @Override
    public <V> Optional<V> getLastHeartbeatDetails(Class<V> detailsClass) {
      return delegate.getLastHeartbeatDetails(detailsClass);
    }

    @Override
    public <V> Optional<V> getLastHeartbeatDetails(Class<V> detailsClass, Type genericType) {
      return delegate.getLastHeartbeatDetails(detailsClass, genericType);
    }

    @Override
    public ActivityInfo getInfo() {
      return delegate.getInfo();
    }

    @Override
    public byte[] getTaskToken() {
      return delegate.getTaskToken();
    }

    @Override
    public CancellationToken<ActivityCanceledException> getCancellationToken() {
      return delegate.getCancellationToken();
    }

    @Override
    public void doNotCompleteOnReturn() {
      delegate.doNotCompleteOnReturn();
    }

    @Override
    public boolean isDoNotCompleteOnReturn() {
      return delegate.isDoNotCompleteOnReturn();
    }

    @Override
    public boolean isUseLocalManualCompletion() {
      return delegate.isUseLocalManualCompletion();
    }

    @Override
    public ManualActivityCompletionClient useLocalManualCompletion() {
      return delegate.useLocalManualCompletion();
    }

    @Override
    public com.uber.m3.tally.Scope getMetricsScope() {
      return delegate.getMetricsScope();
    }

    @Override
    public WorkflowClient getWorkflowClient() {
      return delegate.getWorkflowClient();
    }

    @Override
    public Object getInstance() {
      return delegate.getInstance();
    }
  }
}

package dev.vmigrate.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * An activity that records a vCenter task in its heartbeat details and then waits on a call longer
 * than its heartbeat timeout: the worker's liveness beats keep the attempt alive and carry the
 * recorded task, so the retry reads it back.
 */
class LivenessHeartbeatsTest {
  private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);

  /** How long the first attempt's call takes: longer than the heartbeat timeout. */
  private static final long CALL_MS = 5_000;

  @ActivityInterface
  public interface SlowCall {
    @ActivityMethod
    String call();
  }

  @WorkflowInterface
  public interface CallOnce {
    @WorkflowMethod
    String run();
  }

  public static class CallOnceImpl implements CallOnce {
    @Override
    public String run() {
      return Workflow.newActivityStub(
              SlowCall.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofSeconds(30))
                  .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
                  .setRetryOptions(
                      RetryOptions.newBuilder()
                          .setInitialInterval(Duration.ofMillis(100))
                          .setMaximumAttempts(3)
                          .build())
                  .build())
          .call();
    }
  }

  /**
   * Attempt 1 records task-7, waits on a slow call and fails; later attempts report what they read.
   */
  static final class SlowCallImpl implements SlowCall {
    final List<String> seen = new CopyOnWriteArrayList<>();
    final AtomicBoolean firstDone = new AtomicBoolean();

    @Override
    public String call() {
      ActivityExecutionContext ec = Activity.getExecutionContext();
      String recorded = ec.getHeartbeatDetails(String.class).orElse(null);
      int attempt = ec.getInfo().getAttempt();
      boolean overlaps = attempt > 1 && !firstDone.get();
      seen.add(attempt + ":" + recorded + (overlaps ? " while attempt 1 ran" : ""));
      if (attempt > 1) {
        return recorded;
      }
      ec.heartbeat("task-7");
      try {
        Thread.sleep(CALL_MS); // the call: a SOAP request whose answer comes late
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      firstDone.set(true);
      throw ApplicationFailure.newFailure("the call failed after its long wait", "Transient");
    }
  }

  @Test
  void aLongCallKeepsItsAttemptAliveAndItsRecordedTask() {
    SlowCallImpl activity = new SlowCallImpl();
    try (TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(false)
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new LivenessHeartbeats())
                        .build())
                .build())) {
      Worker worker = env.newWorker("liveness");
      worker.registerWorkflowImplementationTypes(CallOnceImpl.class);
      worker.registerActivitiesImplementations(activity);
      env.start();

      String read =
          env.getWorkflowClient()
              .newWorkflowStub(
                  CallOnce.class, WorkflowOptions.newBuilder().setTaskQueue("liveness").build())
              .run();

      assertEquals("task-7", read, "the retry reads the task the first attempt recorded");
      assertEquals(
          List.of("1:null", "2:task-7"),
          activity.seen,
          "no heartbeat timeout while the first attempt waited on its call");
    }
  }
}

package dev.vmigrate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The embedded server's time-skipping lock log stays within its bound however many tasks run, where
 * the test server's own log grows with every task; workflows with activities and timers still
 * complete, in real time.
 */
class TimerLockLogTest {
  private static final String QUEUE = "lock-log";
  private static final int WORKFLOWS = 40;

  @WorkflowInterface
  public interface Echo {
    @WorkflowMethod
    String run(String text);
  }

  @ActivityInterface
  public interface Upper {
    String upper(String text);
  }

  public static class EchoImpl implements Echo {
    private final Upper upper =
        Workflow.newActivityStub(
            Upper.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

    @Override
    public String run(String text) {
      Workflow.sleep(Duration.ofMillis(20));
      return upper.upper(text);
    }
  }

  @Test
  void boundedLogStaysWithinItsBoundWhereTheServersOwnGrows() throws Exception {
    int own = runWorkflows(-1);
    int bounded = runWorkflows(50);
    assertTrue(own > 100, "the test server's own log grew with the tasks: " + own);
    assertTrue(bounded <= 50, "the bounded log kept at most 50 entries: " + bounded);
  }

  /** Runs the workflows on a fresh server and answers the size of its lock log after them. */
  private static int runWorkflows(int lockLogKeep) throws Exception {
    try (EmbeddedTemporal temporal =
        EmbeddedTemporal.start("127.0.0.1", TestPorts.free(), "default", lockLogKeep)) {
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
      WorkerFactory factory = null;
      try {
        WorkflowClient client =
            WorkflowClient.newInstance(
                stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
        factory = WorkerFactory.newInstance(client);
        var worker = factory.newWorker(QUEUE);
        worker.registerWorkflowImplementationTypes(EchoImpl.class);
        worker.registerActivitiesImplementations((Upper) String::toUpperCase);
        factory.start();
        for (int i = 0; i < WORKFLOWS; i++) {
          Echo echo =
              client.newWorkflowStub(
                  Echo.class,
                  WorkflowOptions.newBuilder()
                      .setWorkflowId("echo-" + i)
                      .setTaskQueue(QUEUE)
                      .build());
          assertEquals("VM-" + i, echo.run("vm-" + i));
        }
        return temporal.lockLogSize();
      } finally {
        if (factory != null) {
          factory.shutdownNow();
        }
        stubs.shutdownNow();
      }
    }
  }
}

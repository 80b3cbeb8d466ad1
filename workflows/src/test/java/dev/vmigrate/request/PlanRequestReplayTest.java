package dev.vmigrate.request;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays recorded request runs (one that finished, one cancelled, one continued as new with
 * migrations re-attached, one that continued as new when its admission budget was spent, one that
 * waited for its time window on a timer) against the current {@link PlanRequestWorkflowImpl}, built
 * with the bounds each run was recorded with, so that a change breaking determinism for requests in
 * flight fails here. Recorded by {@code PlanRequestWorkflowTest} with {@code
 * -Dvmigrate.histories.dir}.
 */
class PlanRequestReplayTest {

  /**
   * History name, then the bounds of its run: continue-as-new events, children, page, lookahead.
   */
  static Stream<Arguments> histories() {
    return Stream.of(
        Arguments.of("request-completed", 4_000, 500, 15, 30),
        Arguments.of("request-cancelled", 4_000, 500, 10, 20),
        Arguments.of("request-continued-as-new", 150, 6, 10, 20),
        Arguments.of("request-budget-spent", 400, 500, 90, 90),
        Arguments.of("request-waited-for-window", 4_000, 500, 10, 20));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void recordedRequestReplaysOnCurrentCode(
      String name, int continueAsNewEvents, int children, int pageSize, int lookahead)
      throws Exception {
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(read(name));
    assertTrue(history.getEvents().size() > 20, name + " has a real run's history");
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      // Replay checks determinism, not speed: on a loaded machine the first decoding of the input
      // (Jackson building its deserializers) can keep the workflow thread past Temporal's 1 s
      // deadlock detector, which would fail a history that replays fine.
      Worker worker =
          env.newWorker(
              "replay",
              WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(30_000).build());
      worker.registerWorkflowImplementationFactory(
          PlanRequestWorkflow.class,
          () -> new PlanRequestWorkflowImpl(continueAsNewEvents, children, pageSize, lookahead));
      worker.replayWorkflowExecution(history);
    }
  }

  private static String read(String name) throws Exception {
    String path = "/histories/" + name + ".json";
    try (InputStream in = PlanRequestReplayTest.class.getResourceAsStream(path)) {
      assertNotNull(in, "missing recorded history " + path);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

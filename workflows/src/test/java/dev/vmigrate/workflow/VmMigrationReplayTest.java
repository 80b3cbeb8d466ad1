package dev.vmigrate.workflow;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays recorded histories of real runs (hot, cold, rollback, resume after a hold) against the
 * current workflow code, so a change that breaks determinism for migrations already in flight fails
 * here instead of in production. Histories are recorded by the worker module's integration tests
 * with {@code -Dvmigrate.histories.dir=workflows/src/test/resources/histories}.
 */
class VmMigrationReplayTest {

  static final List<String> HISTORIES =
      List.of(
          "hot-completed",
          "cold-completed",
          "hot-rolled-back",
          "cold-held-then-resumed",
          // Through the post hooks' version markers.
          "hot-post-migration-hook-held-then-resumed",
          "hot-rolled-back-post-rollback-hook");

  static Stream<String> histories() {
    return HISTORIES.stream();
  }

  @ParameterizedTest
  @MethodSource("histories")
  void recordedHistoryReplaysOnCurrentCode(String name) throws Exception {
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(read(name));
    assertTrue(history.getEvents().size() > 20, name + " has a real run's history");
    WorkflowReplayer.replayWorkflowExecution(history, VmMigrationWorkflowImpl.class);
  }

  private static String read(String name) throws IOException {
    String path = "/histories/" + name + ".json";
    try (InputStream in = VmMigrationReplayTest.class.getResourceAsStream(path)) {
      assertNotNull(in, "missing recorded history " + path);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

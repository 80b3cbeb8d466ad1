package dev.vmigrate.api.service;

import com.google.protobuf.Timestamp;
import dev.vmigrate.api.web.Dtos.LiveUnavailable;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Why a migration's live state could not be read, from Temporal's DescribeTaskQueue: no worker
 * polls the migrations' task queue (Temporal lists a poller for a few minutes after its last poll,
 * so one silent for longer than {@link #SILENT} counts as gone), Temporal does not answer, or
 * workers poll and the status query still did not answer in time.
 */
final class TaskQueuePollers {
  /** A worker polls every few seconds while it runs; a minute of silence means it is gone. */
  static final Duration SILENT = Duration.ofMinutes(1);

  private TaskQueuePollers() {}

  /**
   * The reason and since when, for a read that did not answer.
   *
   * @param lastRecord the ledger's last record of the VM, the "since" when nothing better is known
   */
  static LiveUnavailable why(
      WorkflowClient temporal,
      String taskQueue,
      long timeoutMillis,
      Instant lastRecord,
      Instant now) {
    List<PollerInfo> pollers;
    try {
      pollers =
          temporal
              .getWorkflowServiceStubs()
              .blockingStub()
              .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
              .describeTaskQueue(
                  DescribeTaskQueueRequest.newBuilder()
                      .setNamespace(temporal.getOptions().getNamespace())
                      .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue))
                      .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
                      .build())
              .getPollersList();
    } catch (StatusRuntimeException e) {
      return new LiveUnavailable(
          "Temporal does not answer (" + e.getStatus().getCode() + ")", lastRecord);
    }
    Instant lastPoll =
        pollers.stream()
            .map(p -> instant(p.getLastAccessTime()))
            .max(Instant::compareTo)
            .orElse(null);
    if (lastPoll == null || lastPoll.isBefore(now.minus(SILENT))) {
      return new LiveUnavailable(
          "no worker polls task queue " + taskQueue, lastPoll == null ? lastRecord : lastPoll);
    }
    return new LiveUnavailable(
        "the migration's status query did not answer within " + timeoutMillis + " ms", lastRecord);
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}

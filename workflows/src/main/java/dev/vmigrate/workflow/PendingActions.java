package dev.vmigrate.workflow;

import com.google.protobuf.Timestamp;
import dev.vmigrate.model.PendingAction;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Reads a migration's pending activities from Temporal (DescribeWorkflowExecution): the attempt and
 * last failure of an action being retried, which the workflow itself learns only when the retries
 * have run out. A client-side read for status views; never called from workflow code.
 */
public final class PendingActions {
  private PendingActions() {}

  /**
   * The pending actions of the workflow's latest run, within {@code timeout} (a gRPC deadline).
   *
   * @throws io.grpc.StatusRuntimeException when Temporal does not answer in time or knows no such
   *     workflow
   */
  public static List<PendingAction> describe(
      WorkflowServiceStubs service, String namespace, String workflowId, Duration timeout) {
    return service
        .blockingStub()
        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(namespace)
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .build())
        .getPendingActivitiesList()
        .stream()
        .map(PendingActions::of)
        .toList();
  }

  /**
   * One pending activity; the failure's own message only (no stack trace, no details), which is the
   * activity's words and never carries a secret.
   */
  static PendingAction of(PendingActivityInfo p) {
    return new PendingAction(
        p.getActivityType().getName(),
        p.getState().name().replace("PENDING_ACTIVITY_STATE_", "").toLowerCase(Locale.ROOT),
        p.getAttempt(),
        p.getMaximumAttempts(),
        p.hasLastFailure() ? failureText(p.getLastFailure()) : null,
        p.hasLastHeartbeatTime() ? instant(p.getLastHeartbeatTime()) : null,
        p.hasNextAttemptScheduleTime() ? instant(p.getNextAttemptScheduleTime()) : null);
  }

  /** What Temporal's server says in place of a failure larger than its limit. */
  static final String REPLACED = "Failure exceeds size limit.";

  /**
   * A failure's message; when the server replaced an oversized failure with its own, the message of
   * the failure it kept as the cause, which is vCenter's fault.
   */
  static String failureText(Failure f) {
    Failure shown = f;
    for (int depth = 0; depth < 8 && shown.getMessage().startsWith(REPLACED); depth++) {
      if (!shown.hasCause()) {
        break;
      }
      shown = shown.getCause();
    }
    return shown.getMessage();
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}

package dev.vmigrate.api.temporal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A workflow's execution status as Temporal reports it, within a deadline. */
public final class WorkflowStatuses {
  private WorkflowStatuses() {}

  /**
   * The status of workflow {@code id}'s latest run, empty when Temporal answers NOT_FOUND.
   *
   * @throws StatusRuntimeException any other answer (unavailable, deadline exceeded), for the
   *     caller to turn into its own message
   */
  public static Optional<WorkflowExecutionStatus> of(
      WorkflowServiceStubs stubs, String namespace, String id, long timeoutMillis) {
    try {
      return Optional.of(
          stubs
              .blockingStub()
              .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(namespace)
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                      .build())
              .getWorkflowExecutionInfo()
              .getStatus());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }
}

package dev.vmigrate.api.db;

import dev.vmigrate.model.ApprovalState;
import dev.vmigrate.model.RequestState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * One order of a plan. approvalState: pending, approved, denied; requestState: pending, active,
 * finished; status: Ok, Warn, Error (ManageIQ's vocabulary), or closed for a request an operator
 * closed after its workflow was lost.
 */
@MappedEntity("migration_request")
public record RequestRow(
    @Id String id,
    String planId,
    String planName,
    String sourceVcenter,
    String approvalState,
    String requestState,
    String status,
    @Nullable String message,
    int approvedVms,
    @Nullable String workflowId,
    Instant createdAt,
    Instant updatedAt) {

  /** A new order of a plan: awaiting approval, nothing approved yet. */
  public static RequestRow ordered(
      String id, String planId, String planName, String sourceVcenter, Instant now) {
    return new RequestRow(
        id,
        planId,
        planName,
        sourceVcenter,
        ApprovalState.PENDING.value(),
        RequestState.PENDING.value(),
        "Ok",
        "awaiting approval",
        0,
        null,
        now,
        now);
  }

  /** This request approved with its approved VMs; it starts (becomes active) afterwards. */
  public RequestRow approved(
      int approvedVms, @Nullable String workflowId, String message, Instant now) {
    return decided(
        ApprovalState.APPROVED, RequestState.PENDING, "Ok", message, approvedVms, workflowId, now);
  }

  /** This request denied: finished with a warning, nothing runs. */
  public RequestRow denied(String message, Instant now) {
    return decided(ApprovalState.DENIED, RequestState.FINISHED, "Warn", message, 0, null, now);
  }

  private RequestRow decided(
      ApprovalState approval,
      RequestState state,
      String status,
      String message,
      int approvedVms,
      @Nullable String workflowId,
      Instant now) {
    return new RequestRow(
        id,
        planId,
        planName,
        sourceVcenter,
        approval.value(),
        state.value(),
        status,
        message,
        approvedVms,
        workflowId,
        createdAt,
        now);
  }

  /** {@link #approvalState()} as its enum. */
  public ApprovalState approval() {
    return ApprovalState.of(approvalState);
  }

  /** {@link #requestState()} as its enum. */
  public RequestState state() {
    return RequestState.of(requestState);
  }
}

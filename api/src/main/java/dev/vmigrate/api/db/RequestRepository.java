package dev.vmigrate.api.db;

import dev.vmigrate.model.ApprovalState;
import dev.vmigrate.model.RequestState;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;

/** Requests (orders of plans). */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RequestRepository extends CrudRepository<RequestRow, String> {
  List<RequestRow> findByPlanIdOrderByCreatedAtDesc(String planId);

  List<RequestRow> listOrderByCreatedAtDesc();

  boolean existsByPlanIdAndRequestStateNotEqual(String planId, String requestState);

  /** Whether the plan has a request that is not in {@code state}. */
  default boolean existsByPlanIdAndRequestStateNotEqual(String planId, RequestState state) {
    return existsByPlanIdAndRequestStateNotEqual(planId, state.value());
  }

  /** The plan's requests that are not finished, newest first. */
  @Query(
      "SELECT * FROM migration_request WHERE plan_id = :planId AND request_state <> 'finished'"
          + " ORDER BY created_at DESC")
  List<RequestRow> openOfPlan(String planId);

  /**
   * Claims the plan's one open-request slot for this request. The unique index on {@code open_slot}
   * refuses a second claim (SQLState 23505), so of two racing orders one wins.
   */
  @Query("UPDATE migration_request SET open_slot = :planId WHERE id = :id")
  long claimOpenSlot(String id, String planId);

  /** Releases the plan's slot held by a request that has finished since; 0 when none did. */
  @Query(
      "UPDATE migration_request SET open_slot = NULL"
          + " WHERE open_slot = :planId AND request_state = 'finished'")
  long releaseFinishedSlot(String planId);

  /** The request holding the plan's open-request slot, if any. */
  @Query("SELECT * FROM migration_request WHERE open_slot = :planId")
  List<RequestRow> slotHolder(String planId);

  /**
   * Moves a pending request to {@code approvalState}; 0 when it was no longer pending, so that of
   * two concurrent approve/deny calls exactly one wins.
   */
  @Query(
      "UPDATE migration_request SET approval_state = :approvalState, updated_at = :now"
          + " WHERE id = :id AND approval_state = 'pending'")
  long claimApproval(String id, String approvalState, Instant now);

  /** {@link #claimApproval(String, String, Instant)} with the state's database value. */
  default long claimApproval(String id, ApprovalState state, Instant now) {
    return claimApproval(id, state.value(), now);
  }

  @Query(
      "UPDATE migration_request SET request_state = :requestState, status = :status,"
          + " message = :message, updated_at = :now WHERE id = :id")
  long updateState(String id, String requestState, String status, String message, Instant now);

  /** {@link #updateState(String, String, String, String, Instant)} with the state's value. */
  default long updateState(
      String id, RequestState state, String status, String message, Instant now) {
    return updateState(id, state.value(), status, message, now);
  }

  /**
   * Marks a request active once its workflow started, unless the workflow already recorded a later
   * state (paused, finished) in the ledger; 0 then, and that state stands.
   */
  @Query(
      "UPDATE migration_request SET request_state = 'active', status = :status,"
          + " message = :message, updated_at = :now"
          + " WHERE id = :id AND request_state = 'pending'")
  long activateIfPending(String id, String status, String message, Instant now);

  /**
   * Finishes a request that is not finished yet; 0 when it already was, so that of two concurrent
   * closes (or a close and a late ledger write) exactly one finishes it.
   */
  @Query(
      "UPDATE migration_request SET request_state = 'finished', status = :status,"
          + " message = :message, updated_at = :now"
          + " WHERE id = :id AND request_state <> 'finished'")
  long finishIfOpen(String id, String status, String message, Instant now);

  /** The requests not finished (nor denied) that have a workflow: what reconciliation checks. */
  @Query(
      "SELECT * FROM migration_request WHERE request_state <> 'finished'"
          + " AND approval_state <> 'denied' AND workflow_id IS NOT NULL ORDER BY created_at")
  List<RequestRow> openWithWorkflow();
}

package dev.vmigrate.api.db;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The ledger rows: one per VM of a request. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RequestVmRepository extends CrudRepository<RequestVmRow, String> {
  List<RequestVmRow> findByRequestIdOrderByPosition(String requestId);

  Optional<RequestVmRow> findByRequestIdAndVmId(String requestId, String vmId);

  /** A page of the approved VMs in ledger order, as the request workflow loads them. */
  @Query(
      "SELECT * FROM request_vm WHERE request_id = :requestId AND approved_position IS NOT NULL"
          + " ORDER BY approved_position LIMIT :limit OFFSET :offset")
  List<RequestVmRow> approvedPage(String requestId, int offset, int limit);

  /** VM rows still in play in requests that are not finished (nor denied). */
  @Query(
      "SELECT rv.* FROM request_vm rv JOIN migration_request r ON r.id = rv.request_id"
          + " WHERE r.request_state <> 'finished' AND r.approval_state <> 'denied'"
          + " AND rv.state IN ('PLANNED', 'APPROVED', 'STARTED')")
  List<RequestVmRow> openRows();

  /** Instance UUIDs a plan's earlier requests migrated. */
  @Query(
      "SELECT rv.* FROM request_vm rv JOIN migration_request r ON r.id = rv.request_id"
          + " WHERE r.plan_id = :planId AND rv.state = 'COMPLETED'")
  List<RequestVmRow> completedInPlan(String planId);

  /** The newest completed migration of a VM in any request, to name in a repeat's reason. */
  @Query(
      "SELECT * FROM request_vm WHERE LOWER(instance_uuid) = LOWER(:instanceUuid)"
          + " AND state = 'COMPLETED' ORDER BY updated_at DESC LIMIT 1")
  Optional<RequestVmRow> lastCompleted(String instanceUuid);

  /** Every ledger row of a VM, newest first: what recover matches a lost migration against. */
  @Query(
      "SELECT * FROM request_vm WHERE LOWER(instance_uuid) = LOWER(:instanceUuid)"
          + " ORDER BY updated_at DESC")
  List<RequestVmRow> byInstanceUuid(String instanceUuid);

  /** Records the approval's decision; a null reason keeps the proposal's (a repeat's note). */
  @Query(
      "UPDATE request_vm SET state = :state, proposal = :proposal,"
          + " reason = COALESCE(:reason, reason),"
          + " approved_position = :approvedPosition, updated_at = :now WHERE id = :id")
  long decide(
      String id,
      String state,
      String proposal,
      @Nullable String reason,
      @Nullable Integer approvedPosition,
      Instant now);

  /**
   * Marks the request's approved VMs that never started as skipped (the request finished first: it
   * was cancelled), so that no VM of a finished request still reads "approved".
   */
  @Query(
      "UPDATE request_vm SET state = 'SKIPPED', message = :message, updated_at = :now"
          + " WHERE request_id = :requestId AND state = 'APPROVED'")
  long skipUnstarted(String requestId, String message, Instant now);

  @Query(
      "UPDATE request_vm SET state = :state, migration_id = COALESCE(:migrationId, migration_id),"
          + " message = :message, vm_migrate_percent = :vmPercent,"
          + " disk_migrate_percent = :diskPercent,"
          + " delivered_at = COALESCE(delivered_at, :deliveredAt), updated_at = :now"
          + " WHERE request_id = :requestId AND vm_id = :vmId")
  long recordState(
      String requestId,
      String vmId,
      String state,
      @Nullable String migrationId,
      @Nullable String message,
      int vmPercent,
      int diskPercent,
      @Nullable Instant deliveredAt,
      Instant now);

  /**
   * Moves a VM's row from {@code expected} to {@code state}; 0 when the row is no longer in {@code
   * expected} (a ledger write or another API process got there first), which then stands.
   */
  @Query(
      "UPDATE request_vm SET state = :state, message = :message, updated_at = :now"
          + " WHERE request_id = :requestId AND vm_id = :vmId AND state = :expected")
  long reconcileState(
      String requestId, String vmId, String expected, String state, String message, Instant now);
}

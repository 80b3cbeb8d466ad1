package dev.vmigrate.api.ledger;

import dev.vmigrate.api.db.RequestRepository;
import dev.vmigrate.api.db.RequestRow;
import dev.vmigrate.api.db.RequestVmRepository;
import dev.vmigrate.api.db.RequestVmRow;
import dev.vmigrate.api.service.ApprovalPolicy;
import dev.vmigrate.api.service.Webhooks;
import dev.vmigrate.model.RequestState;
import dev.vmigrate.model.VmOrder;
import dev.vmigrate.request.LedgerActivities;
import dev.vmigrate.request.VmTaskState;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link LedgerActivities} against the API's database. Every call sets state rather than appending,
 * so a retried activity leaves the same rows. Request events fire only on a state transition, so a
 * retry does not send them twice; they are fire and forget ({@link Webhooks}). Per-VM events are
 * not sent from here: the migration workflow calls a plan's post hooks durably.
 */
@Singleton
public class JdbcLedger implements LedgerActivities {
  private final RequestRepository requests;
  private final RequestVmRepository rows;
  private final Webhooks webhooks;

  public JdbcLedger(RequestRepository requests, RequestVmRepository rows, Webhooks webhooks) {
    this.requests = requests;
    this.rows = rows;
    this.webhooks = webhooks;
  }

  @Override
  public List<VmOrder> loadVmOrders(String requestId, int offset, int limit) {
    return rows.approvedPage(requestId, offset, limit).stream()
        .map(RequestVmRow::toVmOrder)
        .toList();
  }

  @Override
  @Transactional
  public void recordVmState(
      String requestId, String vmId, VmTaskState state, String migrationId, String message) {
    RequestVmRow before =
        rows.findByRequestIdAndVmId(requestId, vmId)
            .orElseThrow(
                () -> new IllegalArgumentException("no VM " + vmId + " in request " + requestId));
    Instant now = Instant.now();
    int vmPct = state == VmTaskState.COMPLETED ? 100 : before.vmMigratePercent();
    int diskPct = state == VmTaskState.COMPLETED ? 100 : before.diskMigratePercent();
    Instant delivered = state == VmTaskState.STARTED ? now : null;
    // A repeat migration says so in every state it reaches; its reason names the earlier one.
    String shown =
        ApprovalPolicy.isRepeat(before.reason()) && message != null
            ? ApprovalPolicy.REPEAT + ": " + message
            : message;
    rows.recordState(
        requestId, vmId, state.name(), migrationId, shown, vmPct, diskPct, delivered, now);
    // A plan's post-migration and post-rollback hooks are called by the VM's migration workflow
    // itself (InvokePostMigrationHooks, InvokePostRollbackHooks): retried, with an idempotency key.
  }

  @Override
  @Transactional
  public void recordRequestState(
      String requestId, RequestState state, String status, String message) {
    RequestRow before =
        requests
            .findById(requestId)
            .orElseThrow(() -> new IllegalArgumentException("no request " + requestId));
    Instant now = Instant.now();
    boolean finishes = state == RequestState.FINISHED;
    if (finishes) {
      rows.skipUnstarted(requestId, "skipped: not started before the request finished", now);
    }
    requests.updateState(requestId, state, status, message, now);
    if (finishes && !RequestState.FINISHED.value().equals(before.requestState())) {
      RequestRow after = requests.findById(requestId).orElseThrow();
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("requestId", after.id());
      e.put("planId", after.planId());
      e.put("planName", after.planName());
      e.put("approvalState", after.approvalState());
      e.put("requestState", after.requestState());
      e.put("status", after.status());
      e.put("message", after.message());
      webhooks.publish("request.finished", e, List.of());
    }
  }
}

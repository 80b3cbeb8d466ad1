package dev.vmigrate.request;

import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * A request's writes of VM states to the ledger, as asynchronous activities: at most {@code
 * maxPending} in flight (far below Temporal's per-workflow limit of pending activities), and a VM's
 * final state only after its STARTED write completed. Workflow code: it awaits with {@link
 * Workflow#await}.
 */
final class VmStateWrites {

  // The request's own logger, so log settings for requests still cover failed writes.
  private static final Logger log = Workflow.getLogger(PlanRequestWorkflowImpl.class);

  private final LedgerActivities ledger;
  private final String requestId;
  private final int maxPending;
  private final Map<String, Promise<Void>> startedWrites = new HashMap<>();
  private final List<Promise<Void>> writes = new ArrayList<>();

  VmStateWrites(LedgerActivities ledger, String requestId, int maxPending) {
    this.ledger = ledger;
    this.requestId = requestId;
    this.maxPending = maxPending;
  }

  /** Records that the VM's migration started. */
  void started(String vmId, String migrationId, String message) {
    startedWrites.put(vmId, write(vmId, VmTaskState.STARTED, migrationId, message));
  }

  /** Records the VM's final state, once the ledger has its STARTED. */
  void finished(String vmId, VmTaskState state, String migrationId, String message) {
    Promise<Void> startedWrite = startedWrites.remove(vmId);
    if (startedWrite != null) {
      // The ledger must see STARTED before the final state.
      Workflow.await(startedWrite::isCompleted);
    }
    write(vmId, state, migrationId, message);
  }

  /** Waits until every write issued so far completed, logging those that failed. */
  void awaitAll() {
    Workflow.await(() -> writes.stream().allMatch(Promise::isCompleted));
    for (Promise<Void> p : writes) {
      if (p.getFailure() != null) {
        // Writes retry without limit, so only a non-retryable ledger error lands here.
        log.error("ledger write failed for request {}", requestId, p.getFailure());
      }
    }
    writes.clear();
  }

  private Promise<Void> write(String vmId, VmTaskState state, String migrationId, String message) {
    Workflow.await(() -> pending() < maxPending);
    Promise<Void> p =
        Async.procedure(ledger::recordVmState, requestId, vmId, state, migrationId, message);
    writes.add(p);
    return p;
  }

  private int pending() {
    writes.removeIf(p -> p.isCompleted() && p.getFailure() == null);
    return (int) writes.stream().filter(p -> !p.isCompleted()).count();
  }
}

package dev.vmigrate.server.simulation;

import dev.vmigrate.model.RequestState;
import dev.vmigrate.model.VmOrder;
import dev.vmigrate.request.LedgerActivities;
import dev.vmigrate.request.VmTaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The ledger of a simulated request, in memory: it serves the orders and notes when each VM starts
 * and ends, in simulated time. Idempotent as the real one: a state written twice keeps its first
 * time.
 */
final class SimulationLedger implements LedgerActivities {

  /** What the ledger knows of one VM. */
  static final class Row {
    volatile VmTaskState state;
    volatile Instant started;
    volatile Instant ended;
    volatile String message;
  }

  private final List<VmOrder> orders;
  private final Clock clock;
  private final Map<String, Row> rows = new ConcurrentHashMap<>();
  private final CountDownLatch finished = new CountDownLatch(1);

  SimulationLedger(List<VmOrder> orders, Clock clock) {
    this.orders = List.copyOf(orders);
    this.clock = clock;
    orders.forEach(o -> rows.put(o.vmId(), new Row()));
  }

  @Override
  public List<VmOrder> loadVmOrders(String requestId, int offset, int limit) {
    if (offset >= orders.size()) {
      return List.of();
    }
    return orders.subList(offset, Math.min(orders.size(), offset + limit));
  }

  @Override
  public void recordVmState(
      String requestId, String vmId, VmTaskState state, String migrationId, String message) {
    Row row = rows.get(vmId);
    if (row == null) {
      throw new IllegalArgumentException("no VM " + vmId + " in the simulated request");
    }
    synchronized (row) {
      Instant now = clock.instant();
      if (state == VmTaskState.STARTED && row.started == null) {
        row.started = now;
      }
      if (state.finished() && row.ended == null) {
        row.ended = now;
        if (row.started == null) {
          row.started = now;
        }
      }
      row.state = state;
      row.message = message;
    }
  }

  @Override
  public void recordRequestState(
      String requestId, RequestState state, String status, String message) {
    if (state == RequestState.FINISHED) {
      finished.countDown();
    }
  }

  /**
   * Waits, in real time, until the request has recorded that it finished; false when {@code
   * timeout} passed first. Cheaper than a long poll on the request's result, which the test server
   * answers by filtering the request's whole history at each of its new events.
   */
  boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  Row row(String vmId) {
    return rows.get(vmId);
  }
}

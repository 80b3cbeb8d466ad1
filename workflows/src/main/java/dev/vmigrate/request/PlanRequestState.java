package dev.vmigrate.request;

import dev.vmigrate.admission.AdmissionJob;
import dev.vmigrate.admission.AdmissionScheduler;
import dev.vmigrate.admission.VsphereCostModel;
import dev.vmigrate.model.RequestState;
import dev.vmigrate.model.VmOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one run of {@link PlanRequestWorkflowImpl} knows about its request: the counters, the orders
 * queued and running under admission control, the events children sent that the loop has not
 * handled yet, and the pause and cancel flags. Plain Java with no Temporal calls, so the loop
 * decides which commands to issue and this class only records what happened; the continue-as-new
 * {@link RequestCheckpoint} is built from it.
 */
final class PlanRequestState {

  /** A child's (or a followed migration's) outcome, waiting for the loop to record it. */
  record Finished(String vmId, MigrationOutcome outcome) {}

  private VsphereCostModel costModel;
  private AdmissionScheduler scheduler = new AdmissionScheduler();
  private final Map<String, VmOrder> orders = new LinkedHashMap<>();
  private final List<String> startedEvents = new ArrayList<>();
  private final List<Finished> finishedEvents = new ArrayList<>();
  private int admittedThisRun;
  private int pendingStarts;
  private int total;
  private int nextOffset;
  private int completed;
  private int failed;
  private int rolledBack;
  private int skipped;
  private boolean paused;
  private boolean cancelled;
  private boolean cancelIssued;
  private boolean finished;
  private boolean draining;
  private boolean progressThisRun;
  // Set by resume so the loop re-runs admission without an event from a child.
  private boolean wake;
  // Whether the ledger was last told paused (true) or active (false).
  private boolean pausedInLedger;

  /**
   * Starts the run's state: the request's VM count, how its orders are costed, and the admission
   * policy of the model's limits (vmigrate's, or the fifo baseline).
   */
  void begin(int totalVms, VsphereCostModel model) {
    this.total = totalVms;
    this.costModel = model;
    this.scheduler = AdmissionScheduler.forLimits(model.limits());
  }

  /**
   * Takes over a previous run's state. Running orders are marked running as of {@code now} (their
   * real start is unknown here; counting from now only makes the estimate pessimistic).
   *
   * @return the running orders, in checkpoint order, which this run must follow
   */
  List<VmOrder> restore(RequestCheckpoint cp, long now) {
    nextOffset = cp.nextOffset();
    paused = cp.paused();
    // The checkpoint does not say what the ledger was told: a paused run records its pause once
    // more (the write is idempotent), which also covers a previous run that recorded none.
    pausedInLedger = false;
    RequestProgress p = cp.progress();
    completed = p.completed();
    failed = p.failed();
    rolledBack = p.rolledBack();
    skipped = p.skipped();
    cancelled = p.state() == RequestState.CANCELLING;
    for (VmOrder order : cp.running()) {
      orders.put(order.vmId(), order);
      scheduler.markRunning(costModel.jobFor(order), now);
    }
    for (VmOrder order : cp.queued()) {
      orders.put(order.vmId(), order);
      scheduler.enqueue(costModel.jobFor(order));
    }
    return cp.running();
  }

  // --- Paging orders in from the ledger.

  /** Whether the ledger holds orders not loaded yet and the queue has room for a page. */
  boolean wantsPage(int pageSize, int lookahead) {
    return nextOffset < total && scheduler.queuedCount() + pageSize <= lookahead;
  }

  /** The ledger ran out before the announced count: the request has only what was loaded. */
  void ledgerEnded() {
    total = nextOffset;
  }

  /** Counts a loaded page's orders as read (before they are queued). */
  void pageLoaded(int size) {
    nextOffset += size;
  }

  /**
   * Queues a loaded order for admission.
   *
   * @return false if the order's VM is already known (a duplicate, dropped from the total)
   */
  boolean enqueue(VmOrder order) {
    if (orders.putIfAbsent(order.vmId(), order) == null) {
      scheduler.enqueue(costModel.jobFor(order));
      return true;
    }
    total--;
    return false;
  }

  // --- Admission.

  /** The orders admission lets start now, at most {@code budget} of them, now marked running. */
  List<VmOrder> admit(long now, int budget) {
    List<VmOrder> admitted = new ArrayList<>();
    for (AdmissionJob job : scheduler.admit(now, budget)) {
      admitted.add(orders.get(job.id()));
    }
    return admitted;
  }

  /** A child for an admitted order is being started. */
  void childStarting() {
    pendingStarts++;
    admittedThisRun++;
    progressThisRun = true;
  }

  /** A child's start settled; a started one waits in the event queue to be recorded. */
  void childStartSettled(String vmId, boolean started) {
    pendingStarts--;
    if (started) {
      startedEvents.add(vmId);
    }
  }

  /** A migration's outcome arrived; it waits in the event queue to be recorded. */
  void migrationFinished(String vmId, MigrationOutcome outcome) {
    finishedEvents.add(new Finished(vmId, outcome));
  }

  // --- Handling the queued events.

  boolean hasStartedEvent() {
    return !startedEvents.isEmpty();
  }

  String takeStartedEvent() {
    return startedEvents.remove(0);
  }

  /** Removes the start event of this VM if still queued; true if there was one. */
  boolean takeStartedEvent(String vmId) {
    return startedEvents.remove(vmId);
  }

  boolean hasFinishedEvent() {
    return !finishedEvents.isEmpty();
  }

  Finished takeFinishedEvent() {
    return finishedEvents.remove(0);
  }

  /**
   * Removes a finished VM from the running set, freeing its admission resources.
   *
   * @return its order, or null if it was already accounted for
   */
  VmOrder release(String vmId) {
    VmOrder order = orders.remove(vmId);
    if (order == null || !scheduler.release(vmId)) {
      return null;
    }
    return order;
  }

  /** Counts a VM's final state. */
  void count(VmTaskState state) {
    switch (state) {
      case COMPLETED -> completed++;
      case ROLLED_BACK -> rolledBack++;
      case SKIPPED -> skipped++;
      default -> failed++;
    }
    progressThisRun = true;
  }

  // --- Signals and the loop's own flags.

  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
    wake = true;
  }

  void cancel() {
    cancelled = true;
  }

  /**
   * Withdraws every queued order and marks the cancellation issued.
   *
   * @return the running orders, which the loop must cancel
   */
  List<VmOrder> cancelQueued() {
    cancelIssued = true;
    for (AdmissionJob job : scheduler.queuedJobs()) {
      scheduler.withdraw(job.id());
      orders.remove(job.id());
    }
    return runningOrders();
  }

  /**
   * The state the ledger should read that it was not told yet: PAUSED while paused, ACTIVE again on
   * resume or when a cancel overrides a pause; null when the ledger is up to date.
   */
  RequestState pauseStateToRecord() {
    boolean wanted = paused && !cancelled && !finished;
    if (wanted == pausedInLedger) {
      return null;
    }
    return wanted ? RequestState.PAUSED : RequestState.ACTIVE;
  }

  /** The ledger was told {@code recorded} (PAUSED or ACTIVE). */
  void pauseRecorded(RequestState recorded) {
    pausedInLedger = recorded == RequestState.PAUSED;
  }

  /** Whether a pause or resume waits to be recorded in the ledger. */
  boolean pauseChangeUnrecorded() {
    return pauseStateToRecord() != null;
  }

  void startDraining() {
    draining = true;
  }

  void finish() {
    finished = true;
  }

  void wakeHandled() {
    wake = false;
  }

  // --- Questions the loop asks.

  boolean cancelPending() {
    return cancelled && !cancelIssued;
  }

  /** Whether admission may run: not paused, cancelled or draining. */
  boolean admitting() {
    return !paused && !cancelled && !draining;
  }

  /** Whether the loop has something to do after waking up. */
  boolean hasWork() {
    return !finishedEvents.isEmpty()
        || !startedEvents.isEmpty()
        || (cancelled && !cancelIssued)
        || (draining && pendingStarts == 0)
        || (!paused && !cancelled && !draining && scheduler.queuedCount() > 0 && wake);
  }

  /** Nothing runs or is starting, and nothing is left to admit (or the request was cancelled). */
  boolean isDone() {
    if (scheduler.runningCount() > 0 || pendingStarts > 0) {
      return false;
    }
    if (cancelled) {
      return true;
    }
    return nextOffset >= total && scheduler.queuedCount() == 0;
  }

  /** Draining, and every start and event has settled: time to continue as new. */
  boolean drained() {
    return draining && pendingStarts == 0 && startedEvents.isEmpty() && finishedEvents.isEmpty();
  }

  /** Orders wait, but nothing runs or starts that could add events to this run's history. */
  boolean queuedWithNothingRunning() {
    return scheduler.queuedCount() > 0 && scheduler.runningCount() == 0 && pendingStarts == 0;
  }

  // --- Reading the state.

  /** Running orders in the order they started. */
  List<VmOrder> runningOrders() {
    List<VmOrder> running = new ArrayList<>();
    for (AdmissionScheduler.RunningJob r : scheduler.runningJobs()) {
      running.add(orders.get(r.job().id()));
    }
    return running;
  }

  /** Queued orders in the order they were enqueued. */
  List<VmOrder> queuedOrders() {
    List<VmOrder> queued = new ArrayList<>();
    for (AdmissionJob job : scheduler.queuedJobs()) {
      queued.add(orders.get(job.id()));
    }
    return queued;
  }

  /** The order holding admission's reservation (next when its resources free), if any. */
  Optional<VmOrder> reservedOrder() {
    return scheduler.reservedJob().map(orders::get);
  }

  VmOrder order(String vmId) {
    return orders.get(vmId);
  }

  /** Admission's load per resource, for the {@code admission} query. */
  List<dev.vmigrate.admission.ResourceLoad> admissionLoads() {
    return scheduler.loads();
  }

  RequestProgress progress(String requestId) {
    int running = scheduler.runningCount();
    int done = completed + failed + rolledBack + skipped;
    int queued = Math.max(0, total - done - running);
    RequestState state =
        finished
            ? RequestState.FINISHED
            : cancelled
                ? RequestState.CANCELLING
                : paused ? RequestState.PAUSED : RequestState.ACTIVE;
    int percent = total == 0 ? 100 : (int) (100L * done / total);
    return new RequestProgress(
        requestId, state, total, queued, running, completed, failed, rolledBack, skipped, percent);
  }

  /** What the next run needs to carry on: the ledger offset, running and queued orders. */
  RequestCheckpoint checkpoint(String requestId) {
    return new RequestCheckpoint(
        nextOffset, runningOrders(), queuedOrders(), progress(requestId), paused);
  }

  int total() {
    return total;
  }

  int nextOffset() {
    return nextOffset;
  }

  int completed() {
    return completed;
  }

  int failed() {
    return failed;
  }

  int rolledBack() {
    return rolledBack;
  }

  int skipped() {
    return skipped;
  }

  int admittedThisRun() {
    return admittedThisRun;
  }

  boolean progressThisRun() {
    return progressThisRun;
  }

  boolean paused() {
    return paused;
  }

  boolean cancelled() {
    return cancelled;
  }

  boolean cancelIssued() {
    return cancelIssued;
  }

  boolean finished() {
    return finished;
  }

  boolean draining() {
    return draining;
  }
}

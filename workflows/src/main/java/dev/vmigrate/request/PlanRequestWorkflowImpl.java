package dev.vmigrate.request;

import dev.vmigrate.admission.AdmissionScheduler;
import dev.vmigrate.admission.VsphereCostModel;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationSearchAttributes;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.RequestState;
import dev.vmigrate.model.VmOrder;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.ExternalWorkflowStub;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;

/**
 * Runs a request's approved VMs as child {@link VmMigrationWorkflow}s under {@link
 * AdmissionScheduler}, within Temporal's limits for plans of 10,000 VMs.
 *
 * <ul>
 *   <li><b>Paging.</b> VMs are read from the ledger a page at a time and at most {@code lookahead}
 *       wait in memory, so inputs, state and checkpoints stay far below the 2 MB payload limit.
 *   <li><b>Bounded children.</b> At most {@code maxPendingChildren} migrations run at once (a
 *       resource of the cost model, so never more than admission allows either).
 *   <li><b>Children outlive the parent's runs.</b> Children use parent close policy ABANDON: a
 *       continue-as-new closes the run, and any other policy would terminate or cancel (roll back)
 *       every migration in flight; terminating a migration would also skip its compensations.
 *       Cancelling the request therefore cancels children explicitly.
 *   <li><b>Continue-as-new.</b> When the history reaches {@code continueAsNewAfterEvents} or the
 *       server suggests it, the run stops admitting, lets child starts and ledger writes settle,
 *       and continues as new with a {@link RequestCheckpoint} holding the running and queued
 *       orders. A new run is no longer the parent of the previous run's children (their completion
 *       events go to the closed run), so it follows each of them with {@link
 *       MigrationWatchActivities#awaitMigration}, which waits on the migration's result by workflow
 *       id. Completions are counted once: a run removes a VM from its running set exactly when it
 *       records the final state, and only VMs still running are carried over.
 * </ul>
 */
public class PlanRequestWorkflowImpl implements PlanRequestWorkflow {

  /** Well under Temporal's 10,240-event warning, leaving room to drain 500 starts. */
  public static final int DEFAULT_CONTINUE_AS_NEW_EVENTS = 4_000;

  public static final int DEFAULT_MAX_PENDING_CHILDREN = 500;
  public static final int DEFAULT_PAGE_SIZE = 200;
  public static final int DEFAULT_LOOKAHEAD = 1_000;
  private static final int MAX_PENDING_LEDGER_WRITES = 200;
  private static final int EVENTS_PER_VM = 10;

  private static final Logger log = Workflow.getLogger(PlanRequestWorkflowImpl.class);

  private final int continueAsNewAfterEvents;
  private final int maxPendingChildren;
  private final int pageSize;
  private final int lookahead;
  // Whether the server's suggestion to continue as new is taken (always, but in a plan simulation).
  private final boolean takesSuggestion;

  private final LedgerActivities ledger =
      Workflow.newActivityStub(
          LedgerActivities.class,
          ActivityOptions.newBuilder()
              .setTaskQueue(LedgerActivities.TASK_QUEUE)
              .setStartToCloseTimeout(Duration.ofMinutes(1))
              // The ledger may be down for a while; the request waits rather than fails.
              .setRetryOptions(
                  RetryOptions.newBuilder().setMaximumInterval(Duration.ofMinutes(1)).build())
              .build());

  private final MigrationWatchActivities watch =
      Workflow.newActivityStub(
          MigrationWatchActivities.class,
          ActivityOptions.newBuilder()
              // Each attempt re-polls the result; the timeout bounds how long a lost worker's
              // watch goes unnoticed (retries of an attempt add no history events).
              .setStartToCloseTimeout(MigrationWatchActivitiesImpl.ATTEMPT_TIMEOUT)
              .setRetryOptions(
                  RetryOptions.newBuilder().setMaximumInterval(Duration.ofMinutes(1)).build())
              .build());

  private RequestInput input;
  private final PlanRequestState state = new PlanRequestState();
  private VmStateWrites vmStates;

  /**
   * Whether this run tells the ledger when it pauses and resumes; false when replaying a run
   * recorded before it did, so that its commands replay as they ran.
   */
  private boolean recordsPause;

  public PlanRequestWorkflowImpl() {
    this(
        DEFAULT_CONTINUE_AS_NEW_EVENTS,
        DEFAULT_MAX_PENDING_CHILDREN,
        DEFAULT_PAGE_SIZE,
        DEFAULT_LOOKAHEAD);
  }

  /**
   * For workers that need other bounds (tests use small ones to force continue-as-new). Changing
   * them for open requests changes when they continue as new, which replay would detect.
   */
  public PlanRequestWorkflowImpl(
      int continueAsNewAfterEvents, int maxPendingChildren, int pageSize, int lookahead) {
    this(continueAsNewAfterEvents, maxPendingChildren, pageSize, lookahead, true);
  }

  /**
   * A request that never continues as new: only the bound on events could make it, and a bound
   * above the history decides nothing. For a plan simulation on Temporal's test server, which
   * suggests continuing as new at 4,096 events: a continued request would follow its children
   * through watcher activities, which hold the test server's clock, and a child ending after its
   * parent run closed holds that clock for good.
   */
  public static PlanRequestWorkflowImpl withoutContinueAsNew(int maxPendingChildren) {
    return new PlanRequestWorkflowImpl(
        Integer.MAX_VALUE, maxPendingChildren, DEFAULT_PAGE_SIZE, DEFAULT_LOOKAHEAD, false);
  }

  private PlanRequestWorkflowImpl(
      int continueAsNewAfterEvents,
      int maxPendingChildren,
      int pageSize,
      int lookahead,
      boolean takesSuggestion) {
    this.continueAsNewAfterEvents = continueAsNewAfterEvents;
    this.maxPendingChildren = maxPendingChildren;
    this.pageSize = pageSize;
    this.lookahead = Math.max(lookahead, pageSize);
    this.takesSuggestion = takesSuggestion;
  }

  @Override
  public RequestProgress run(RequestInput in) {
    this.input = in;
    this.vmStates = new VmStateWrites(ledger, in.requestId(), MAX_PENDING_LEDGER_WRITES);
    state.begin(
        in.totalVms(),
        new VsphereCostModel(
            in.mapping().sourceVcenter(),
            in.limits(),
            maxPendingChildren,
            in.options() != null && in.options().type() == MigrationType.NETWORK));
    recordsPause =
        Workflow.getVersion("record-paused-request-state", Workflow.DEFAULT_VERSION, 1) == 1;
    RequestCheckpoint cp = in.checkpoint();
    boolean waited =
        cp == null
            && in.windowStart() != null
            && Workflow.getVersion("wait-for-window-in-workflow", Workflow.DEFAULT_VERSION, 1) == 1
            && awaitWindow(in.windowStart());
    // Paused or cancelled while waiting: the ledger reads paused, or the loop records the cancel.
    boolean held = waited && (state.paused() || state.cancelled());
    if (cp == null) {
      if (!held) {
        ledger.recordRequestState(
            in.requestId(),
            RequestState.ACTIVE,
            "Ok",
            "started: " + state.total() + " approved VMs");
      }
    } else {
      for (VmOrder order : state.restore(cp, Workflow.currentTimeMillis())) {
        follow(order);
      }
    }
    while (true) {
      processEvents();
      if (recordsPause) {
        recordPauseChange();
      }
      if (state.cancelPending()) {
        cancelEverything();
      }
      if (!state.cancelled() && !state.draining()) {
        refillQueue();
      }
      if (state.admitting()) {
        admit();
      }
      if (state.isDone()) {
        break;
      }
      if (!state.draining()
          && state.progressThisRun()
          && (historyNearlyFull() || budgetSpentWithNothingToWait())) {
        state.startDraining();
      }
      if (state.drained()) {
        continueAsNew();
      }
      publishDetails();
      Workflow.await(() -> state.hasWork() || (recordsPause && state.pauseChangeUnrecorded()));
      state.wakeHandled();
    }
    vmStates.awaitAll();
    state.finish();
    String status = RequestDetails.status(state);
    ledger.recordRequestState(
        in.requestId(), RequestState.FINISHED, status, RequestDetails.summary(state));
    publishDetails();
    return progress();
  }

  /**
   * Waits on a durable timer until the plan's time window opens. The request is a running workflow
   * meanwhile, so a cancel ends the wait at once (the main loop then finishes the request without
   * starting a VM) and a pause or resume is recorded as it arrives; a request still paused when the
   * window opens admits nothing until resumed.
   *
   * @return whether it waited (the window was still ahead)
   */
  private boolean awaitWindow(Instant windowStart) {
    long left = windowStart.toEpochMilli() - Workflow.currentTimeMillis();
    if (left <= 0) {
      return false;
    }
    ledger.recordRequestState(
        input.requestId(),
        RequestState.ACTIVE,
        "Ok",
        RequestDetails.waitingForWindow(windowStart, state.total()));
    while (left > 0 && !state.cancelled()) {
      if (recordsPause) {
        recordPauseChange();
      }
      Workflow.setCurrentDetails(
          RequestDetails.markdown(input.requestId(), input.planName(), state)
              + "\n\n"
              + RequestDetails.waitingForWindow(windowStart, state.total())
              + "\n");
      Workflow.await(
          Duration.ofMillis(left),
          () -> state.cancelled() || (recordsPause && state.pauseChangeUnrecorded()));
      left = windowStart.toEpochMilli() - Workflow.currentTimeMillis();
    }
    return true;
  }

  @Override
  public void pause() {
    state.pause();
  }

  @Override
  public void resume() {
    state.resume();
  }

  @Override
  public void cancel() {
    state.cancel();
  }

  @Override
  public RequestProgress progress() {
    return state.progress(input == null ? null : input.requestId());
  }

  @Override
  public List<dev.vmigrate.admission.ResourceLoad> admission() {
    return state.admissionLoads();
  }

  /**
   * Tells the ledger that the request paused or resumed, once per change, so that the API and CLI
   * read the state the workflow acts on (a pause sent with {@code temporal workflow signal} too).
   * The write is ordered before the final {@code finished}, which a write by the API on accepting
   * the signal would not be.
   */
  private void recordPauseChange() {
    RequestState target = state.pauseStateToRecord();
    if (target == null) {
      return;
    }
    String message =
        target == RequestState.PAUSED
            ? "paused: admitting no more VMs; "
                + state.progress(input.requestId()).running()
                + " running go on"
            : state.cancelled()
                ? "cancelling: rolling back the running migrations"
                : "resumed: admitting VMs again";
    state.pauseRecorded(target);
    ledger.recordRequestState(input.requestId(), target, "Ok", message);
  }

  private void refillQueue() {
    while (state.wantsPage(pageSize, lookahead)) {
      List<VmOrder> page = ledger.loadVmOrders(input.requestId(), state.nextOffset(), pageSize);
      if (page.isEmpty()) {
        log.warn("ledger has {} VMs, request announced {}", state.nextOffset(), state.total());
        state.ledgerEnded();
        return;
      }
      state.pageLoaded(page.size());
      for (VmOrder order : page) {
        if (!state.enqueue(order)) {
          log.warn("duplicate VM {} in ledger page, ignored", order.vmId());
        }
      }
    }
  }

  private void admit() {
    // Each VM costs about ten events (child start, two ledger writes, workflow tasks): start no
    // more than the run's history can take before continue-as-new, so draining stays short. The
    // budget is counted from this run's own admissions, which replay reproduces exactly.
    long left = continueAsNewAfterEvents - (long) state.admittedThisRun() * EVENTS_PER_VM;
    int budget = (int) Math.max(0, left / EVENTS_PER_VM);
    if (budget == 0 && !state.progressThisRun()) {
      budget = 1; // a run must move forward even if its inherited state filled the budget
    }
    for (VmOrder order : state.admit(Workflow.currentTimeMillis(), budget)) {
      startChild(order);
    }
  }

  private void startChild(VmOrder order) {
    String vc = input.mapping().sourceVcenter();
    String migrationId = order.migrationId(vc);
    VmMigrationWorkflow child =
        Workflow.newChildWorkflowStub(
            VmMigrationWorkflow.class, childOptions(migrationId, vc, order));
    MigrationRequest request =
        new MigrationRequest(
            order.vmId(),
            input.mapping(),
            input.options(),
            input.planName(),
            input.requestId(),
            input.temporal());
    Promise<MigrationResult> result = Async.function(child::migrate, request);
    Promise<WorkflowExecution> started = Workflow.getWorkflowExecution(child);
    state.childStarting();
    started.handle(
        (execution, failure) -> {
          state.childStartSettled(order.vmId(), failure == null);
          return null;
        });
    result.handle(
        (r, failure) -> {
          state.migrationFinished(order.vmId(), MigrationOutcome.of(r, failure));
          return null;
        });
  }

  // A migration started by an earlier run: this run is not its parent and must watch it.
  private void follow(VmOrder order) {
    String migrationId = migrationId(order);
    Async.function(watch::awaitMigration, migrationId)
        .handle(
            (outcome, failure) -> {
              state.migrationFinished(
                  order.vmId(),
                  failure == null
                      ? outcome
                      : new MigrationOutcome(
                          VmTaskState.FAILED, "lost track: " + failure.getMessage()));
              return null;
            });
  }

  private void processEvents() {
    while (state.hasStartedEvent()) {
      recordStarted(state.takeStartedEvent());
    }
    while (state.hasFinishedEvent()) {
      PlanRequestState.Finished f = state.takeFinishedEvent();
      // Writes below may yield, letting a start and the finish of the same VM both arrive.
      if (state.takeStartedEvent(f.vmId())) {
        recordStarted(f.vmId());
      }
      VmOrder order = state.release(f.vmId());
      if (order == null) {
        continue; // already accounted for
      }
      vmStates.finished(f.vmId(), f.outcome().state(), migrationId(order), f.outcome().message());
      state.count(f.outcome().state());
    }
  }

  private void recordStarted(String vmId) {
    VmOrder order = state.order(vmId);
    String migrationId = migrationId(order);
    vmStates.started(vmId, migrationId, "started on " + order.sourceHost());
    if (state.cancelIssued()) {
      // Its start was still pending when the request was cancelled.
      requestCancel(migrationId);
    }
  }

  private String migrationId(VmOrder order) {
    return order.migrationId(input.mapping().sourceVcenter());
  }

  private void cancelEverything() {
    for (VmOrder order : state.cancelQueued()) {
      // Children are abandoned on close, so cancellation is explicit; they roll back.
      requestCancel(migrationId(order));
    }
  }

  // Asynchronous, so hundreds go out in one workflow task; a migration that closed meanwhile
  // makes the request fail, which is harmless (its outcome arrives anyway) and so ignored.
  private static void requestCancel(String migrationId) {
    ExternalWorkflowStub migration = Workflow.newUntypedExternalWorkflowStub(migrationId);
    Async.procedure(migration::cancel)
        .handle(
            (ok, failure) -> {
              if (failure != null) {
                log.info("cancel of {} not delivered: {}", migrationId, failure.getMessage());
              }
              return null;
            });
  }

  /**
   * This run may admit no more (its budget assumes {@link #EVENTS_PER_VM} events per VM, and
   * batched events make fewer) and nothing that runs will add events to bring its history to the
   * threshold: without continuing as new now, the request would wait for ever with VMs queued.
   * Versioned, so runs recorded before this check replay as they ran.
   */
  private boolean budgetSpentWithNothingToWait() {
    boolean spent =
        (long) state.admittedThisRun() * EVENTS_PER_VM >= continueAsNewAfterEvents
            && state.queuedWithNothingRunning();
    return spent
        && Workflow.getVersion("drain-when-admission-budget-spent", Workflow.DEFAULT_VERSION, 1)
            == 1;
  }

  private boolean historyNearlyFull() {
    return Workflow.getInfo().getHistoryLength() >= continueAsNewAfterEvents
        || (takesSuggestion && Workflow.getInfo().isContinueAsNewSuggested());
  }

  private void continueAsNew() {
    vmStates.awaitAll();
    Workflow.continueAsNew(
        new RequestInput(
            input.requestId(),
            input.planName(),
            input.mapping(),
            input.options(),
            input.limits(),
            state.total(),
            state.checkpoint(input.requestId()),
            null,
            input.temporal()));
  }

  private void publishDetails() {
    Workflow.setCurrentDetails(RequestDetails.markdown(input.requestId(), input.planName(), state));
  }

  private ChildWorkflowOptions childOptions(String migrationId, String vc, VmOrder order) {
    ChildWorkflowOptions.Builder b =
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(migrationId)
            .setTaskQueue(MigrationIds.taskQueue(vc))
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
            .setStaticSummary(
                "Migrate "
                    + order.name()
                    + " (plan "
                    + input.planName()
                    + ", request "
                    + input.requestId()
                    + ")");
    // A request started with the search attributes (so they are registered) passes them on.
    if (Workflow.getTypedSearchAttributes().containsKey(MigrationSearchAttributes.REQUEST_ID)) {
      b.setTypedSearchAttributes(
          MigrationSearchAttributes.forMigration(
              order.name(), input.planName(), input.requestId()));
    }
    return b.build();
  }
}

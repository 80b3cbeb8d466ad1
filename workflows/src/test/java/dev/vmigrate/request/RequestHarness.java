package dev.vmigrate.request;

import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.admission.VsphereCostModel;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.VmOrder;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.List;

/**
 * A Temporal test environment with the request worker, a fake migration worker on vCenter {@code
 * vc1}'s task queue and an in-memory ledger.
 */
final class RequestHarness implements AutoCloseable {

  static final String VC = "vc1";
  static final String REQUEST_QUEUE = "vmigrate-requests";

  final TestWorkflowEnvironment env;
  final FakeLedger ledger = new FakeLedger();
  final WorkflowClient client;
  final AdmissionLimits limits;

  /** With time skipping: fake migrations take their estimated duration in test time. */
  RequestHarness(
      AdmissionLimits limits,
      List<VmOrder> plan,
      int continueAsNewAfterEvents,
      int maxPendingChildren,
      int pageSize,
      int lookahead) {
    this(limits, plan, continueAsNewAfterEvents, maxPendingChildren, pageSize, lookahead, 1);
  }

  /**
   * @param speedup 1 for time skipping; above 1, real time with migrations that many times shorter.
   *     The test server does not skip time while an activity awaits manual completion, which the
   *     migration watcher used after continue-as-new does.
   */
  RequestHarness(
      AdmissionLimits limits,
      List<VmOrder> plan,
      int continueAsNewAfterEvents,
      int maxPendingChildren,
      int pageSize,
      int lookahead,
      long speedup) {
    this.limits = limits;
    this.env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(speedup == 1).build());
    this.client = env.getWorkflowClient();
    FakeMigrationWorkflow.Fleet.reset(new VsphereCostModel(VC, limits, maxPendingChildren), plan);
    FakeMigrationWorkflow.Fleet.speedup = speedup;
    // The watcher long-polls with a plain client: the test client's time-skipping lock counting
    // is meant for the test thread, not for hundreds of concurrent polls.
    WorkflowClient plain =
        WorkflowClient.newInstance(
            env.getWorkflowServiceStubs(),
            WorkflowClientOptions.newBuilder().setNamespace(env.getNamespace()).build());
    Worker requests = env.newWorker(REQUEST_QUEUE);
    requests.registerWorkflowImplementationFactory(
        PlanRequestWorkflow.class,
        () ->
            new PlanRequestWorkflowImpl(
                continueAsNewAfterEvents, maxPendingChildren, pageSize, lookahead));
    requests.registerActivitiesImplementations(new MigrationWatchActivitiesImpl(plain));
    env.newWorker(MigrationIds.taskQueue(VC))
        .registerWorkflowImplementationTypes(FakeMigrationWorkflow.class);
    env.newWorker(LedgerActivities.TASK_QUEUE).registerActivitiesImplementations(ledger);
    ledger.vms.put("r1", List.copyOf(plan));
    env.start();
  }

  static RequestInput input(AdmissionLimits limits, int total) {
    return new RequestInput(
        "r1",
        "plan-a",
        new InfrastructureMapping(VC, VC, null, null, null),
        MigrationOptions.defaults(),
        limits,
        total,
        null);
  }

  PlanRequestWorkflow stub() {
    return client.newWorkflowStub(
        PlanRequestWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId("request-r1")
            .setTaskQueue(REQUEST_QUEUE)
            .build());
  }

  PlanRequestWorkflow existing() {
    return client.newWorkflowStub(PlanRequestWorkflow.class, "request-r1");
  }

  /** History length of every run of the request, first run first. */
  List<Integer> runHistoryLengths() {
    return runs().stream().map(h -> h.getHistory().getEventsCount()).toList();
  }

  /** Every run of the request, first run first. */
  List<WorkflowExecutionHistory> runs() {
    List<WorkflowExecutionHistory> runs = new ArrayList<>();
    String runId = null;
    while (true) {
      WorkflowExecutionHistory h =
          runId == null
              ? client.fetchHistory("request-r1")
              : client.fetchHistory("request-r1", runId);
      List<HistoryEvent> events = h.getHistory().getEventsList();
      runs.add(0, h);
      HistoryEvent first = events.get(0);
      if (first.getEventType() != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
        throw new IllegalStateException("unexpected first event " + first.getEventType());
      }
      String previous =
          first.getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
      if (previous.isEmpty()) {
        return runs;
      }
      runId = previous;
    }
  }

  /** Waits (in real time; test time stands still) until this many VMs were recorded STARTED. */
  void awaitStarted(int n) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (ledger.count(VmTaskState.STARTED) < n) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("only " + ledger.count(VmTaskState.STARTED) + " started");
      }
      Thread.sleep(20);
    }
  }

  static VmOrder vm(int i, String host, long diskGb, boolean storageChange) {
    return new VmOrder(
        String.format("vm-%04d", i),
        "vm" + i,
        String.format("00000000-0000-0000-0000-%012d", i),
        diskGb * 1_000_000_000L,
        4_000_000_000L,
        true,
        host,
        List.of("src-" + host),
        List.of("dst-" + (i % 3)),
        storageChange,
        10_000,
        null);
  }

  /**
   * Writes the latest run's history for {@code PlanRequestReplayTest} when {@code
   * vmigrate.histories.dir} is set.
   */
  void record(String name) {
    record(name, client.fetchHistory("request-r1"));
  }

  void record(String name, WorkflowExecutionHistory run) {
    String dir = System.getProperty("vmigrate.histories.dir");
    if (dir != null) {
      try {
        java.nio.file.Files.writeString(
            java.nio.file.Path.of(dir, name + ".json"), run.toJson(true));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @Override
  public void close() {
    env.close();
  }
}

package dev.vmigrate.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.RequestState;
import dev.vmigrate.model.VmOrder;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(90)
class PlanRequestWorkflowTest {

  private static List<VmOrder> mixedPlan(int n, int hosts) {
    List<VmOrder> plan = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      plan.add(RequestHarness.vm(i, "host-" + (i % hosts), 20 + (i * 37L) % 400, i % 3 != 0));
    }
    return plan;
  }

  private static void assertEveryVmStartedOnceThenFinished(FakeLedger ledger, List<VmOrder> plan) {
    for (VmOrder o : plan) {
      List<VmTaskState> states = ledger.vmStates.get(o.vmId());
      assertEquals(2, states == null ? 0 : states.size(), o.vmId() + ": " + states);
      assertEquals(VmTaskState.STARTED, states.get(0), o.vmId() + ": " + states);
      assertTrue(states.get(1).finished(), o.vmId() + ": " + states);
    }
  }

  @Test
  void limitsHoldAndEveryVmReachesAFinalState() {
    List<VmOrder> plan = mixedPlan(40, 3);
    AdmissionLimits limits = AdmissionLimits.vsphereDefaults(0);
    try (RequestHarness h = new RequestHarness(limits, plan, 4_000, 500, 15, 30)) {
      FakeMigrationWorkflow.Fleet.rollBack.addAll(List.of("vm-0003", "vm-0007"));
      RequestProgress result = h.stub().run(RequestHarness.input(limits, plan.size()));

      assertEquals(List.of(), FakeMigrationWorkflow.Fleet.violations);
      assertEveryVmStartedOnceThenFinished(h.ledger, plan);
      assertEquals(38, result.completed());
      assertEquals(2, result.rolledBack());
      assertEquals(0, result.running());
      assertEquals(100, result.percent());
      assertEquals(RequestState.FINISHED, result.state());
      assertEquals(VmTaskState.ROLLED_BACK, h.ledger.vmStates.get("vm-0003").get(1));
      assertTrue(h.ledger.requestStates.get(0).startsWith("active/"));
      assertTrue(h.ledger.requestStates.get(1).startsWith("finished/Warn/"));
      // Storage vMotions cost 4 of a host's 8: at most two per host, plus the vMotions.
      assertTrue(FakeMigrationWorkflow.Fleet.peakRunning <= 3 * 8);
      assertTrue(h.ledger.pageSizes.stream().allMatch(s -> s <= 15));
      h.record("request-completed");
    }
  }

  @Test
  void planLimitBoundsConcurrentMigrations() {
    List<VmOrder> plan = mixedPlan(30, 6);
    AdmissionLimits limits = AdmissionLimits.vsphereDefaults(4);
    try (RequestHarness h = new RequestHarness(limits, plan, 4_000, 500, 10, 20)) {
      RequestProgress result = h.stub().run(RequestHarness.input(limits, plan.size()));
      assertEquals(30, result.completed());
      assertTrue(FakeMigrationWorkflow.Fleet.peakRunning <= 4);
      assertEquals(List.of(), FakeMigrationWorkflow.Fleet.violations);
      assertTrue(h.ledger.requestStates.get(1).startsWith("finished/Ok/"));
    }
  }

  @Test
  void pauseStopsAdmittingAndResumeContinues() throws Exception {
    List<VmOrder> plan = mixedPlan(6, 2);
    AdmissionLimits limits = AdmissionLimits.vsphereDefaults(2);
    try (RequestHarness h = new RequestHarness(limits, plan, 4_000, 500, 10, 20)) {
      WorkflowClient.start(h.stub()::run, RequestHarness.input(limits, plan.size()));
      h.awaitStarted(2);
      PlanRequestWorkflow request = h.existing();
      request.pause();
      h.env.sleep(Duration.ofDays(1)); // long enough for the two to finish
      RequestProgress paused = request.progress();
      assertEquals(RequestState.PAUSED, paused.state());
      assertEquals(2, paused.completed());
      assertEquals(0, paused.running());
      assertEquals(4, paused.queued());
      assertEquals(2, h.ledger.count(VmTaskState.STARTED));
      assertEquals(2, h.ledger.requestStates.size(), h.ledger.requestStates.toString());
      assertTrue(h.ledger.requestStates.get(1).startsWith("paused/Ok/paused: admitting no more"));

      request.resume();
      RequestProgress done =
          h.client.newUntypedWorkflowStub("request-r1").getResult(RequestProgress.class);
      assertEquals(6, done.completed());
      assertEveryVmStartedOnceThenFinished(h.ledger, plan);
      assertEquals(4, h.ledger.requestStates.size(), h.ledger.requestStates.toString());
      assertTrue(h.ledger.requestStates.get(2).startsWith("active/Ok/resumed"));
      assertTrue(h.ledger.requestStates.get(3).startsWith("finished/"));
    }
  }

  @Test
  void cancelRollsBackRunningMigrationsAndStartsNoMore() throws Exception {
    List<VmOrder> plan = mixedPlan(6, 2);
    AdmissionLimits limits = AdmissionLimits.vsphereDefaults(2);
    try (RequestHarness h = new RequestHarness(limits, plan, 4_000, 500, 10, 20)) {
      WorkflowClient.start(h.stub()::run, RequestHarness.input(limits, plan.size()));
      h.awaitStarted(2);
      h.existing().cancel();
      // Cancellation needs no timer: let it land before test time may skip ahead.
      long deadline = System.currentTimeMillis() + 20_000;
      while (FakeMigrationWorkflow.Fleet.running() > 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      RequestProgress done =
          h.client.newUntypedWorkflowStub("request-r1").getResult(RequestProgress.class);
      assertEquals(2, done.rolledBack());
      assertEquals(0, done.completed());
      assertEquals(0, done.running());
      assertEquals(2, h.ledger.count(VmTaskState.STARTED));
      assertEquals(2, h.ledger.count(VmTaskState.ROLLED_BACK));
      assertEquals(0, FakeMigrationWorkflow.Fleet.running());
      String last = h.ledger.requestStates.get(h.ledger.requestStates.size() - 1);
      // The operator cancelled: the rollbacks were asked for, so a warning and not an error.
      assertTrue(last.startsWith("finished/Warn/") && last.contains("4 not started"), last);
      h.record("request-cancelled");
    }
  }

  @Test
  void aVmWithAnotherOpenMigrationIsRecordedFailedWithThatReason() {
    List<VmOrder> plan = mixedPlan(3, 1);
    AdmissionLimits limits = AdmissionLimits.vsphereDefaults(0);
    try (RequestHarness h = new RequestHarness(limits, plan, 4_000, 500, 10, 20)) {
      // Another plan's migration of vm-0001 is open and outlasts this request.
      VmMigrationWorkflow other =
          h.client.newWorkflowStub(
              VmMigrationWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(MigrationIds.forVm(RequestHarness.VC, plan.get(1).instanceUuid()))
                  .setTaskQueue(MigrationIds.taskQueue(RequestHarness.VC))
                  .build());
      WorkflowClient.start(
          other::migrate,
          new MigrationRequest(
              plan.get(1).vmId(),
              new InfrastructureMapping(RequestHarness.VC, RequestHarness.VC, null, null, null),
              MigrationOptions.defaults(),
              "other-plan",
              "r0"));
      RequestProgress result = h.stub().run(RequestHarness.input(limits, plan.size()));
      assertEquals(2, result.completed());
      assertEquals(1, result.failed());
      assertEquals(List.of(VmTaskState.FAILED), h.ledger.vmStates.get("vm-0001"));
      assertTrue(h.ledger.vmMessages.get("vm-0001").contains("another migration of this VM"));
    }
  }

  @Test
  void continueAsNewCarriesRunningMigrationsAndCountsEachVmOnce() {
    List<VmOrder> plan = mixedPlan(120, 4);
    AdmissionLimits limits = AdmissionLimits.vsphereDefaults(0);
    int maxChildren = 6;
    try (RequestHarness h = new RequestHarness(limits, plan, 150, maxChildren, 10, 20, 10_000)) {
      FakeMigrationWorkflow.Fleet.rollBack.add("vm-0050");
      RequestProgress result = h.stub().run(RequestHarness.input(limits, plan.size()));

      List<Integer> runs = h.runHistoryLengths();
      assertTrue(runs.size() >= 3, "runs: " + runs);
      // Each run stops admitting at the threshold and drains at most maxChildren starts.
      assertTrue(runs.stream().allMatch(n -> n < 150 + 20 * maxChildren), "runs: " + runs);
      assertEquals(119, result.completed());
      assertEquals(1, result.rolledBack());
      assertEquals(120, result.total());
      assertEveryVmStartedOnceThenFinished(h.ledger, plan);
      assertTrue(FakeMigrationWorkflow.Fleet.starts.values().stream().allMatch(n -> n == 1));
      assertEquals(120, FakeMigrationWorkflow.Fleet.starts.size());
      assertTrue(FakeMigrationWorkflow.Fleet.peakRunning <= maxChildren);
      assertEquals(List.of(), FakeMigrationWorkflow.Fleet.violations);
      h.record("request-continued-as-new");
    }
  }

  @Test
  void aRunWhoseAdmissionBudgetIsSpentContinuesAsNewEvenWithAShortHistory() throws Exception {
    // Identical VMs on hosts of their own start together and finish together, so their events
    // share workflow tasks: fewer than the ten per VM the admission budget assumes. The run spends
    // its budget with its history still short of the threshold, and nothing is left running.
    List<VmOrder> plan = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      plan.add(RequestHarness.vm(i, "host-" + i, 40, false));
    }
    AdmissionLimits limits = AdmissionLimits.vsphereDefaults(0);
    try (RequestHarness h = new RequestHarness(limits, plan, 400, 500, 90, 90)) {
      WorkflowClient.start(h.stub()::run, RequestHarness.input(limits, plan.size()));
      RequestProgress result =
          WorkflowStub.fromTyped(h.existing())
              .getResult(60, TimeUnit.SECONDS, RequestProgress.class);

      assertEquals(90, result.completed(), result.toString());
      List<Integer> runs = h.runHistoryLengths();
      assertTrue(runs.size() >= 2, "continued as new: " + runs);
      assertEveryVmStartedOnceThenFinished(h.ledger, plan);
      WorkflowExecutionHistory first = h.runs().get(0);
      assertTrue(
          first.getEvents().stream()
              .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED),
          "the first run took the versioned way out");
      h.record("request-budget-spent", first);
    }
  }

  @Test
  void cancelInAContinuedRunRollsBackWhatRunsAndAccountsForEveryStart() throws Exception {
    List<VmOrder> plan = mixedPlan(120, 4);
    AdmissionLimits limits = AdmissionLimits.vsphereDefaults(0);
    try (RequestHarness h = new RequestHarness(limits, plan, 150, 6, 10, 20, 500)) {
      WorkflowClient.start(h.stub()::run, RequestHarness.input(limits, plan.size()));
      long deadline = System.currentTimeMillis() + 60_000;
      // Wait for a continued run with migrations in flight (its own or inherited ones).
      while (h.runHistoryLengths().size() < 2 || FakeMigrationWorkflow.Fleet.running() == 0) {
        assertTrue(System.currentTimeMillis() < deadline, "no continue-as-new with migrations");
        Thread.sleep(20);
      }
      h.existing().cancel();
      RequestProgress done =
          h.client.newUntypedWorkflowStub("request-r1").getResult(RequestProgress.class);

      assertEquals(0, FakeMigrationWorkflow.Fleet.running());
      assertTrue(done.rolledBack() >= 1, done.toString());
      assertTrue(done.completed() < 120, done.toString());
      assertEquals(
          h.ledger.count(VmTaskState.STARTED),
          done.completed() + done.rolledBack() + done.failed(),
          "every started VM has exactly one final state");
      for (List<VmTaskState> states : h.ledger.vmStates.values()) {
        assertEquals(2, states.size(), states.toString());
      }
    }
  }

  private static RequestInput waitingInput(AdmissionLimits limits, int total, Instant start) {
    RequestInput in = RequestHarness.input(limits, total);
    return new RequestInput(
        in.requestId(),
        in.planName(),
        in.mapping(),
        in.options(),
        in.limits(),
        in.totalVms(),
        null,
        start,
        null);
  }

  /** The request's workflow history, once it has at least one event of the given type. */
  private static void awaitEvent(RequestHarness h, EventType type) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (h.client.fetchHistory("request-r1").getEvents().stream()
        .noneMatch(e -> e.getEventType() == type)) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("request-r1 has no " + type);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aRequestWaitsForItsWindowOnATimerAndThenRunsEveryVm() {
    List<VmOrder> plan = mixedPlan(6, 2);
    AdmissionLimits limits = AdmissionLimits.vsphereDefaults(0);
    try (RequestHarness h = new RequestHarness(limits, plan, 4_000, 500, 10, 20)) {
      Instant start = Instant.ofEpochMilli(h.env.currentTimeMillis()).plus(Duration.ofDays(365));
      RequestProgress done = h.stub().run(waitingInput(limits, plan.size(), start));

      assertEquals(6, done.completed());
      assertEveryVmStartedOnceThenFinished(h.ledger, plan);
      assertEquals(
          "active/Ok/waits for its window, starts at " + start + " (6 approved VMs)",
          h.ledger.requestStates.get(0));
      assertTrue(h.ledger.requestStates.get(1).startsWith("active/Ok/started"));
      // No migration started before the window opened.
      List<HistoryEvent> events = h.client.fetchHistory("request-r1").getEvents();
      HistoryEvent firstChild =
          events.stream()
              .filter(
                  e ->
                      e.getEventType()
                          == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)
              .findFirst()
              .orElseThrow();
      assertTrue(
          firstChild.getEventTime().getSeconds() >= start.getEpochSecond(),
          "first child at " + firstChild.getEventTime() + ", window " + start);
      h.record("request-waited-for-window");
    }
  }

  @Test
  void cancelDuringTheWaitEndsTheRequestAtOnceWithoutStartingAVm() throws Exception {
    List<VmOrder> plan = mixedPlan(4, 2);
    AdmissionLimits limits = AdmissionLimits.vsphereDefaults(0);
    try (RequestHarness h = new RequestHarness(limits, plan, 4_000, 500, 10, 20)) {
      long before = h.env.currentTimeMillis();
      Instant start = Instant.ofEpochMilli(before).plus(Duration.ofDays(365));
      WorkflowClient.start(h.stub()::run, waitingInput(limits, plan.size(), start));
      awaitEvent(h, EventType.EVENT_TYPE_TIMER_STARTED);
      assertEquals(RequestState.ACTIVE, h.existing().progress().state());

      h.existing().cancel();
      RequestProgress done =
          h.client.newUntypedWorkflowStub("request-r1").getResult(RequestProgress.class);
      assertTrue(
          h.env.currentTimeMillis() - before < Duration.ofDays(1).toMillis(),
          "the cancel waited for the timer");
      assertEquals(0, done.completed());
      assertEquals(0, done.running());
      assertEquals(0, FakeMigrationWorkflow.Fleet.starts.size());
      assertEquals(0, h.ledger.count(VmTaskState.STARTED));
      String last = h.ledger.requestStates.get(h.ledger.requestStates.size() - 1);
      // Finishing is what frees the VMs: the ledger skips every VM not started.
      assertTrue(last.startsWith("finished/") && last.contains("4 not started"), last);
    }
  }

  @Test
  void pauseDuringTheWaitIsRecordedAtOnceAndResumeRunsTheVmsOnceTheWindowOpens() throws Exception {
    List<VmOrder> plan = mixedPlan(4, 2);
    AdmissionLimits limits = AdmissionLimits.vsphereDefaults(0);
    try (RequestHarness h = new RequestHarness(limits, plan, 4_000, 500, 10, 20)) {
      Instant start = Instant.ofEpochMilli(h.env.currentTimeMillis()).plus(Duration.ofDays(30));
      WorkflowClient.start(h.stub()::run, waitingInput(limits, plan.size(), start));
      awaitEvent(h, EventType.EVENT_TYPE_TIMER_STARTED);
      h.existing().pause();
      long deadline = System.currentTimeMillis() + 20_000;
      while (h.ledger.requestStates.size() < 2 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(
          h.ledger.requestStates.get(1).startsWith("paused/Ok/paused"),
          h.ledger.requestStates.toString());
      // The window opens while paused: nothing starts.
      h.env.sleep(Duration.ofDays(31));
      assertEquals(RequestState.PAUSED, h.existing().progress().state());
      assertEquals(0, h.ledger.count(VmTaskState.STARTED));

      h.existing().resume();
      RequestProgress done =
          h.client.newUntypedWorkflowStub("request-r1").getResult(RequestProgress.class);
      assertEquals(4, done.completed());
      assertEveryVmStartedOnceThenFinished(h.ledger, plan);
    }
  }
}

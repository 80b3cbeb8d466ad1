package dev.vmigrate.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.model.VmOrder;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A request under the fifo baseline policy, through the real request workflow. */
@Timeout(90)
class FifoRequestWorkflowTest {

  // Two of three VMs change storage (host cost 4 of 8): a host's queue fills and blocks the line.
  private static List<VmOrder> mixedPlan(int n, int hosts) {
    List<VmOrder> plan = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      plan.add(RequestHarness.vm(i, "host-" + (i % hosts), 20 + (i * 37L) % 400, i % 3 != 0));
    }
    return plan;
  }

  /** The migration ids of the children every run started, in the order it started them. */
  private static List<String> childStarts(RequestHarness h) {
    List<String> ids = new ArrayList<>();
    for (WorkflowExecutionHistory run : h.runs()) {
      for (HistoryEvent e : run.getEvents()) {
        if (e.getEventType() == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED) {
          ids.add(e.getStartChildWorkflowExecutionInitiatedEventAttributes().getWorkflowId());
        }
      }
    }
    return ids;
  }

  private static List<String> ledgerOrder(List<VmOrder> plan) {
    return plan.stream().map(o -> o.migrationId(RequestHarness.VC)).toList();
  }

  @Test
  void aFifoRequestStartsVmsInLedgerOrderAndNeverRunsMoreThanTheThrottle() {
    List<VmOrder> plan = mixedPlan(30, 3);
    AdmissionLimits limits = AdmissionLimits.vsphereDefaults(0).withFifo(3);
    try (RequestHarness h = new RequestHarness(limits, plan, 4_000, 500, 10, 20)) {
      RequestProgress result = h.stub().run(RequestHarness.input(limits, plan.size()));

      assertEquals(30, result.completed());
      assertEquals(List.of(), FakeMigrationWorkflow.Fleet.violations);
      assertEquals(ledgerOrder(plan), childStarts(h));
      assertEquals(3, FakeMigrationWorkflow.Fleet.peakRunning, "the throttle, and no more");
    }
  }

  @Test
  void vmigratesPolicyOnTheSamePlanDoesNotKeepTheLedgerOrder() {
    List<VmOrder> plan = mixedPlan(30, 3);
    AdmissionLimits limits = AdmissionLimits.vsphereDefaults(3);
    try (RequestHarness h = new RequestHarness(limits, plan, 4_000, 500, 10, 20)) {
      assertEquals(30, h.stub().run(RequestHarness.input(limits, plan.size())).completed());
      List<String> starts = childStarts(h);
      assertEquals(30, starts.size());
      // The fifo order above is the policy's doing, not the harness's.
      assertNotEquals(ledgerOrder(plan), starts);
    }
  }

  @Test
  void theOrderAndTheThrottleHoldAcrossContinueAsNew() {
    List<VmOrder> plan = mixedPlan(60, 4);
    AdmissionLimits limits = AdmissionLimits.vsphereDefaults(0).withFifo(4);
    try (RequestHarness h = new RequestHarness(limits, plan, 150, 6, 10, 20, 10_000)) {
      RequestProgress result = h.stub().run(RequestHarness.input(limits, plan.size()));

      assertTrue(h.runHistoryLengths().size() >= 2, "runs: " + h.runHistoryLengths());
      assertEquals(60, result.completed());
      assertEquals(List.of(), FakeMigrationWorkflow.Fleet.violations);
      assertTrue(FakeMigrationWorkflow.Fleet.starts.values().stream().allMatch(n -> n == 1));
      assertEquals(ledgerOrder(plan), childStarts(h));
      assertTrue(
          FakeMigrationWorkflow.Fleet.peakRunning <= 4,
          "peak " + FakeMigrationWorkflow.Fleet.peakRunning);
    }
  }
}

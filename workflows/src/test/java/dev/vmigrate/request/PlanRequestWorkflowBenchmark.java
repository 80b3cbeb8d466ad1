package dev.vmigrate.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.model.VmOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The request workflow on Temporal's test server with fake migrations: history events per run,
 * runs, and peak pending children. Prints figures; asserts only correctness.
 */
@Timeout(300)
class PlanRequestWorkflowBenchmark {

  @Test
  void historyAndPendingChildren() {
    int vms = 1_500;
    List<VmOrder> plan = new ArrayList<>();
    for (int i = 0; i < vms; i++) {
      VmOrder base = RequestHarness.vm(i, "host-" + (i % 80), 20 + (i * 37L) % 400, i % 3 != 0);
      // 40 destination datastores, so that admission allows hundreds at once.
      plan.add(
          new VmOrder(
              base.vmId(),
              base.name(),
              base.instanceUuid(),
              base.diskBytes(),
              base.memoryBytes(),
              base.poweredOn(),
              base.sourceHost(),
              base.sourceDatastores(),
              List.of("dst-" + (i % 40)),
              base.storageChange(),
              base.vmotionLinkMbps(),
              null));
    }
    AdmissionLimits limits = AdmissionLimits.vsphereDefaults(0);
    long t0 = System.nanoTime();
    // Production bounds (4,000 events, 500 children, pages of 200, 1,000 queued); real time, with
    // migrations 5,000 times shorter than estimated (the watcher stalls time skipping).
    try (RequestHarness h =
        new RequestHarness(
            limits,
            plan,
            PlanRequestWorkflowImpl.DEFAULT_CONTINUE_AS_NEW_EVENTS,
            PlanRequestWorkflowImpl.DEFAULT_MAX_PENDING_CHILDREN,
            PlanRequestWorkflowImpl.DEFAULT_PAGE_SIZE,
            PlanRequestWorkflowImpl.DEFAULT_LOOKAHEAD,
            5_000)) {
      RequestProgress result = h.stub().run(RequestHarness.input(limits, vms));
      List<Integer> runs = h.runHistoryLengths();
      int events = runs.stream().mapToInt(Integer::intValue).sum();
      System.out.printf(
          "request of %d VMs: %d runs, history events per run %s (max %d), %.1f events per VM,"
              + " peak pending children %d, %.1f s wall%n",
          vms,
          runs.size(),
          runs,
          runs.stream().mapToInt(Integer::intValue).max().orElse(0),
          events / (double) vms,
          FakeMigrationWorkflow.Fleet.peakRunning,
          (System.nanoTime() - t0) / 1e9);
      assertEquals(vms, result.completed());
      assertTrue(runs.stream().allMatch(n -> n < 10_240), "runs: " + runs);
      assertTrue(FakeMigrationWorkflow.Fleet.peakRunning <= 500);
      assertEquals(List.of(), FakeMigrationWorkflow.Fleet.violations);
    }
  }
}

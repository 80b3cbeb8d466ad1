package dev.vmigrate.request;

import dev.vmigrate.admission.AdmissionJob;
import dev.vmigrate.admission.ResourceCost;
import dev.vmigrate.admission.VsphereCostModel;
import dev.vmigrate.model.DiskProgress;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.model.VmOrder;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stands in for the real migration: sleeps in proportion to the VM's size and completes, or rolls
 * back for chosen VMs. A shared {@link Fleet} checks every start against vCenter's limits.
 */
public class FakeMigrationWorkflow implements VmMigrationWorkflow {

  /** What the fakes know and observe; reset per test. */
  static final class Fleet {
    static final Map<String, VmOrder> orders = new HashMap<>();
    static final Set<String> rollBack = new HashSet<>();
    static VsphereCostModel costModel;
    static long speedup = 1;
    private static final Map<String, Integer> usage = new HashMap<>();
    private static final Set<String> active = new HashSet<>();
    private static final Set<String> ended = new HashSet<>();
    static final List<String> violations = new ArrayList<>();
    static final Map<String, Integer> starts = new HashMap<>();
    static int peakRunning;

    static synchronized void reset(VsphereCostModel model, List<VmOrder> plan) {
      orders.clear();
      plan.forEach(o -> orders.put(o.vmId(), o));
      rollBack.clear();
      costModel = model;
      usage.clear();
      active.clear();
      ended.clear();
      violations.clear();
      starts.clear();
      peakRunning = 0;
    }

    static synchronized void start(String vmId) {
      if (active.contains(vmId) || ended.contains(vmId)) {
        return;
      }
      starts.merge(vmId, 1, Integer::sum);
      AdmissionJob job = costModel.jobFor(orders.get(vmId));
      for (ResourceCost c : job.costs()) {
        int used = usage.getOrDefault(c.resource(), 0);
        if (used != 0 && used + c.cost() > c.limit()) {
          violations.add(vmId + " broke " + c.resource() + " (" + used + "+" + c.cost() + ")");
        }
        usage.put(c.resource(), used + c.cost());
      }
      active.add(vmId);
      peakRunning = Math.max(peakRunning, active.size());
    }

    static synchronized void end(String vmId) {
      if (!active.remove(vmId)) {
        return;
      }
      ended.add(vmId);
      for (ResourceCost c : costModel.jobFor(orders.get(vmId)).costs()) {
        usage.merge(c.resource(), -c.cost(), Integer::sum);
      }
    }

    static synchronized int running() {
      return active.size();
    }
  }

  @Override
  public MigrationResult migrate(MigrationRequest request) {
    String vmId = request.vm();
    if (!Workflow.isReplaying()) {
      Fleet.start(vmId);
    }
    VmOrder order = Fleet.orders.get(vmId);
    try {
      Workflow.sleep(Duration.ofMillis(Fleet.costModel.estimateMillis(order) / Fleet.speedup));
    } catch (CanceledFailure e) {
      if (!Workflow.isReplaying()) {
        Fleet.end(vmId);
      }
      throw e;
    }
    if (!Workflow.isReplaying()) {
      Fleet.end(vmId);
    }
    boolean back = Fleet.rollBack.contains(vmId);
    return new MigrationResult(
        back ? MigrationState.ROLLED_BACK : MigrationState.COMPLETED,
        null,
        null,
        null,
        List.of(),
        List.of(),
        back ? "injected failure" : null);
  }

  @Override
  public void pause() {}

  @Override
  public void resume() {}

  @Override
  public void rollback() {}

  @Override
  public void confirm() {}

  @Override
  public void diskProgress(List<DiskProgress> disks) {}

  @Override
  public MigrationStatus status() {
    return null;
  }
}

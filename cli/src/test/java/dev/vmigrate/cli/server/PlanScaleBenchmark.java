package dev.vmigrate.cli.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.vmigrate.activity.impl.ActivitySettings;
import dev.vmigrate.cli.CommandLineTestPorts;
import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.request.AdmissionLimits;
import dev.vmigrate.request.LedgerActivities;
import dev.vmigrate.request.PlanRequestWorkflow;
import dev.vmigrate.request.RequestInput;
import dev.vmigrate.request.RequestProgress;
import dev.vmigrate.request.VmOrder;
import dev.vmigrate.request.VmTaskState;
import dev.vmigrate.vsphere.HostInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.simulated.SimulatedInventories;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import dev.vmigrate.worker.ActivityBundle;
import dev.vmigrate.worker.MigrationWorker;
import dev.vmigrate.worker.WorkerProperties;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A whole plan through the real request workflow, the real VM migration workflow and the real
 * activities, on the zero-latency simulated vSphere, served by the all-in-one server's embedded
 * Temporal over gRPC: wall time and VMs per second.
 *
 * <p>The same run is first made on the embedded server with the test server's own, ever-growing
 * time-skipping lock log and then with the bounded one ({@link TimerLockLog}), at the baseline
 * size; then, if larger, at the full size with the bounded log only. Sizes come from {@code
 * -Dvmigrate.bench.vms} (default 500; the figure is for 10,000) and {@code
 * -Dvmigrate.bench.baseline-vms} (default the smaller of that and 2,000; 0 skips the comparison):
 *
 * <pre>
 * mvn -B -pl cli -am test -Dtest=PlanScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dvmigrate.bench.vms=10000
 * </pre>
 */
class PlanScaleBenchmark {
  private static final String VC = "vcenter-1";

  @Test
  void wholePlanOnTheZeroLatencySimulator() throws IOException {
    int vms = Integer.getInteger("vmigrate.bench.vms", 500);
    int baselineVms = Integer.getInteger("vmigrate.bench.baseline-vms", Math.min(vms, 2_000));
    Run last = null;
    if (baselineVms > 0) {
      Run unbounded = run(baselineVms, false);
      Run bounded = run(baselineVms, true);
      System.out.printf(
          "%d VMs: test server's own lock log %.1f s, bounded log %.1f s: %.2fx the throughput;"
              + " lock log entries at the end %d vs %d%n",
          baselineVms,
          unbounded.seconds,
          bounded.seconds,
          unbounded.seconds / bounded.seconds,
          unbounded.lockLogEntries,
          bounded.lockLogEntries);
      last = bounded;
    }
    if (last == null || vms != baselineVms) {
      run(vms, true);
    }
  }

  private record Run(double seconds, int lockLogEntries) {}

  private static Run run(int vms, boolean boundedLockLog) throws IOException {
    SimulatedVsphere vc = SimulatedInventories.demo(VC, 7, 2, 4, 8, vms).build();
    Inventory inv = vc.inventory();
    InfrastructureMapping swap =
        new InfrastructureMapping(
            VC,
            VC,
            List.of(
                new ClusterMapping("cluster-01", "cluster-02", null, null),
                new ClusterMapping("cluster-02", "cluster-01", null, null)),
            identity(inv.datastores().stream().map(d -> d.name()).toList()),
            identity(inv.networks().stream().map(n -> n.name()).toList()));
    List<VmOrder> orders = new ArrayList<>();
    for (VmInfo vm : inv.vms()) {
      HostInfo host = inv.host(vm.host()).orElseThrow();
      List<String> ds = vm.disks().stream().map(VirtualDisk::datastore).distinct().toList();
      orders.add(
          new VmOrder(
              vm.id(),
              vm.name(),
              vm.instanceUuid(),
              vm.disks().stream().mapToLong(VirtualDisk::capacityBytes).sum(),
              vm.memoryMb() << 20,
              vm.powerState() == PowerState.POWERED_ON,
              vm.host(),
              ds,
              ds,
              false,
              host.vmotionLinkMbps()));
    }
    Ledger ledger = new Ledger(orders);

    try (EmbeddedTemporal temporal =
        EmbeddedTemporal.start(
            "127.0.0.1",
            CommandLineTestPorts.free(),
            "default",
            boundedLockLog ? TimerLockLog.KEEP : -1)) {
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
      WorkflowClient client =
          WorkflowClient.newInstance(
              stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
      WorkerFactory factory = WorkerFactory.newInstance(client);
      try {
        MigrationWorker.addTo(
            factory,
            List.of(VC),
            ActivityBundle.create(
                id -> vc,
                new ActivitySettings(
                    Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofSeconds(5))),
            new WorkerProperties(true, 200, 50, true));
        factory.newWorker(LedgerActivities.TASK_QUEUE).registerActivitiesImplementations(ledger);
        factory.start();

        PlanRequestWorkflow request =
            client.newWorkflowStub(
                PlanRequestWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId("request-bench")
                    .setTaskQueue(MigrationIds.taskQueue(VC))
                    .build());
        long t0 = System.nanoTime();
        RequestProgress result =
            request.run(
                new RequestInput(
                    "bench",
                    "scale",
                    swap,
                    MigrationOptions.defaults().withFailurePolicy(FailurePolicy.ROLLBACK),
                    AdmissionLimits.vsphereDefaults(0),
                    vms,
                    null));
        double seconds = (System.nanoTime() - t0) / 1e9;

        RunStats runs = requestRuns(client, "request-bench");
        String migration = MigrationIds.forVm(VC, vc.vm(orders.get(0).vmId()).instanceUuid());
        long migrationEvents =
            client.fetchHistory(migration).getEvents().stream()
                .filter(e -> e.getEventType() != EventType.EVENT_TYPE_UNSPECIFIED)
                .count();
        int lockLogEntries = temporal.lockLogSize();
        System.out.printf(
            "plan of %d VMs on the zero-latency simulator, %s lock log: %.1f s wall, %.1f VMs/s;"
                + " completed %d, failed %d; request %d runs, at most %d history events per run,"
                + " largest event %d bytes; one VM migration %d events; peak VMs between started"
                + " and finished in the ledger %d; lock log entries %d; heap used %d MB%n",
            vms,
            boundedLockLog ? "bounded" : "test server's own",
            seconds,
            vms / seconds,
            result.completed(),
            result.failed(),
            runs.runs(),
            runs.maxEvents(),
            runs.largestEventBytes(),
            migrationEvents,
            ledger.peakStarted.get(),
            lockLogEntries,
            (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        assertEquals(vms, result.completed(), "every VM completed");
        assertEquals(vms, ledger.completed.get(), "the ledger saw every completion once");
        // Every VM really moved: it now runs in the other cluster.
        for (VmOrder o : orders) {
          assertNotEquals(
              inv.vm(o.vmId()).orElseThrow().cluster(),
              vc.vm(o.vmId()).cluster(),
              o.name() + " moved");
        }
        return new Run(seconds, lockLogEntries);
      } finally {
        factory.shutdownNow();
        stubs.shutdownNow();
      }
    }
  }

  private record RunStats(int runs, int maxEvents, int largestEventBytes) {}

  /**
   * Every run of the request, followed back through continue-as-new: how many, the longest history
   * (Temporal's limit is 10,240 events, the request continues at 4,000) and the largest single
   * event (a payload's limit is 2 MB).
   */
  private static RunStats requestRuns(WorkflowClient client, String workflowId) {
    int runs = 0;
    int maxEvents = 0;
    int largest = 0;
    String runId = null;
    while (true) {
      List<HistoryEvent> events =
          (runId == null ? client.fetchHistory(workflowId) : client.fetchHistory(workflowId, runId))
              .getEvents();
      runs++;
      maxEvents = Math.max(maxEvents, events.size());
      for (HistoryEvent e : events) {
        largest = Math.max(largest, e.getSerializedSize());
      }
      runId =
          events.get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
      if (runId.isEmpty()) {
        return new RunStats(runs, maxEvents, largest);
      }
    }
  }

  private static Map<String, String> identity(List<String> names) {
    Map<String, String> m = new HashMap<>();
    names.forEach(n -> m.put(n, n));
    return m;
  }

  /** An in-memory ledger that counts what the request records. */
  static final class Ledger implements LedgerActivities {
    private final List<VmOrder> orders;
    private final Map<String, VmTaskState> states = new ConcurrentHashMap<>();
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger peakStarted = new AtomicInteger();

    Ledger(List<VmOrder> orders) {
      this.orders = orders;
    }

    @Override
    public List<VmOrder> loadVmOrders(String requestId, int offset, int limit) {
      return orders.subList(
          Math.min(offset, orders.size()), Math.min(offset + limit, orders.size()));
    }

    @Override
    public void recordVmState(
        String requestId, String vmId, VmTaskState state, String migrationId, String message) {
      VmTaskState was = states.put(vmId, state);
      if (state == VmTaskState.STARTED && was != VmTaskState.STARTED) {
        peakStarted.accumulateAndGet(running.incrementAndGet(), Math::max);
      }
      if (state.finished() && was == VmTaskState.STARTED) {
        running.decrementAndGet();
      }
      if (state == VmTaskState.COMPLETED && was != VmTaskState.COMPLETED) {
        completed.incrementAndGet();
      }
    }

    @Override
    public void recordRequestState(String requestId, String state, String status, String message) {}
  }
}

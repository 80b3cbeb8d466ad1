package dev.vmigrate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.vmigrate.activity.impl.ActivitySettings;
import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.RequestState;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VmOrder;
import dev.vmigrate.request.LedgerActivities;
import dev.vmigrate.request.PlanRequestWorkflow;
import dev.vmigrate.request.RequestInput;
import dev.vmigrate.request.RequestProgress;
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
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole plan through the real request workflow, the real VM migration workflow and the real
 * activities, on the zero-latency simulated vSphere, served over gRPC by each Temporal runtime that
 * {@code vmigrate server} can start: Temporal's dev server (the default: SQLite, a child process)
 * and the in-memory Java test server (the baseline, in this JVM). Per run: wall time, VMs per
 * second, request runs and their longest history, the largest event, one migration's history, the
 * dev server's database size, and the peak memory of each process (this JVM's heap, which holds the
 * in-memory server's histories; the dev server's resident set).
 *
 * <p>Sizes come from {@code -Dvmigrate.bench.vms}, a comma-separated list (default 500; the issue's
 * figures are for 2,000 and 10,000). {@code -Dvmigrate.bench.lock-log=true} adds the in-memory
 * server with its own, ever-growing time-skipping lock log ({@link TimerLockLog}) at each size:
 *
 * <pre>
 * mvn -B -pl cli -am test -Dtest=PlanScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dvmigrate.bench.vms=2000,10000
 * </pre>
 */
class PlanScaleBenchmark {
  private static final String VC = "vcenter-1";

  @TempDir Path dir;

  @Test
  void wholePlanOnEachTemporalRuntime() throws IOException {
    List<String> table = new ArrayList<>();
    table.add(Run.HEADER);
    for (String size : System.getProperty("vmigrate.bench.vms", "500").split(",")) {
      int vms = Integer.parseInt(size.trim());
      List<Runtime> runtimes = new ArrayList<>(List.of(Runtime.IN_MEMORY, Runtime.DEV_SERVER));
      if (Boolean.getBoolean("vmigrate.bench.lock-log")) {
        runtimes.add(0, Runtime.IN_MEMORY_UNBOUNDED_LOCK_LOG);
      }
      Run baseline = null;
      for (Runtime runtime : runtimes) {
        Run r = run(vms, runtime, dir.resolve(runtime.name() + "-" + vms));
        if (runtime == Runtime.IN_MEMORY) {
          baseline = r;
        }
        table.add(r.row(baseline));
        System.out.println(table.get(table.size() - 1));
      }
    }
    String out = String.join("\n", table);
    System.out.println("\nPlan scale on the zero-latency simulator\n" + out);
    Files.createDirectories(Path.of("target", "benchmarks"));
    Files.writeString(Path.of("target", "benchmarks", "plan-scale.txt"), out + "\n");
  }

  /** The Temporal servers compared. */
  enum Runtime {
    IN_MEMORY_UNBOUNDED_LOCK_LOG("in-memory, own lock log"),
    IN_MEMORY("in-memory"),
    DEV_SERVER("dev server (SQLite)");

    final String label;

    Runtime(String label) {
      this.label = label;
    }
  }

  private record Run(
      int vms,
      Runtime runtime,
      double seconds,
      int requestRuns,
      int maxRequestEvents,
      int largestEventBytes,
      long migrationEvents,
      long databaseBytes,
      long peakHeapBytes,
      long temporalPeakRssBytes) {
    static final String HEADER =
        String.format(
            Locale.ROOT,
            "%6s %-26s %8s %7s %9s %5s %11s %9s %10s %9s %9s %11s",
            "VMs",
            "Temporal",
            "wall_s",
            "VMs/s",
            "vs_memory",
            "runs",
            "max_events",
            "largest_B",
            "vm_events",
            "db_MB",
            "heap_MB",
            "temporal_MB");

    String row(Run baseline) {
      return String.format(
          Locale.ROOT,
          "%6d %-26s %8.1f %7.1f %9s %5d %11d %9d %10d %9s %9d %11s",
          vms,
          runtime.label,
          seconds,
          vms / seconds,
          baseline == null ? "-" : String.format(Locale.ROOT, "%.2fx", baseline.seconds / seconds),
          requestRuns,
          maxRequestEvents,
          largestEventBytes,
          migrationEvents,
          databaseBytes < 0 ? "-" : Long.toString(databaseBytes >> 20),
          peakHeapBytes >> 20,
          temporalPeakRssBytes < 0 ? "(in JVM)" : Long.toString(temporalPeakRssBytes >> 20));
    }
  }

  private static TemporalRuntime start(Runtime runtime, Path data) throws IOException {
    return switch (runtime) {
      case IN_MEMORY_UNBOUNDED_LOCK_LOG ->
          EmbeddedTemporal.start("127.0.0.1", TestPorts.free(), "default", -1);
      case IN_MEMORY ->
          EmbeddedTemporal.start("127.0.0.1", TestPorts.free(), "default", TimerLockLog.KEEP);
      case DEV_SERVER -> DevTemporal.start(DevTemporalTest.settings(data));
    };
  }

  private static Run run(int vms, Runtime runtime, Path data) throws IOException {
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
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
              host.vmotionLinkMbps(),
              null));
    }
    Ledger ledger = new Ledger(orders);

    try (TemporalRuntime temporal = start(runtime, data)) {
      RssPeak rss =
          temporal instanceof DevTemporal dev ? new RssPeak(dev.processHandle().pid()) : null;
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
            new WorkerProperties(true, 200, 50));
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
        long databaseBytes =
            temporal instanceof DevTemporal dev ? sizeWithWal(dev.databaseFile()) : -1;
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
          if (pool.getType() == MemoryType.HEAP) {
            heap += pool.getPeakUsage().getUsed();
          }
        }
        System.out.printf(
            "plan of %d VMs on %s: %.1f s wall, %.1f VMs/s; completed %d, failed %d; request %d"
                + " runs, at most %d history events per run, largest event %d bytes; one VM"
                + " migration %d events; peak VMs between started and finished in the ledger %d%n",
            vms,
            runtime.label,
            seconds,
            vms / seconds,
            result.completed(),
            result.failed(),
            runs.runs(),
            runs.maxEvents(),
            runs.largestEventBytes(),
            migrationEvents,
            ledger.peakStarted.get());
        assertEquals(vms, result.completed(), "every VM completed");
        assertEquals(vms, ledger.completed.get(), "the ledger saw every completion once");
        // Every VM really moved: it now runs in the other cluster.
        for (VmOrder o : orders) {
          assertNotEquals(
              inv.vm(o.vmId()).orElseThrow().cluster(),
              vc.vm(o.vmId()).cluster(),
              o.name() + " moved");
        }
        return new Run(
            vms,
            runtime,
            seconds,
            runs.runs(),
            runs.maxEvents(),
            runs.largestEventBytes(),
            migrationEvents,
            databaseBytes,
            heap,
            rss == null ? -1 : rss.stop());
      } finally {
        factory.shutdownNow();
        stubs.shutdownNow();
      }
    }
  }

  private record RunStats(int runs, int maxEvents, int largestEventBytes) {}

  private static long sizeWithWal(Path db) throws IOException {
    long total = 0;
    for (String suffix : List.of("", "-wal", "-shm")) {
      Path p = Path.of(db + suffix);
      if (Files.exists(p)) {
        total += Files.size(p);
      }
    }
    return total;
  }

  /** The peak resident set of another process, as the kernel keeps it (VmHWM). */
  private static final class RssPeak {
    private final long pid;

    RssPeak(long pid) {
      this.pid = pid;
    }

    long stop() throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
        }
      }
      return -1;
    }
  }

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
    public void recordRequestState(
        String requestId, RequestState state, String status, String message) {}
  }
}

package dev.vmigrate.server.simulation;

import dev.vmigrate.activity.ActivityNames;
import dev.vmigrate.activity.impl.ActivitySettings;
import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.VmOrder;
import dev.vmigrate.request.LedgerActivities;
import dev.vmigrate.request.PlanRequestWorkflow;
import dev.vmigrate.request.PlanRequestWorkflowImpl;
import dev.vmigrate.request.RequestInput;
import dev.vmigrate.request.RequestProgress;
import dev.vmigrate.server.TimerLockLog;
import dev.vmigrate.simulation.BottleneckSpan;
import dev.vmigrate.simulation.Finding;
import dev.vmigrate.simulation.PlanSimulator;
import dev.vmigrate.simulation.SimulationAborted;
import dev.vmigrate.simulation.SimulationReport;
import dev.vmigrate.simulation.SimulationRun;
import dev.vmigrate.simulation.SimulationScenario;
import dev.vmigrate.simulation.SimulationSettings;
import dev.vmigrate.simulation.VmTimeline;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.simulated.PhysicalModel;
import dev.vmigrate.vsphere.simulated.ResourceSample;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import dev.vmigrate.worker.ActivityBundle;
import dev.vmigrate.worker.MigrationWorker;
import io.micronaut.context.annotation.Value;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.internal.testservice.InProcessGRPCServer;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulates a plan by running the real request and migration workflows, with the real activities,
 * against a simulated copy of the vCenter's inventory under the physical model, on Temporal's
 * in-process test server with time skipping. Each settings entry gets a fresh server and a fresh
 * copy, so runs do not influence each other. The real vCenter is never called: the scenario carries
 * its inventory as a value.
 *
 * <p>What differs from a real run, on purpose: failures roll back at once instead of holding for an
 * operator (a held VM would stop the simulated clock), nothing waits in VERIFYING, no hook is
 * called, the request never continues as new (it would hand its children to watcher activities that
 * hold the clock), activities have no heartbeat timeout (see {@link WithoutHeartbeatTimeouts}), and
 * tasks are read every 5 to 60 simulated seconds, so predicted end times are late by up to a
 * minute.
 */
@Singleton
public final class TimeSkippingPlanSimulator implements PlanSimulator {
  private static final Logger LOG = LoggerFactory.getLogger(TimeSkippingPlanSimulator.class);

  /** The simulated request starts at this instant, whatever the real time is. */
  static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  /**
   * The default real-time budget of one simulation, all its runs together: well inside the HTTP
   * server's 5-minute idle timeout, so the caller gets an answer rather than a dropped connection.
   */
  public static final Duration DEFAULT_WALL_LIMIT = Duration.ofMinutes(4);

  /** How often a waiting run looks at its clock, its faults and its caller. */
  private static final long CHECK_MILLIS = 100;

  /** A simulation that has not finished after this much real time is given up. */
  private final Duration wallLimit;

  public TimeSkippingPlanSimulator() {
    this(DEFAULT_WALL_LIMIT);
  }

  /**
   * @param wallLimit how much real time one simulation, all its runs, may take ({@code
   *     vmigrate.simulation.wall-limit}, 4 minutes by default)
   */
  @Inject
  public TimeSkippingPlanSimulator(
      @Value("${vmigrate.simulation.wall-limit:4m}") Duration wallLimit) {
    this.wallLimit = wallLimit;
  }

  @Override
  public SimulationReport simulate(SimulationScenario scenario) {
    return simulate(
        scenario,
        clock ->
            SimulatedVsphere.copyOf(scenario.mapping().sourceVcenter(), scenario.inventory())
                .clock(clock)
                .physicalModel(scenario.model())
                .build());
  }

  /**
   * Runs the scenario on the simulated vCenters {@code estate} builds, one per run.
   *
   * @throws SimulationAborted when a run does not converge, the simulation outlasts its real-time
   *     budget, or the calling thread is interrupted (its caller went away)
   */
  SimulationReport simulate(SimulationScenario scenario, Function<Clock, SimulatedVsphere> estate) {
    List<SimulationRun> runs = new ArrayList<>();
    long deadline = System.nanoTime() + wallLimit.toNanos();
    for (SimulationSettings settings : scenario.settings()) {
      runs.add(run(scenario, settings, estate, deadline));
    }
    return new SimulationReport(
        scenario.planName(),
        scenario.mapping().sourceVcenter(),
        scenario.orders().size() + skipped(scenario).size(),
        runs);
  }

  private SimulationRun run(
      SimulationScenario scenario,
      SimulationSettings settings,
      Function<Clock, SimulatedVsphere> estate,
      long deadline) {
    long t0 = System.nanoTime();
    if (scenario.orders().isEmpty()) {
      // Approval would skip every VM: an order of it would start no workflow either.
      SimulationLedger none = new SimulationLedger(List.of(), Clock.fixed(START, ZoneOffset.UTC));
      return report(scenario, settings, none, List.of(), System.nanoTime() - t0);
    }
    String vcenter = scenario.mapping().sourceVcenter();
    TestServicesStarter services = new TestServicesStarter(false, START.toEpochMilli());
    TimerLockLog lockLog = null;
    try {
      // A few entries only: the log serves the fault's diagnostic, which would otherwise print
      // thousands of lines each time; the run is given up at the first fault anyway.
      lockLog = TimerLockLog.install(services, TimerLockLog.KEEP_FOR_DIAGNOSTIC);
    } catch (IllegalStateException e) {
      LOG.warn("{}; a long simulation will slow down", e.getMessage());
    }
    InProcessGRPCServer grpc = new InProcessGRPCServer(services.getServices());
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setChannel(grpc.getChannel()).build());
    WorkerFactory factory = null;
    try {
      WorkflowClient client =
          WorkflowClient.newInstance(
              stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
      factory =
          WorkerFactory.newInstance(
              client,
              WorkerFactoryOptions.newBuilder()
                  .setWorkerInterceptors(new WithoutHeartbeatTimeouts())
                  .setWorkflowCacheSize(2_000)
                  .setMaxWorkflowThreadCount(4_000)
                  .build());
      SimulatedTime time = new SimulatedTime(grpc.getChannel());
      SimulatedVsphere vc = estate.apply(time);
      ActivityBundle activities =
          ActivityBundle.create(
              id -> {
                if (!id.equals(vcenter)) {
                  throw new VsphereException.InvalidRequest(
                      "NotConfigured", "the simulation has no vCenter " + id);
                }
                return vc;
              },
              new ActivitySettings(
                      Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(30))
                  .withPace(time));
      WorkerOptions options =
          WorkerOptions.newBuilder()
              // Every running relocate holds an activity slot while it waits.
              .setMaxConcurrentActivityExecutionSize(2_000)
              .setMaxConcurrentWorkflowTaskExecutionSize(200)
              .build();
      Worker worker = factory.newWorker(MigrationIds.taskQueue(vcenter), options);
      MigrationWorker.register(worker, activities);
      worker.registerWorkflowImplementationFactory(
          PlanRequestWorkflow.class,
          () ->
              PlanRequestWorkflowImpl.withoutContinueAsNew(
                  PlanRequestWorkflowImpl.DEFAULT_MAX_PENDING_CHILDREN));
      SimulationLedger ledger = new SimulationLedger(scenario.orders(), time);
      factory
          .newWorker(LedgerActivities.TASK_QUEUE, options)
          .registerActivitiesImplementations(ledger);
      factory.start();

      String requestId = "simulation";
      RequestInput input =
          new RequestInput(
              requestId,
              scenario.planName(),
              scenario.mapping(),
              simulated(scenario.options()),
              limits(scenario.limits(), settings),
              scenario.orders().size(),
              null);
      PlanRequestWorkflow typed =
          client.newWorkflowStub(
              PlanRequestWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId("request-" + requestId)
                  .setTaskQueue(MigrationIds.taskQueue(vcenter))
                  .build());
      WorkflowClient.start(typed::run, input);
      WorkflowStub request = WorkflowStub.fromTyped(typed);
      awaitFinished(scenario, settings, ledger, lockLog, deadline, t0);
      try {
        // The request has finished its work; its result follows at once.
        request.getResult(1, TimeUnit.MINUTES, RequestProgress.class);
      } catch (TimeoutException e) {
        throw aborted(
            SimulationAborted.Reason.OUT_OF_TIME,
            scenario,
            settings,
            "finished its VMs but its request did not end",
            t0);
      }
      time.stop();
      return report(scenario, settings, ledger, vc.bottlenecks(), System.nanoTime() - t0);
    } finally {
      if (factory != null) {
        factory.shutdownNow();
        factory.awaitTermination(10, TimeUnit.SECONDS);
      }
      stubs.shutdownNow();
      grpc.shutdownNow();
      services.close();
    }
  }

  /**
   * Waits in real time until the simulated request has finished, looking every {@value
   * #CHECK_MILLIS} ms for what ends the wait early: a time-skipping fault of the test server (the
   * run no longer progresses: the model does not converge), the budget's deadline, or an interrupt
   * (the caller went away).
   */
  private void awaitFinished(
      SimulationScenario scenario,
      SimulationSettings settings,
      SimulationLedger ledger,
      TimerLockLog lockLog,
      long deadline,
      long t0) {
    try {
      while (!ledger.awaitFinished(Duration.ofMillis(CHECK_MILLIS))) {
        if (lockLog != null && lockLog.faults() > 0) {
          throw aborted(
              SimulationAborted.Reason.NOT_CONVERGED,
              scenario,
              settings,
              "did not converge: the simulated run stopped making progress (the time-skipping"
                  + " server failed with 'Unbalanced lock and unlock calls')",
              t0);
        }
        if (System.nanoTime() - deadline >= 0) {
          throw aborted(
              SimulationAborted.Reason.OUT_OF_TIME,
              scenario,
              settings,
              "did not finish within the simulation's real-time budget of "
                  + wallLimit.toSeconds()
                  + " s",
              t0);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw aborted(SimulationAborted.Reason.CANCELLED, scenario, settings, "was cancelled", t0);
    }
  }

  /** The run given up: one line in the log, and the reason with the model's telling parameters. */
  private static SimulationAborted aborted(
      SimulationAborted.Reason reason,
      SimulationScenario scenario,
      SimulationSettings settings,
      String what,
      long t0) {
    String message =
        "the simulation of '"
            + settings.label()
            + "' "
            + what
            + " after "
            + (System.nanoTime() - t0) / 1_000_000
            + " ms of real time"
            + (reason == SimulationAborted.Reason.CANCELLED ? "" : "; " + slowParameters(scenario));
    LOG.warn("plan {}: {}", scenario.planName(), message);
    return new SimulationAborted(reason, message);
  }

  /**
   * Which parameters of the scenario's model make a run this long: pre-copy that cannot converge
   * (guests dirty memory as fast as a link carries it), many passes, no switch-over time, slow
   * links or datastores, many VMs.
   */
  static String slowParameters(SimulationScenario scenario) {
    PhysicalModel m = scenario.model() == null ? PhysicalModel.defaults() : scenario.model();
    long linkMbps =
        scenario.orders().stream()
            .mapToLong(VmOrder::vmotionLinkMbps)
            .filter(v -> v > 0)
            .max()
            .orElse(10_000);
    long linkBytes = (long) (linkMbps * 1_000_000L / 8 * m.linkEfficiency());
    List<String> why = new ArrayList<>();
    if (m.memoryDirtyBytesPerSecond() >= linkBytes) {
      why.add(
          "memoryDirtyBytesPerSecond "
              + m.memoryDirtyBytesPerSecond()
              + " is at least what the fastest vMotion link carries ("
              + linkMbps
              + " Mb/s at linkEfficiency "
              + m.linkEfficiency()
              + " = "
              + linkBytes
              + " B/s), so pre-copy never converges and every VM copies its memory "
              + (m.maxPrecopyPasses() + 1)
              + " times (maxPrecopyPasses "
              + m.maxPrecopyPasses()
              + ", switchoverTarget "
              + m.switchoverTarget().toSeconds()
              + " s)");
    }
    if (m.linkEfficiency() < 0.5) {
      why.add("linkEfficiency " + m.linkEfficiency() + " leaves little of each link");
    }
    if (m.datastoreBytesPerSecond() < 100_000_000L) {
      why.add(
          "datastoreBytesPerSecond "
              + m.datastoreBytesPerSecond()
              + " makes each disk copy slow (a 40 GiB disk takes "
              + (40L << 30) / m.datastoreBytesPerSecond()
              + " s)");
    }
    why.add(scenario.orders().size() + " VMs");
    return "parameters that make the run long: " + String.join("; ", why);
  }

  /** The plan's options as a simulation runs them (see the class comment). */
  static MigrationOptions simulated(MigrationOptions o) {
    MigrationOptions base =
        o == null ? new MigrationOptions(null, null, false, null, null, null, null, null) : o;
    return new MigrationOptions(
        base.type(),
        FailurePolicy.ROLLBACK,
        false,
        null,
        base.targetPowerState(),
        List.of(),
        List.of(),
        base.guestShutdownTimeout(),
        List.of(),
        List.of(),
        null);
  }

  static AdmissionLimits limits(AdmissionLimits plan, SimulationSettings settings) {
    AdmissionLimits base = plan == null ? AdmissionLimits.vsphereDefaults(0) : plan;
    return base.withAdmission(settings.planLimit(), settings.policy(), settings.fifoThrottle());
  }

  private static final Pattern FAILED_ACTION =
      Pattern.compile("(\\w+) failed: (.*)", Pattern.DOTALL);

  private static final Set<String> PRECHECKS =
      Set.of(
          ActivityNames.INVOKE_PRECHECKS,
          ActivityNames.CHECK_PERMISSION,
          ActivityNames.CHECK_COMPATIBILITY);

  private static final Set<String> CAPACITY =
      Set.of(ActivityNames.SELECT_DESTINATION, ActivityNames.RESERVE_DIRECTORY);

  private static List<Finding> skipped(SimulationScenario scenario) {
    return scenario.findings().stream().filter(f -> Finding.SKIPPED.equals(f.kind())).toList();
  }

  private static SimulationRun report(
      SimulationScenario scenario,
      SimulationSettings settings,
      SimulationLedger ledger,
      List<ResourceSample> samples,
      long wallNanos) {
    List<VmTimeline> vms = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    int completed = 0;
    int failed = 0;
    long makespan = 0;
    for (VmOrder o : scenario.orders()) {
      SimulationLedger.Row row = ledger.row(o.vmId());
      String state = row.state == null ? "NOT_STARTED" : row.state.name();
      long start = row.started == null ? -1 : seconds(row.started);
      long end = row.ended == null ? -1 : seconds(row.ended);
      makespan = Math.max(makespan, end);
      vms.add(new VmTimeline(o.vmId(), o.name(), state, start, end, row.message));
      switch (state) {
        case "COMPLETED" -> completed++;
        case "FAILED", "ROLLED_BACK" -> {
          failed++;
          findings.add(finding(o, row.message));
        }
        default -> {}
      }
    }
    List<Finding> skipped = skipped(scenario);
    for (Finding f : skipped) {
      vms.add(new VmTimeline(f.vmId(), f.name(), "SKIPPED", -1, -1, f.message()));
    }
    findings.addAll(skipped);
    return new SimulationRun(
        settings,
        makespan,
        completed,
        failed,
        skipped.size(),
        vms,
        spans(samples, makespan),
        findings,
        wallNanos / 1_000_000);
  }

  /**
   * The bottleneck samples as spans within the run: each sample lasts until the next; idle spans
   * (no transfer) and anything after the last VM's end are left out.
   */
  static List<BottleneckSpan> spans(List<ResourceSample> samples, long makespan) {
    List<BottleneckSpan> out = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      ResourceSample s = samples.get(i);
      long from = seconds(s.at());
      long to = i + 1 < samples.size() ? seconds(samples.get(i + 1).at()) : makespan;
      to = Math.min(to, makespan);
      if (s.resource() == null || to <= from) {
        continue;
      }
      BottleneckSpan last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null
          && last.toSecond() == from
          && last.resource().equals(s.resource())
          && Math.abs(last.utilisation() - s.utilisation()) < 0.005
          && last.transfers() == s.transfers()) {
        // Changes within a second, or too small to see: one span.
        out.set(
            out.size() - 1,
            new BottleneckSpan(
                last.fromSecond(), to, last.resource(), last.utilisation(), last.transfers()));
      } else {
        out.add(new BottleneckSpan(from, to, s.resource(), s.utilisation(), s.transfers()));
      }
    }
    return out;
  }

  /** A failed VM's finding: the action is the one its message names ("X failed: why"). */
  static Finding finding(VmOrder o, String message) {
    String text = message == null ? "failed" : message;
    Matcher m = FAILED_ACTION.matcher(text);
    if (m.find()) {
      String action = m.group(1);
      String kind =
          PRECHECKS.contains(action)
              ? Finding.PRECHECK
              : CAPACITY.contains(action) ? Finding.CAPACITY : Finding.FAILED;
      return new Finding(o.vmId(), o.name(), kind, action, m.group(2));
    }
    return new Finding(o.vmId(), o.name(), Finding.FAILED, null, text);
  }

  private static long seconds(Instant at) {
    return Duration.between(START, at).toSeconds();
  }
}

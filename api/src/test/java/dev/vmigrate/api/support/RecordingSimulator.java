package dev.vmigrate.api.support;

import dev.vmigrate.model.VmOrder;
import dev.vmigrate.simulation.BottleneckSpan;
import dev.vmigrate.simulation.PlanSimulator;
import dev.vmigrate.simulation.SimulationReport;
import dev.vmigrate.simulation.SimulationRun;
import dev.vmigrate.simulation.SimulationScenario;
import dev.vmigrate.simulation.SimulationSettings;
import dev.vmigrate.simulation.VmTimeline;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The API tests' plan simulator, in place of the server module's engine: it records each scenario
 * it is given and answers a small fixed report built from it (each approved VM one minute after the
 * one before, completed; the skipped ones skipped). A test can hold it inside {@link #simulate} to
 * see what a second simulation meanwhile gets. Absent where the property {@code
 * vmigrate.test.no-simulator} is set, as in an API process without the all-in-one server.
 */
@Singleton
@Requires(missingProperty = "vmigrate.test.no-simulator")
public class RecordingSimulator implements PlanSimulator {
  private final List<SimulationScenario> scenarios = new CopyOnWriteArrayList<>();
  private final Semaphore entered = new Semaphore(0);
  private volatile CountDownLatch hold;
  private volatile RuntimeException failure;
  private final CountDownLatch cancelled = new CountDownLatch(1);

  @Override
  public SimulationReport simulate(SimulationScenario scenario) {
    scenarios.add(scenario);
    entered.release();
    CountDownLatch h = hold;
    if (h != null) {
      try {
        h.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        // As the engine does when its caller goes away.
        cancelled.countDown();
        throw new dev.vmigrate.simulation.SimulationAborted(
            dev.vmigrate.simulation.SimulationAborted.Reason.CANCELLED, "cancelled");
      }
    }
    RuntimeException f = failure;
    if (f != null) {
      failure = null;
      throw f;
    }
    return report(scenario);
  }

  /** The next simulation fails with {@code e}, as the engine does when a run outlasts its limit. */
  public void failNext(RuntimeException e) {
    failure = e;
  }

  /** The scenarios simulated so far, oldest first. */
  public List<SimulationScenario> scenarios() {
    return List.copyOf(scenarios);
  }

  /** The last scenario simulated. */
  public SimulationScenario last() {
    return scenarios.get(scenarios.size() - 1);
  }

  /** Holds every simulation from now on until the latch opens. */
  public void holdUntil(CountDownLatch latch) {
    hold = latch;
  }

  /** Waits until a held simulation has been cancelled by an interrupt. */
  public boolean awaitCancelled(long seconds) throws InterruptedException {
    return cancelled.await(seconds, TimeUnit.SECONDS);
  }

  /** Waits until a simulation has entered {@link #simulate}. */
  public boolean awaitEntered(long seconds) throws InterruptedException {
    return entered.tryAcquire(seconds, TimeUnit.SECONDS);
  }

  public static SimulationReport report(SimulationScenario s) {
    List<SimulationRun> runs = new ArrayList<>();
    for (SimulationSettings settings : s.settings()) {
      List<VmTimeline> vms = new ArrayList<>();
      long t = 0;
      for (VmOrder o : s.orders()) {
        vms.add(new VmTimeline(o.vmId(), o.name(), "COMPLETED", t, t + 60, null));
        t += 60;
      }
      s.findings()
          .forEach(
              f -> vms.add(new VmTimeline(f.vmId(), f.name(), "SKIPPED", -1, -1, f.message())));
      runs.add(
          new SimulationRun(
              settings,
              t,
              s.orders().size(),
              0,
              s.findings().size(),
              vms,
              List.of(new BottleneckSpan(0, t, "link:esx-a1", 0.9, 1)),
              s.findings(),
              1));
    }
    return new SimulationReport(
        s.planName(), s.mapping().sourceVcenter(), s.orders().size() + s.findings().size(), runs);
  }
}

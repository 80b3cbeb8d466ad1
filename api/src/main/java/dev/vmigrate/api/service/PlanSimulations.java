package dev.vmigrate.api.service;

import dev.vmigrate.api.db.PlanRow;
import dev.vmigrate.api.db.RequestVmRow;
import dev.vmigrate.api.web.Dtos.PlanOptions;
import dev.vmigrate.api.web.SimulationDtos.CompareBody;
import dev.vmigrate.api.web.SimulationDtos.ModelBody;
import dev.vmigrate.api.web.SimulationDtos.SimulateBody;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.VmOrder;
import dev.vmigrate.request.VmTaskState;
import dev.vmigrate.simulation.Finding;
import dev.vmigrate.simulation.PlanSimulator;
import dev.vmigrate.simulation.SimulationAborted;
import dev.vmigrate.simulation.SimulationReport;
import dev.vmigrate.simulation.SimulationScenario;
import dev.vmigrate.simulation.SimulationSettings;
import dev.vmigrate.vsphere.simulated.PhysicalModel;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plan simulation: builds what an order of the plan would run ({@link OrderProposals}: the same
 * screening, refusals and proposals, one bulk read of the source vCenter, nothing stored) and hands
 * it to the process's {@link PlanSimulator}, which runs it on a copy of that inventory. The
 * simulator is a bean of the all-in-one server; an API process without one answers 503. One
 * simulation at a time per process (they are CPU-heavy): another one meanwhile gets 429.
 */
@Singleton
public class PlanSimulations {
  private static final Logger LOG = LoggerFactory.getLogger(PlanSimulations.class);

  /** The label of the first run, the plan as it is. */
  public static final String AS_PLANNED = "as planned";

  /**
   * VMs times runs one simulation may make ({@code vmigrate.simulation.max-vm-runs}, 4,000): about
   * a minute of a 2-core machine per 1,000, so that the answer comes within the HTTP server's
   * 5-minute idle timeout.
   */
  private final int maxVmRuns;

  /**
   * The request id the simulated ledger rows carry: a repeat migration's workflow id derives from
   * it ({@code MigrationIds.forRepeat}).
   */
  static final String REQUEST_ID = "simulation";

  private final PlanCatalog plans;
  private final OrderProposals proposals;
  private final Requests requests;
  private final BeanProvider<PlanSimulator> simulator;
  private final Semaphore running = new Semaphore(1);

  public PlanSimulations(
      PlanCatalog plans,
      OrderProposals proposals,
      Requests requests,
      BeanProvider<PlanSimulator> simulator,
      @Value("${vmigrate.simulation.max-vm-runs:4000}") int maxVmRuns) {
    this.maxVmRuns = maxVmRuns;
    this.plans = plans;
    this.proposals = proposals;
    this.requests = requests;
    this.simulator = simulator;
  }

  /**
   * Simulates the plan as it is, then each alternative of the body. Refuses what ordering the plan
   * refuses, with the same answers; a plan across two vCenters; and bad fields of the body, by
   * name.
   */
  public SimulationReport simulate(String planIdOrName, @Nullable SimulateBody body) {
    if (!simulator.isPresent()) {
      throw new ServiceException.Unavailable(
          "simulator",
          "simulator: plan simulation runs in the all-in-one server (vmigrate server); this API"
              + " process has no plan simulator");
    }
    PlanRow plan = plans.planRow(planIdOrName, "id");
    OrderProposals.requireLive(plan);
    OrderProposals.Setup setup = proposals.setup(plan);
    if (setup.mapping().crossVcenter()) {
      throw new ServiceException.Invalid(
          "mapping",
          "mapping: '"
              + setup.mappingRow().name()
              + "' moves VMs from vCenter '"
              + setup.mapping().sourceVcenter()
              + "' to vCenter '"
              + setup.mapping().destinationVcenter()
              + "'; plan simulation covers plans within one vCenter",
          "one-vcenter");
    }
    List<SimulationSettings> settings =
        settings(setup.options(), body == null ? null : body.compare());
    PhysicalModel model = model(body == null ? null : body.model());
    if (!running.tryAcquire()) {
      throw new ServiceException.Busy(
          "simulation",
          "simulation: another plan simulation is running in this API process; simulations run"
              + " one at a time, try again when it has finished");
    }
    try {
      SimulationScenario scenario = scenario(setup, settings, model);
      long vmRuns = (long) scenario.orders().size() * settings.size();
      if (vmRuns > maxVmRuns) {
        throw new ServiceException.Invalid(
            "compare",
            "compare: "
                + scenario.orders().size()
                + " VMs in "
                + settings.size()
                + " runs make "
                + vmRuns
                + " simulated migrations; one simulation makes at most "
                + maxVmRuns
                + " (it answers within the HTTP server's idle timeout), so compare fewer"
                + " alternatives at a time",
            "max");
      }
      long started = System.nanoTime();
      SimulationReport report;
      try {
        report = simulator.get().simulate(scenario);
      } catch (IllegalArgumentException e) {
        throw new ServiceException.Invalid(fieldOf(e.getMessage(), "plan"), e.getMessage());
      } catch (SimulationAborted e) {
        // The simulator logged its one line; the caller gets the reason without a stack trace.
        throw switch (e.reason()) {
          case NOT_CONVERGED ->
              new ServiceException.Unprocessable(
                  "model", "model: " + e.getMessage(), "not-converged");
          case OUT_OF_TIME, CANCELLED ->
              new ServiceException.Unavailable("simulation", "simulation: " + e.getMessage());
        };
      } catch (IllegalStateException e) {
        // A run that could not be set up or ended unexpectedly.
        LOG.warn("plan {}: simulation gave up: {}", plan.name(), e.getMessage());
        throw new ServiceException.Unavailable("simulation", "simulation: " + e.getMessage());
      }
      LOG.info(
          "plan {}: simulated {} VMs, {} runs in {} ms",
          plan.name(),
          scenario.orders().size(),
          settings.size(),
          (System.nanoTime() - started) / 1_000_000);
      return report;
    } finally {
      running.release();
    }
  }

  /**
   * What the simulator is asked: what an order would propose now, the approved VMs as the ledger
   * would hand them to the request workflow (in plan order), the skipped ones as findings.
   */
  private SimulationScenario scenario(
      OrderProposals.Setup setup, List<SimulationSettings> settings, PhysicalModel model) {
    OrderProposals.Proposed proposed = proposals.propose(setup);
    List<VmOrder> orders = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    for (RequestVmRow r : OrderProposals.ledgerRows(proposed, REQUEST_ID, Instant.now())) {
      if (r.state().equals(VmTaskState.PLANNED.name()) && r.proposal().equals("approve")) {
        orders.add(r.toVmOrder());
      } else {
        findings.add(new Finding(r.vmId(), r.name(), Finding.SKIPPED, null, r.reason()));
      }
    }
    PlanOptions o = setup.options();
    return new SimulationScenario(
        setup.plan().name(),
        proposed.source(),
        setup.mapping(),
        withoutHooks(Requests.migrationOptions(o)),
        requests.limits(o),
        orders,
        findings,
        settings,
        model);
  }

  /** The options as the request workflow gets them, without hooks: a simulation calls nobody. */
  static MigrationOptions withoutHooks(MigrationOptions o) {
    return new MigrationOptions(
        o.type(),
        o.failurePolicy(),
        o.verify(),
        o.autoConfirmAfter(),
        o.targetPowerState(),
        List.of(),
        List.of(),
        o.guestShutdownTimeout(),
        List.of(),
        List.of(),
        o.hookFailure());
  }

  /**
   * The plan as it is, then the alternatives in the body's order. An alternative without a label
   * gets one from its settings; labels are unique, so that runs can be told apart.
   */
  static List<SimulationSettings> settings(PlanOptions o, @Nullable List<CompareBody> compare) {
    int planLimit = o.concurrencyLimit() == null ? 0 : o.concurrencyLimit();
    List<SimulationSettings> out = new ArrayList<>();
    // The plan's own admission policy: vCenter's cost model unless the plan asks for fifo.
    boolean planFifo = SimulationSettings.FIFO.equals(o.admissionPolicy());
    out.add(
        new SimulationSettings(
            AS_PLANNED,
            planLimit,
            planFifo ? SimulationSettings.FIFO : SimulationSettings.VMIGRATE,
            planFifo && o.fifoThrottle() != null ? o.fifoThrottle() : 0));
    Map<String, Integer> labels = new HashMap<>();
    labels.put(AS_PLANNED, 0);
    List<CompareBody> entries = compare == null ? List.of() : compare;
    for (int i = 0; i < entries.size(); i++) {
      String at = "compare[" + i + "]";
      CompareBody c = entries.get(i);
      if (c == null) {
        throw new ServiceException.Invalid(at, at + ": must be an object", "type");
      }
      String policy =
          c.policy() == null ? SimulationSettings.VMIGRATE : c.policy().toLowerCase(Locale.ROOT);
      boolean fifo = policy.equals(SimulationSettings.FIFO);
      if (!fifo && c.fifoThrottle() != null) {
        // As in plan options: a throttle the policy would ignore is a mistake, not a no-op.
        throw new ServiceException.Invalid(
            at + ".fifoThrottle",
            at + ".fifoThrottle: only with policy fifo (the policy is " + policy + ")");
      }
      int limit = c.planLimit() != null ? c.planLimit() : fifo ? 0 : planLimit;
      int throttle = c.fifoThrottle() == null ? 0 : c.fifoThrottle();
      String label = c.label() != null ? c.label().strip() : label(policy, limit, throttle);
      if (label.isEmpty()) {
        throw new ServiceException.Invalid(at + ".label", at + ".label: must not be blank");
      }
      SimulationSettings s;
      try {
        s = new SimulationSettings(label, limit, policy, throttle);
      } catch (IllegalArgumentException e) {
        String field = at + "." + fieldOf(e.getMessage(), "policy");
        throw new ServiceException.Invalid(field, at + "." + e.getMessage());
      }
      Integer earlier = labels.putIfAbsent(label, out.size());
      if (earlier != null) {
        throw new ServiceException.Invalid(
            at + ".label",
            at
                + ".label: '"
                + label
                + "' already names run "
                + (earlier + 1)
                + " (the first is the plan as it is); give each run its own label",
            "unique");
      }
      out.add(s);
    }
    return out;
  }

  /** "plan limit 16", "no plan limit", "fifo 8", "fifo 8, plan limit 4". */
  private static String label(String policy, int limit, int throttle) {
    String planLimit = limit == 0 ? "no plan limit" : "plan limit " + limit;
    if (!policy.equals(SimulationSettings.FIFO)) {
      return planLimit;
    }
    return "fifo " + throttle + (limit == 0 ? "" : ", " + planLimit);
  }

  /** The physical model's defaults with the body's values in their place. */
  static PhysicalModel model(@Nullable ModelBody m) {
    PhysicalModel d = PhysicalModel.defaults();
    if (m == null) {
      return d;
    }
    try {
      return new PhysicalModel(
          m.linkEfficiency() != null ? m.linkEfficiency() : d.linkEfficiency(),
          m.datastoreBytesPerSecond() != null
              ? m.datastoreBytesPerSecond()
              : d.datastoreBytesPerSecond(),
          m.memoryDirtyBytesPerSecond() != null
              ? m.memoryDirtyBytesPerSecond()
              : d.memoryDirtyBytesPerSecond(),
          m.maxPrecopyPasses() != null ? m.maxPrecopyPasses() : d.maxPrecopyPasses(),
          m.switchoverTargetSeconds() != null
              ? Duration.ofNanos(Math.round(m.switchoverTargetSeconds() * 1e9))
              : d.switchoverTarget());
    } catch (IllegalArgumentException e) {
      String name = fieldOf(e.getMessage(), "model");
      String field =
          "model." + (name.equals("switchoverTarget") ? "switchoverTargetSeconds" : name);
      String rest = e.getMessage().substring(Math.min(e.getMessage().length(), name.length()));
      throw new ServiceException.Invalid(field, field + ":" + rest.replaceFirst("^:", ""));
    }
  }

  /**
   * The field an {@link IllegalArgumentException} of the simulation's records names: its message's
   * first word, before a colon or a space ("policy: must be ...", "linkEfficiency must be ...").
   */
  static String fieldOf(String message, String otherwise) {
    if (message == null) {
      return otherwise;
    }
    int end = 0;
    while (end < message.length() && Character.isJavaIdentifierPart(message.charAt(end))) {
      end++;
    }
    return end == 0 ? otherwise : message.substring(0, end);
  }
}

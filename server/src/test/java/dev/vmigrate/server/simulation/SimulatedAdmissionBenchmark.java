package dev.vmigrate.server.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.simulation.SimulationReport;
import dev.vmigrate.simulation.SimulationRun;
import dev.vmigrate.simulation.SimulationScenario;
import dev.vmigrate.simulation.SimulationSettings;
import dev.vmigrate.vsphere.simulated.PhysicalModel;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The admission claim checked end to end: seeded plans run through the real request and migration
 * workflows on the physical model, under vmigrate's admission and under the fifo fixed-throttle
 * policy, each makespan divided by a lower bound computed on the same shared-bandwidth model (the
 * bytes every resource must carry at its capacity, and every transfer alone at its slowest
 * resource). Prints figures; asserts only that every VM ended and no makespan beats the bound.
 */
class SimulatedAdmissionBenchmark {

  @Test
  void makespanOverLowerBound() {
    int vms = Integer.getInteger("vmigrate.bench.vms", 1_000);
    String seeds = System.getProperty("vmigrate.bench.seeds", "1,2");
    int[] throttles = {8, 32};
    System.out.printf(
        "plan: %d VMs, 6 source hosts (half 1 GbE) on 8 datastores -> 6 hosts on 4 datastores%n",
        vms);
    System.out.println(
        "seed | lower bound h | vmigrate h  ratio | "
            + String.join(" | ", List.of("fifo 8 h  ratio", "fifo 32 h  ratio"))
            + " | wall s per run");
    for (String s : seeds.split(",")) {
      long seed = Long.parseLong(s.trim());
      SimulatedVsphere original = BenchmarkEstate.build(seed, vms).build();
      List<SimulationSettings> settings = new ArrayList<>();
      settings.add(new SimulationSettings("vmigrate", 0, SimulationSettings.VMIGRATE, 0));
      for (int t : throttles) {
        settings.add(new SimulationSettings("fifo " + t, 0, SimulationSettings.FIFO, t));
      }
      SimulationScenario scenario =
          new SimulationScenario(
              "bench-" + seed,
              original.inventory(),
              BenchmarkEstate.mapping(),
              null,
              AdmissionLimits.vsphereDefaults(0),
              SimulationFixtures.orders(
                  original.inventory(), List.of(), BenchmarkEstate.datastoreMap()),
              List.of(),
              settings,
              PhysicalModel.defaults());
      List<SimulatedVsphere> copies = new ArrayList<>();
      SimulationReport report =
          new TimeSkippingPlanSimulator()
              .simulate(
                  scenario,
                  clock -> {
                    SimulatedVsphere vc =
                        BenchmarkEstate.build(seed, vms)
                            .clock(clock)
                            .physicalModel(PhysicalModel.defaults())
                            .build();
                    copies.add(vc);
                    return vc;
                  });
      // Every run moves the same bytes over the same resources: the bound is the same for all.
      double bound = copies.get(0).transferLowerBoundSeconds();
      StringBuilder line = new StringBuilder(String.format("%4d | %13.2f", seed, bound / 3600));
      List<String> walls = new ArrayList<>();
      for (SimulationRun run : report.runs()) {
        assertEquals(vms, run.completed() + run.failed(), run.settings().label());
        assertTrue(run.makespanSeconds() >= bound, run.settings().label());
        line.append(
            String.format(
                " | %10.2f %6.3f", run.makespanSeconds() / 3600.0, run.makespanSeconds() / bound));
        walls.add(String.format("%.1f", run.wallMillis() / 1000.0));
      }
      System.out.println(line + " | " + String.join(" ", walls));
    }
  }
}

package dev.vmigrate.server.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.simulation.SimulationRun;
import dev.vmigrate.simulation.SimulationScenario;
import dev.vmigrate.vsphere.simulated.PhysicalModel;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Wall time of simulating seeded plans through the real workflows on the physical model. Prints
 * figures; asserts only that every VM ended.
 */
class PlanSimulationBenchmark {

  private static SimulatedVsphere.Builder estate(long seed, int vms) {
    return BenchmarkEstate.build(seed, vms);
  }

  @Test
  void wallTimeOfAPlan() {
    // The first run pays for the JVM's warm-up, as the first simulation in a server process does.
    for (String size : System.getProperty("vmigrate.bench.vms", "1000,1000").split(",")) {
      int vms = Integer.parseInt(size.trim());
      SimulatedVsphere original = estate(1, vms).build();
      SimulationScenario scenario =
          new SimulationScenario(
              "bench",
              original.inventory(),
              BenchmarkEstate.mapping(),
              null,
              AdmissionLimits.vsphereDefaults(0),
              SimulationFixtures.orders(
                  original.inventory(), List.of(), BenchmarkEstate.datastoreMap()),
              List.of(),
              List.of(SimulationFixtures.asPlanned()),
              PhysicalModel.defaults());
      long t0 = System.nanoTime();
      SimulationRun run =
          new TimeSkippingPlanSimulator()
              .simulate(
                  scenario,
                  clock ->
                      estate(1, vms).clock(clock).physicalModel(PhysicalModel.defaults()).build())
              .runs()
              .get(0);
      System.out.printf(
          "simulated %d VMs: makespan %.2f h, %d completed, %d failed, wall %.1f s%n",
          vms,
          run.makespanSeconds() / 3600.0,
          run.completed(),
          run.failed(),
          (System.nanoTime() - t0) / 1e9);
      run.findings().stream().limit(5).forEach(f -> System.out.println("  " + f));
      assertEquals(scenario.orders().size(), run.completed() + run.failed());
    }
  }
}

package dev.vmigrate.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.VmOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * Makespan of vmigrate's admission against a first-in-first-out, fixed-throttle baseline on a
 * seeded 1,000-VM plan, both divided by the same lower bound. Both are the real scheduler, as the
 * request workflow runs it: vmigrate's policy and the plan option {@code admissionPolicy: fifo}.
 * Prints figures; asserts only that every VM ran once within the limits (the simulation checks the
 * limits at every start).
 */
class AdmissionBenchmark {

  @Test
  void makespanOverLowerBound() {
    System.out.println(
        "plan: 1000 VMs, 12 hosts (half 1 GbE), 8 source and 4 destination datastores");
    System.out.println(
        "skew seed planLimit fifoThrottle | lowerBound h | vmigrate ratio | fifo ratio"
            + " | noisy: bound h, vmigrate, fifo");
    for (double skew : new double[] {2.0, 1.0}) {
      for (long seed : new long[] {1, 2, 3}) {
        for (int planLimit : new int[] {16, 32, 0}) {
          run(skew, seed, planLimit);
        }
      }
    }
  }

  private void run(double skew, long seed, int planLimit) {
    AdmissionLimits limits = AdmissionLimits.vsphereDefaults(planLimit);
    List<VmOrder> plan = SyntheticPlan.generate(seed, 1_000, 12, 8, 4, skew);
    VsphereCostModel model = new VsphereCostModel("vc1", limits, 500);
    List<AdmissionJob> jobs = plan.stream().map(model::jobFor).toList();
    int throttle = planLimit > 0 ? planLimit : 64;
    long bound = AdmissionSimulation.lowerBound(jobs, AdmissionJob::estimatedMillis);
    // The workflow keeps 1,000 orders in memory; the whole plan fits the window here.
    AdmissionSimulation.Outcome ours =
        AdmissionSimulation.run(
            AdmissionSimulation.scheduler(), jobs, AdmissionJob::estimatedMillis, 1_000);
    AdmissionSimulation.Outcome fifo =
        AdmissionSimulation.run(
            AdmissionSimulation.schedulerFifo(throttle),
            jobs,
            AdmissionJob::estimatedMillis,
            1_000);
    // Same plan, real durations 0.5x to 1.5x the estimates (which the scheduler still uses).
    Random rnd = new Random(seed);
    Map<String, Long> actual = new HashMap<>();
    jobs.forEach(j -> actual.put(j.id(), (long) (j.estimatedMillis() * (0.5 + rnd.nextDouble()))));
    ToLongFunction<AdmissionJob> real = j -> actual.get(j.id());
    long noisyBound = AdmissionSimulation.lowerBound(jobs, real);
    long oursNoisy =
        AdmissionSimulation.run(AdmissionSimulation.scheduler(), jobs, real, 1_000).makespan();
    long fifoNoisy =
        AdmissionSimulation.run(AdmissionSimulation.schedulerFifo(throttle), jobs, real, 1_000)
            .makespan();
    System.out.printf(
        "%4.1f %4d %9s %12d | %12.1f | %14.3f | %10.3f | %12.1f %8.3f %6.3f%n",
        skew,
        seed,
        planLimit == 0 ? "none" : planLimit,
        throttle,
        bound / 3_600_000.0,
        ours.makespan() / (double) bound,
        fifo.makespan() / (double) bound,
        noisyBound / 3_600_000.0,
        oursNoisy / (double) noisyBound,
        fifoNoisy / (double) noisyBound);
    assertEquals(1_000, ours.startedAt().size());
    assertEquals(1_000, fifo.startedAt().size());
    assertTrue(ours.makespan() >= bound && fifo.makespan() >= bound);
  }
}

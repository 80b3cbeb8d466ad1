package dev.vmigrate.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The fifo baseline of {@link AdmissionScheduler}: queue order, head of line, throttle. */
class FifoAdmissionTest {

  private static AdmissionJob job(String id, long millis, ResourceCost... costs) {
    return new AdmissionJob(id, millis, List.of(costs));
  }

  private static ResourceCost host(String h, int cost) {
    return new ResourceCost("host:" + h, cost, 8);
  }

  private static List<String> ids(List<AdmissionJob> jobs) {
    return jobs.stream().map(AdmissionJob::id).toList();
  }

  @Test
  void startsJobsInQueueOrderEvenWhenVmigratesPolicyWouldNot() {
    ResourceCost ceiling = new ResourceCost("request", 1, 1);
    AdmissionScheduler fifo = AdmissionScheduler.fifo(5);
    AdmissionScheduler ours = new AdmissionScheduler();
    for (AdmissionScheduler s : List.of(fifo, ours)) {
      s.enqueue(job("a", 1_000, ceiling, host("h1", 1)));
      s.enqueue(job("b", 5_000, ceiling, host("h2", 1)));
      s.enqueue(job("c", 3_000, ceiling, host("h3", 1)));
    }
    assertEquals(List.of("a", "b", "c"), runOneAtATime(fifo));
    // vmigrate's policy takes the longest first: the fifo order is the baseline's own.
    assertEquals(List.of("b", "c", "a"), runOneAtATime(ours));
  }

  private static List<String> runOneAtATime(AdmissionScheduler s) {
    List<String> order = new java.util.ArrayList<>();
    for (long now = 0; order.size() < 3; now++) {
      for (AdmissionJob j : s.admit(now)) {
        order.add(j.id());
        s.release(j.id());
      }
    }
    return order;
  }

  @Test
  void theThrottleBoundsHowManyRunAndAReleaseAdmitsTheNextInOrder() {
    AdmissionScheduler s = AdmissionScheduler.fifo(3);
    for (int i = 0; i < 6; i++) {
      s.enqueue(job("vm-" + i, 1_000, host("h" + i, 1)));
    }
    assertEquals(List.of("vm-0", "vm-1", "vm-2"), ids(s.admit(0)));
    assertEquals(List.of(), s.admit(1));
    assertEquals(3, s.runningCount());
    assertEquals(Optional.empty(), s.reservedJob(), "throttled, not blocked by a resource");

    assertTrue(s.release("vm-1"));
    assertEquals(List.of("vm-3"), ids(s.admit(2)));
    s.release("vm-0");
    s.release("vm-2");
    assertEquals(List.of("vm-4", "vm-5"), ids(s.admit(3)));
    assertEquals(0, s.queuedCount());
  }

  @Test
  void aHeadThatDoesNotFitBlocksEveryJobBehindIt() {
    AdmissionScheduler s = AdmissionScheduler.fifo(10);
    s.enqueue(job("svm-1", 10_000, host("h1", 4)));
    s.enqueue(job("svm-2", 10_000, host("h1", 4)));
    s.enqueue(job("svm-3", 10_000, host("h1", 4))); // h1 is full with two
    s.enqueue(job("other", 1_000, host("h2", 1))); // would fit, but waits its turn
    assertEquals(List.of("svm-1", "svm-2"), ids(s.admit(0)));
    assertEquals(List.of(), s.admit(1));
    assertEquals(0, s.usage("host:h2"));
    assertEquals(Optional.of("svm-3"), s.reservedJob());

    s.release("svm-1");
    assertEquals(List.of("svm-3", "other"), ids(s.admit(2)));
    assertEquals(Optional.empty(), s.reservedJob());
    assertEquals(8, s.usage("host:h1"));
  }

  @Test
  void thePlanLimitAndDatastoreCostsHoldTheHeadToo() {
    ResourceCost plan = new ResourceCost("request", 1, 2);
    ResourceCost ds = new ResourceCost("ds:ds-1", 16, 128);
    AdmissionScheduler s = AdmissionScheduler.fifo(100);
    for (int i = 0; i < 4; i++) {
      s.enqueue(job("vm-" + i, 1_000, plan, ds, host("h" + i, 4)));
    }
    assertEquals(List.of("vm-0", "vm-1"), ids(s.admit(0)));
    assertEquals(Optional.of("vm-2"), s.reservedJob());
    assertEquals(32, s.usage("ds:ds-1"));
    s.release("vm-0");
    assertEquals(List.of("vm-2"), ids(s.admit(1)));
  }

  @Test
  void aJobAboveALimitStartsAloneOnItsIdleResource() {
    AdmissionScheduler s = AdmissionScheduler.fifo(4);
    s.enqueue(job("small", 1_000, host("h1", 1)));
    s.enqueue(job("giant", 1_000, host("h1", 12))); // above the limit of 8
    s.enqueue(job("after", 1_000, host("h2", 1)));
    assertEquals(List.of("small"), ids(s.admit(0)));
    s.release("small");
    assertEquals(List.of("giant", "after"), ids(s.admit(1)));
  }

  @Test
  void reattachedJobsCountAgainstTheThrottleAndTheBudgetIsKept() {
    AdmissionScheduler s = AdmissionScheduler.fifo(3);
    s.markRunning(job("old-1", 10_000, host("h9", 1)), 0);
    s.markRunning(job("old-2", 10_000, host("h9", 1)), 0);
    for (int i = 0; i < 4; i++) {
      s.enqueue(job("vm-" + i, 1_000, host("h" + i, 1)));
    }
    assertEquals(List.of("vm-0"), ids(s.admit(0, 5)));
    s.release("old-1");
    s.release("old-2");
    assertEquals(List.of("vm-1"), ids(s.admit(1, 1)), "at most the caller's budget");
    assertEquals(List.of("vm-2"), ids(s.admit(2)));
  }

  @Test
  void withdrawingTheBlockedHeadLetsTheNextOneIn() {
    AdmissionScheduler s = AdmissionScheduler.fifo(10);
    s.enqueue(job("a", 1_000, host("h1", 8)));
    s.enqueue(job("b", 1_000, host("h1", 1)));
    s.enqueue(job("c", 1_000, host("h2", 1)));
    assertEquals(List.of("a"), ids(s.admit(0)));
    assertEquals(Optional.of("b"), s.reservedJob());
    assertTrue(s.withdraw("b"));
    assertEquals(List.of("c"), ids(s.admit(1)));
  }

  @Test
  void agreesWithTheBaselineModelOnSeededPlans() {
    for (long seed = 1; seed <= 12; seed++) {
      Random rnd = new Random(seed);
      int planLimit = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(40);
      int throttle = 1 + rnd.nextInt(64);
      AdmissionLimits limits = AdmissionLimits.vsphereDefaults(planLimit).withFifo(throttle);
      VsphereCostModel model = new VsphereCostModel("vc1", limits, 500);
      List<AdmissionJob> jobs =
          SyntheticPlan.generate(seed, 200 + rnd.nextInt(200), 2 + rnd.nextInt(8), 4, 2).stream()
              .map(model::jobFor)
              .toList();
      Map<String, Long> actual =
          jobs.stream()
              .collect(
                  Collectors.toMap(
                      AdmissionJob::id,
                      j -> (long) (j.estimatedMillis() * (0.3 + 2 * rnd.nextDouble()))));
      int window = 20 + rnd.nextInt(200);
      AdmissionSimulation.Outcome real =
          AdmissionSimulation.run(
              AdmissionSimulation.schedulerFifo(throttle), jobs, j -> actual.get(j.id()), window);
      AdmissionSimulation.Outcome baseline =
          AdmissionSimulation.run(
              AdmissionSimulation.fifo(throttle), jobs, j -> actual.get(j.id()), window);
      assertEquals(baseline.startedAt(), real.startedAt(), "seed " + seed);
      assertEquals(
          ids(jobs), List.copyOf(real.startedAt().keySet()), "seed " + seed + ": queue order");
      assertTrue(real.peakRunning() <= throttle, "seed " + seed);
    }
  }

  @Test
  void theLimitsChooseThePolicy() {
    assertFalse(AdmissionScheduler.forLimits(AdmissionLimits.vsphereDefaults(0)).isFifo());
    assertTrue(
        AdmissionScheduler.forLimits(AdmissionLimits.vsphereDefaults(0).withFifo(8)).isFifo());
    assertThrows(IllegalArgumentException.class, () -> AdmissionScheduler.fifo(0));
  }
}

package dev.vmigrate.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.VmOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AdmissionSchedulerTest {

  private static AdmissionJob job(String id, long millis, ResourceCost... costs) {
    return new AdmissionJob(id, millis, List.of(costs));
  }

  private static ResourceCost host(String h, int cost) {
    return new ResourceCost("host:" + h, cost, 8);
  }

  @Test
  void limitsHoldAtEveryMomentAndEveryJobRunsOnceOnSeededRandomPlans() {
    for (long seed = 1; seed <= 25; seed++) {
      Random rnd = new Random(seed);
      int planLimit = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(60);
      AdmissionLimits limits = new AdmissionLimits(8, 8, 4, 128, 640, planLimit, 125_000_000L);
      List<VmOrder> orders =
          SyntheticPlan.generate(seed, 150 + rnd.nextInt(150), 2 + rnd.nextInt(6), 3, 2);
      VsphereCostModel model = new VsphereCostModel("vc1", limits, 500);
      List<AdmissionJob> jobs = orders.stream().map(model::jobFor).toList();
      // Real durations stray from the estimates, both ways.
      Map<String, Long> actual =
          jobs.stream()
              .collect(
                  Collectors.toMap(
                      AdmissionJob::id,
                      j -> (long) (j.estimatedMillis() * (0.3 + 2 * rnd.nextDouble()))));
      AdmissionSimulation.Outcome out =
          AdmissionSimulation.run(
              AdmissionSimulation.scheduler(), jobs, j -> actual.get(j.id()), 100);
      assertEquals(jobs.size(), out.startedAt().size(), "seed " + seed);
      assertTrue(
          out.makespan() >= AdmissionSimulation.lowerBound(jobs, j -> actual.get(j.id())),
          "seed " + seed);
    }
  }

  @Test
  void aJobAboveALimitRunsAloneAndIsNotStarvedByAStreamOfSmallOnes() {
    List<AdmissionJob> jobs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      jobs.add(job(String.format("small-%02d", i), 1_000 + i * 10L, host("h1", 1)));
    }
    AdmissionJob giant = job("giant", 500, host("h1", 12)); // cost 12 > limit 8
    jobs.add(5, giant);
    AdmissionSimulation.Outcome out =
        AdmissionSimulation.run(
            AdmissionSimulation.scheduler(), jobs, AdmissionJob::estimatedMillis, 3);
    long giantStart = out.startedAt().get("giant");
    // Runs alone: nothing else on h1 overlaps it.
    for (AdmissionJob j : jobs) {
      if (j != giant) {
        long start = out.startedAt().get(j.id());
        assertTrue(
            start + j.estimatedMillis() <= giantStart || start >= giantStart + 500,
            j.id() + " overlaps the giant");
      }
    }
    // Small jobs arrive three at a time; the giant is not left until the stream runs dry.
    long after = out.startedAt().values().stream().filter(t -> t > giantStart).count();
    assertTrue(after >= 20, "giant started too late, only " + after + " after it");
  }

  @Test
  void aStorageVmotionIsNotStarvedByVmotionsArrivingAllTheTime() {
    AdmissionScheduler s = new AdmissionScheduler();
    long now = 0;
    int serial = 0;
    for (; serial < 8; serial++) {
      s.enqueue(job("vm-" + serial, 1_000 + serial, host("h1", 1)));
    }
    s.admit(now);
    s.enqueue(job("svmotion", 200, host("h1", 4)));
    long started = -1;
    // Every 100 ms one vMotion ends and a new one (longer, so higher priority) arrives.
    for (int step = 1; step < 200 && started < 0; step++) {
      now = step * 100L;
      String oldest = s.runningJobs().iterator().next().job().id();
      s.release(oldest);
      s.enqueue(job("vm-" + serial, 5_000 + serial, host("h1", 1)));
      serial++;
      for (AdmissionJob j : s.admit(now)) {
        if (j.id().equals("svmotion")) {
          started = now;
        }
      }
      assertTrue(s.usage("host:h1") <= 8);
    }
    assertTrue(started > 0 && started <= 1_000, "svmotion started at " + started);
  }

  @Test
  void longestFirstWhenOneCeilingIsTheBottleneck() {
    AdmissionScheduler s = new AdmissionScheduler();
    ResourceCost ceiling = new ResourceCost("request", 1, 1);
    s.enqueue(job("a", 1_000, ceiling, host("h1", 1)));
    s.enqueue(job("b", 5_000, ceiling, host("h2", 1)));
    s.enqueue(job("c", 3_000, ceiling, host("h3", 1)));
    List<String> order = new ArrayList<>();
    long now = 0;
    while (order.size() < 3) {
      for (AdmissionJob j : s.admit(now)) {
        order.add(j.id());
        s.release(j.id());
      }
      now++;
    }
    assertEquals(List.of("b", "c", "a"), order);
  }

  @Test
  void theBusiestHostStartsFirst() {
    AdmissionScheduler s = new AdmissionScheduler();
    ResourceCost ceiling = new ResourceCost("request", 1, 1);
    // h1 carries 4 s of queued work in total, h2 one 2 s job: h1's work is the critical path.
    for (int i = 0; i < 4; i++) {
      s.enqueue(job("h1-" + i, 1_000, ceiling, host("h1", 8)));
    }
    s.enqueue(job("h2-0", 2_000, ceiling, host("h2", 8)));
    assertEquals("h1-0", s.admit(0).get(0).id());
  }

  @Test
  void sameInputGivesTheSameSchedule() {
    AdmissionLimits limits = AdmissionLimits.vsphereDefaults(32);
    VsphereCostModel model = new VsphereCostModel("vc1", limits, 500);
    List<AdmissionJob> jobs =
        SyntheticPlan.generate(7, 400, 6, 4, 2).stream().map(model::jobFor).toList();
    var first =
        AdmissionSimulation.run(
            AdmissionSimulation.scheduler(), jobs, AdmissionJob::estimatedMillis, 200);
    var second =
        AdmissionSimulation.run(
            AdmissionSimulation.scheduler(), jobs, AdmissionJob::estimatedMillis, 200);
    assertEquals(first.startedAt(), second.startedAt());
    assertEquals(List.copyOf(first.startedAt().keySet()), List.copyOf(second.startedAt().keySet()));
  }

  @Test
  void reattachedJobsCountAgainstLimitsAndReleaseFreesThem() {
    AdmissionScheduler s = new AdmissionScheduler();
    s.markRunning(job("old", 10_000, host("h1", 4)), 0);
    s.markRunning(job("old2", 10_000, host("h1", 4)), 0);
    s.enqueue(job("new", 1_000, host("h1", 1)));
    assertTrue(s.admit(5).isEmpty());
    assertEquals(8, s.usage("host:h1"));
    assertTrue(s.release("old"));
    assertEquals("new", s.admit(6).get(0).id());
    assertEquals(5, s.usage("host:h1"));
  }

  @Test
  void loadsCountQueuedAndRunningJobsAndTheCostInUsePerResource() {
    AdmissionScheduler s = new AdmissionScheduler();
    ResourceCost ds = new ResourceCost("ds:ds-1", 16, 128);
    s.enqueue(job("a", 1_000, host("h1", 4), ds));
    s.enqueue(job("b", 1_000, host("h1", 4), ds));
    s.enqueue(job("c", 1_000, host("h1", 4)));
    assertEquals(2, s.admit(0).size());
    assertEquals(
        List.of(
            new ResourceLoad("ds:ds-1", 0, 2, 32, 128), new ResourceLoad("host:h1", 1, 2, 8, 8)),
        s.loads());
    s.release("a");
    s.release("b");
    s.withdraw("c");
    assertEquals(List.of(), s.loads());
  }
}

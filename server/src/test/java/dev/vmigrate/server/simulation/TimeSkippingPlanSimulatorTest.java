package dev.vmigrate.server.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.simulation.SimulationAborted;
import dev.vmigrate.simulation.SimulationReport;
import dev.vmigrate.simulation.SimulationRun;
import dev.vmigrate.simulation.VmTimeline;
import dev.vmigrate.vsphere.simulated.PhysicalModel;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class TimeSkippingPlanSimulatorTest {
  private static final long GIB = 1L << 30;

  /** Two clusters of one host each on a 1 GbE vMotion link; VMs of 32 GiB of memory. */
  private static SimulatedVsphere.Builder estate(int vms) {
    SimulatedVsphere.Builder b =
        SimulatedVsphere.builder("vc1")
            .datacenter("dc")
            .datastore("ds-1", 100L << 40)
            .network("VM Network")
            .cluster("a")
            .host("esx-a", h -> h.vmotionLinkMbps(1_000).memoryMb(1 << 20))
            .cluster("b")
            .host("esx-b", h -> h.vmotionLinkMbps(1_000).memoryMb(1 << 20));
    for (int i = 0; i < vms; i++) {
      b.vm(
          "vm-" + i,
          v -> v.host("esx-a").disk("ds-1", 40 * GIB).nic("VM Network").memoryMb(32 * 1024));
    }
    return b;
  }

  /** Guests that dirty no memory: one pre-copy pass, so a move's bytes are its memory. */
  private static final PhysicalModel QUIET =
      new PhysicalModel(0.9, 500_000_000L, 0, 10, java.time.Duration.ofSeconds(1));

  private static SimulationRun simulate(int vms, List<SimulatedVsphere> made) {
    SimulatedVsphere original = estate(vms).build();
    var scenario =
        SimulationFixtures.scenario(
            "vc1", original.inventory(), List.of(), SimulationFixtures.asPlanned());
    Function<Clock, SimulatedVsphere> copy =
        clock -> {
          SimulatedVsphere vc = estate(vms).clock(clock).physicalModel(QUIET).build();
          made.add(vc);
          return vc;
        };
    SimulationReport report = new TimeSkippingPlanSimulator().simulate(scenario, copy);
    return report.runs().get(0);
  }

  /**
   * 75 VMs under a model within its bounds that never converges: guests dirty 100 GB/s, far more
   * than a link at 10% carries, 100 pre-copy passes, no switch-over time, 10 MB/s datastores. The
   * simulator gives up within its budget (5 s here) with a reason naming those parameters, instead
   * of running for many minutes and failing in the test server.
   */
  @Test
  void aModelThatDoesNotConvergeIsGivenUpWithinTheBudgetNamingItsParameters() {
    PhysicalModel stuck =
        new PhysicalModel(0.1, 10_000_000L, 100_000_000_000L, 100, java.time.Duration.ZERO);
    int vms = 75;
    var planned =
        SimulationFixtures.scenario(
            "vc1", estate(vms).build().inventory(), List.of(), SimulationFixtures.asPlanned());
    var scenario =
        new dev.vmigrate.simulation.SimulationScenario(
            planned.planName(),
            planned.inventory(),
            planned.mapping(),
            planned.options(),
            planned.limits(),
            planned.orders(),
            planned.findings(),
            planned.settings(),
            stuck);
    assertEquals(vms, scenario.orders().size());
    Function<Clock, SimulatedVsphere> copy =
        clock -> estate(vms).clock(clock).physicalModel(stuck).build();
    java.time.Duration budget = java.time.Duration.ofSeconds(5);

    long t0 = System.nanoTime();
    SimulationAborted aborted =
        org.junit.jupiter.api.Assertions.assertThrows(
            SimulationAborted.class,
            () -> new TimeSkippingPlanSimulator(budget).simulate(scenario, copy));
    long millis = (System.nanoTime() - t0) / 1_000_000;

    System.out.printf(
        "non-converging model: %s after %d ms: %s%n",
        aborted.reason(), millis, aborted.getMessage());
    assertTrue(
        aborted.reason() == SimulationAborted.Reason.NOT_CONVERGED
            || aborted.reason() == SimulationAborted.Reason.OUT_OF_TIME,
        aborted.reason().toString());
    // The budget plus setting up and tearing down 75 VMs' run (about 20 s on a loaded 2-core
    // machine); not the many minutes it would otherwise run, past the HTTP idle timeout.
    assertTrue(millis < budget.toMillis() + 55_000, millis + " ms");
    String why = aborted.getMessage();
    assertTrue(why.contains("memoryDirtyBytesPerSecond 100000000000"), why);
    assertTrue(why.contains("pre-copy never converges"), why);
    assertTrue(why.contains("datastoreBytesPerSecond 10000000"), why);
    assertTrue(why.contains("linkEfficiency 0.1"), why);
    assertTrue(why.contains("75 VMs"), why);
  }

  @Test
  void aHotMoveTakesTheTimeThePhysicalModelGivesItAndTheVmIsMovedInTheCopy() {
    List<SimulatedVsphere> made = new ArrayList<>();
    SimulationRun run = simulate(1, made);
    assertEquals(1, run.completed(), run.toString());
    VmTimeline vm = run.vms().get(0);
    assertEquals("COMPLETED", vm.state());
    // 32 GiB over 1 GbE at 90%: 305 s; the relocate's reads come at most a minute apart, and the
    // actions before and after it take no simulated time beyond their reads.
    double alone = 32 * GIB / (1_000_000_000 / 8 * 0.9);
    System.out.printf(
        "one VM: makespan %d s (the copy alone %.0f s), wall %d ms%n",
        run.makespanSeconds(), alone, run.wallMillis());
    assertTrue(run.makespanSeconds() >= alone, run.toString());
    assertTrue(run.makespanSeconds() <= alone + 90, run.toString());
    assertEquals(
        made.get(0).inventory().clusterByName("b").orElseThrow().hosts(),
        List.of(made.get(0).inventory().vm(vm.vmId()).orElseThrow().host()));
  }

  @Test
  void vmsSharingOneLinkTakeLongerTogetherThanAlone() {
    SimulationRun one = simulate(1, new ArrayList<>());
    SimulationRun two = simulate(2, new ArrayList<>());
    assertEquals(2, two.completed(), two.toString());
    double ratio = two.makespanSeconds() / (double) one.makespanSeconds();
    System.out.printf(
        "one VM %d s, two VMs on one 1 GbE link %d s: ratio %.2f%n",
        one.makespanSeconds(), two.makespanSeconds(), ratio);
    // Both relocates run at once (the host's cost limit allows 4 on 1 GbE) and share the link.
    assertTrue(ratio > 1.6 && ratio < 2.4, "ratio " + ratio);
    long starts = two.vms().stream().mapToLong(VmTimeline::startSecond).max().orElseThrow();
    assertTrue(starts < one.makespanSeconds() / 2, "both start together: " + two.vms());
  }

  @Test
  void theScenariosInventoryIsCopiedAndTheBottleneckIsTheSharedLink() {
    SimulatedVsphere original = estate(2).build();
    var before = original.inventory();
    var scenario =
        new dev.vmigrate.simulation.SimulationScenario(
            "copy-plan",
            before,
            SimulationFixtures.swapClusters("vc1", before),
            null,
            dev.vmigrate.admission.AdmissionLimits.vsphereDefaults(0),
            SimulationFixtures.orders(before, List.of()),
            List.of(),
            List.of(SimulationFixtures.asPlanned()),
            QUIET);
    SimulationRun run = new TimeSkippingPlanSimulator().simulate(scenario).runs().get(0);
    assertEquals(2, run.completed(), run.toString());
    // Both VMs leave esx-a over its 1 GbE link while esx-b's takes them in: the links are
    // saturated together; the tie goes to the first by name.
    var top = run.bottlenecks().stream().filter(b -> b.transfers() == 2).findFirst().orElseThrow();
    assertEquals("link:esx-a", top.resource(), run.bottlenecks().toString());
    assertEquals(1.0, top.utilisation(), 0.01);
    assertTrue(top.toSecond() - top.fromSecond() >= 500, top.toString());
    assertTrue(
        run.bottlenecks().stream().allMatch(b -> b.toSecond() <= run.makespanSeconds()),
        run.bottlenecks().toString());
    // The copy moved; the original, which only lent its inventory, did not.
    assertEquals(before, original.inventory());
  }

  @Test
  void aVmNoDestinationHostHasRoomForIsACapacityFindingAndTheOthersStillMove() {
    // esx-b has 48 GiB of memory: the 32 GiB VM fits, the 64 GiB one does not.
    java.util.function.Supplier<SimulatedVsphere.Builder> small =
        () ->
            SimulatedVsphere.builder("vc1")
                .datacenter("dc")
                .datastore("ds-1", 100L << 40)
                .network("VM Network")
                .cluster("a")
                .host("esx-a", h -> h.vmotionLinkMbps(10_000).memoryMb(1 << 20))
                .cluster("b")
                .host("esx-b", h -> h.vmotionLinkMbps(10_000).memoryMb(48 * 1024))
                .vm(
                    "fits",
                    v -> v.host("esx-a").disk("ds-1", GIB).nic("VM Network").memoryMb(32 * 1024))
                .vm(
                    "too-big",
                    v -> v.host("esx-a").disk("ds-1", GIB).nic("VM Network").memoryMb(64 * 1024));
    var inv = small.get().build().inventory();
    var scenario =
        SimulationFixtures.scenario("vc1", inv, List.of(), SimulationFixtures.asPlanned());
    SimulationRun run =
        new TimeSkippingPlanSimulator()
            .simulate(scenario, clock -> small.get().clock(clock).physicalModel(QUIET).build())
            .runs()
            .get(0);
    assertEquals(1, run.completed(), run.toString());
    assertEquals(1, run.failed(), run.toString());
    var finding = run.findings().get(0);
    assertEquals("too-big", finding.name());
    assertEquals(dev.vmigrate.simulation.Finding.CAPACITY, finding.kind(), finding.toString());
    assertEquals("SelectDestination", finding.action(), finding.toString());
    assertEquals(
        "ROLLED_BACK",
        run.vms().stream()
            .filter(v -> v.name().equals("too-big"))
            .findFirst()
            .orElseThrow()
            .state());
  }

  @Test
  void aPlanWhoseVmsApprovalWouldAllSkipIsReportedWithoutARun() {
    SimulatedVsphere original = estate(1).build();
    var inv = original.inventory();
    var vm = inv.vms().get(0);
    var scenario =
        new dev.vmigrate.simulation.SimulationScenario(
            "skipped-plan",
            inv,
            SimulationFixtures.swapClusters("vc1", inv),
            null,
            dev.vmigrate.admission.AdmissionLimits.vsphereDefaults(0),
            List.of(),
            List.of(
                new dev.vmigrate.simulation.Finding(
                    vm.id(), vm.name(), "skipped", null, "already migrated")),
            List.of(SimulationFixtures.asPlanned()),
            QUIET);
    SimulationRun run = new TimeSkippingPlanSimulator().simulate(scenario).runs().get(0);
    assertEquals(0, run.makespanSeconds());
    assertEquals(1, run.skipped());
    assertEquals("SKIPPED", run.vms().get(0).state());
  }
}

package dev.vmigrate.activity.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.activity.impl.HostScheduler.Decision;
import dev.vmigrate.activity.impl.HostScheduler.Demand;
import dev.vmigrate.activity.impl.HostScheduler.Load;
import dev.vmigrate.activity.impl.HostScheduler.Scored;
import dev.vmigrate.model.HostChoice;
import dev.vmigrate.model.HostChoice.ScorePart;
import dev.vmigrate.vsphere.HostInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The filter and the weighing of {@link HostScheduler}, as pure functions. */
class HostSchedulerTest {
  private static final long GIB = 1L << 30;
  private static final Load NO_LOAD = new Load(Map.of(), Map.of());

  /** 64 GiB, 16 cores of 2000 MHz, sees ds-1 and net-1, runs up to vmx-19. */
  private static HostInfo host(String id, long memoryUsageMb, long cpuUsageMhz) {
    return host(
        id,
        "connected",
        false,
        "ds-1",
        "net-1",
        "intel",
        "vmx-19",
        64 * GIB,
        memoryUsageMb,
        cpuUsageMhz);
  }

  /**
   * 16 cores of 2000 MHz (no capacity at all when memoryBytes is 0); no datastore or network when
   * the name is null.
   */
  private static HostInfo host(
      String id,
      String state,
      boolean maintenance,
      String datastore,
      String network,
      String vendor,
      String hardware,
      long memoryBytes,
      long memoryUsageMb,
      long cpuUsageMhz) {
    return new HostInfo(
        id,
        "esx-" + id,
        "c-1",
        state,
        maintenance,
        datastore == null ? List.of() : List.of(datastore),
        network == null ? List.of() : List.of(network),
        vendor,
        hardware,
        10_000,
        memoryBytes,
        memoryBytes == 0 ? 0 : 16,
        memoryBytes == 0 ? 0 : 2000,
        memoryUsageMb,
        cpuUsageMhz);
  }

  /** 8 GiB and 2 vCPUs on ds-1 and net-1, hardware vmx-17. */
  private static Demand demand() {
    return new Demand(8192, 2, "vmx-17", Set.of("ds-1"), Set.of("net-1"), null, null);
  }

  @Test
  void aHostWithRoomOnEveryCountPasses() {
    assertEquals(Optional.empty(), HostScheduler.rejection(host("h1", 0, 0), demand()));
  }

  @Test
  void theFilterNamesEveryReason() {
    HostInfo h = host("h1", "notResponding", true, "ds-2", null, "amd", "vmx-15", 64 * GIB, 0, 0);
    Demand d = new Demand(8192, 2, "vmx-17", Set.of("ds-1"), Set.of("net-1"), "intel", null);
    String why = HostScheduler.rejection(h, d).orElseThrow();
    for (String w :
        List.of(
            "notResponding",
            "in maintenance mode",
            "does not mount ds-1",
            "does not see net-1",
            "runs hardware up to vmx-15",
            "CPU vendor amd")) {
      assertTrue(why.contains(w), why + " lacks " + w);
    }
  }

  @Test
  void aHostWithoutFreeMemoryOrEnoughCoresIsFilteredOutButABusyCpuIsNot() {
    // 65536 MB capacity, 60000 used: 5536 free < 8192.
    assertEquals(
        Optional.of("memory: 5536 MB free, the VM needs 8192"),
        HostScheduler.rejection(host("h1", 60_000, 0), demand()));
    // 32000 MHz capacity, 31000 used: CPU is shared, so the host stays a candidate (and scores
    // lower than an idle one).
    assertEquals(Optional.empty(), HostScheduler.rejection(host("h1", 0, 31_000), demand()));
    Demand wide = new Demand(1024, 32, "vmx-17", Set.of("ds-1"), Set.of("net-1"), null, null);
    assertEquals(
        Optional.of("cpu: 16 cores, the VM has 32 vCPUs"),
        HostScheduler.rejection(host("h1", 0, 0), wide));
  }

  @Test
  void theHostTheVmRunsOnAlreadyCountsItsSize() {
    // 60000 MB used including the VM's own 8192: it fits where it is, not on an identical host.
    Demand here = new Demand(8192, 2, "vmx-17", Set.of("ds-1"), Set.of("net-1"), null, "h1");
    assertEquals(Optional.empty(), HostScheduler.rejection(host("h1", 60_000, 0), here));
    assertTrue(HostScheduler.rejection(host("h2", 60_000, 0), here).isPresent());
  }

  @Test
  void aHostThatReportsNoCapacityIsNotFilteredOnRoomAndScoresNothingForIt() {
    HostInfo unknown = host("h1", "connected", false, "ds-1", "net-1", "intel", "vmx-19", 0, 0, 0);
    assertEquals(Optional.empty(), HostScheduler.rejection(unknown, demand()));
    assertEquals(0, HostScheduler.score(unknown, demand(), NO_LOAD).score());
  }

  @Test
  void theScoreAddsFreeFractionsAfterPlacingAndTakesOffPlanAndInFlightCounts() {
    // Memory: (65536 - 16384 - 8192) / 65536 = 0.625; CPU: (32000 - 8000 - 4000) / 32000 = 0.625.
    Scored s =
        HostScheduler.score(
            host("h1", 16_384, 8_000),
            demand(),
            new Load(Map.of("h1", 2, "h9", 7), Map.of("h1", 1)));
    assertEquals(
        List.of(
            new ScorePart("memory", 0.625, 62.5),
            new ScorePart("cpu", 0.625, 62.5),
            new ScorePart("plan", 2, -20),
            new ScorePart("inFlight", 1, -5)),
        s.parts());
    assertEquals(62.5 + 62.5 - 20 - 5, s.score());
  }

  @Test
  void decideRanksByScoreThenHostIdAndListsTheRejected() {
    HostInfo busy = host("h1", 32_768, 0); // half its memory in use
    HostInfo idleB = host("h3", 0, 0);
    HostInfo idleA = host("h2", 0, 0);
    HostInfo full = host("h4", 65_000, 0);
    Decision d = HostScheduler.decide(List.of(busy, idleB, full, idleA), demand(), NO_LOAD);
    assertEquals(List.of("h2", "h3", "h1"), d.ranked().stream().map(s -> s.host().id()).toList());
    assertEquals(List.of("esx-h4: memory: 536 MB free, the VM needs 8192"), d.rejected());
    assertFalse(d.incompatible());
  }

  @Test
  void everyHostFilteredOutForAnIncompatibilityMakesTheDecisionIncompatible() {
    Demand newer = new Demand(8192, 2, "vmx-21", Set.of("ds-1"), Set.of("net-1"), null, null);
    Decision d =
        HostScheduler.decide(List.of(host("h1", 0, 0), host("h2", 65_000, 0)), newer, NO_LOAD);
    assertTrue(d.ranked().isEmpty());
    assertTrue(d.incompatible(), d::toString);
    // One host only full, not incompatible: more room would help, so it is no destination.
    Decision full = HostScheduler.decide(List.of(host("h1", 65_000, 0)), demand(), NO_LOAD);
    assertTrue(full.ranked().isEmpty());
    assertFalse(full.incompatible());
  }

  @Test
  void aPlanSpreadsOverIdenticalHostsOneByOne() {
    List<HostInfo> hosts = List.of(host("h1", 0, 0), host("h2", 0, 0), host("h3", 0, 0));
    Map<String, Integer> placed = new java.util.TreeMap<>();
    for (int i = 0; i < 12; i++) {
      Decision d = HostScheduler.decide(hosts, demand(), new Load(placed, Map.of()));
      placed.merge(d.best().orElseThrow().host().id(), 1, Integer::sum);
    }
    assertEquals(Map.of("h1", 4, "h2", 4, "h3", 4), placed);
  }

  @Test
  void migrationsInFlightWeighLessThanThePlansOwnPlacements() {
    List<HostInfo> hosts = List.of(host("h1", 0, 0), host("h2", 0, 0));
    // h1 has two migrations of other plans in flight (-10), h2 one VM of this plan (-10): a tie,
    // broken by host id; a third in flight to h1 tips it to h2.
    Load tie = new Load(Map.of("h2", 1), Map.of("h1", 2));
    assertEquals("h1", HostScheduler.decide(hosts, demand(), tie).best().orElseThrow().host().id());
    Load more = new Load(Map.of("h2", 1), Map.of("h1", 3));
    assertEquals(
        "h2", HostScheduler.decide(hosts, demand(), more).best().orElseThrow().host().id());
  }

  @Test
  void theChoiceRecordsTheScoreItsPartsAndTheRejectedHosts() {
    Load load = new Load(Map.of("h2", 1), Map.of("h2", 1));
    Decision d =
        HostScheduler.decide(List.of(host("h1", 65_000, 0), host("h2", 0, 0)), demand(), load);
    HostChoice c = HostScheduler.choice("req-1", d.best().orElseThrow(), d, load, false);
    assertEquals("req-1", c.requestId());
    assertEquals("esx-h2", c.hostName());
    assertEquals(1, c.placedByRequest());
    assertEquals(1, c.inFlight());
    assertEquals(1, c.candidates());
    assertEquals(4, c.parts().size());
    assertEquals(c.parts().stream().mapToDouble(ScorePart::points).sum(), c.score(), 1e-9);
    assertEquals(List.of("esx-h1: memory: 536 MB free, the VM needs 8192"), c.rejected());
  }
}

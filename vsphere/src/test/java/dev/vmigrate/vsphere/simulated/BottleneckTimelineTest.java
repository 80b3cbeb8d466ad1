package dev.vmigrate.vsphere.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.vsphere.RelocateSpec;
import dev.vmigrate.vsphere.TaskRef;
import dev.vmigrate.vsphere.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bottleneck over time that a simulated vSphere records under the physical model: the most
 * utilised resource, by name, whenever the shares change.
 */
class BottleneckTimelineTest {
  private static final long GIB = 1L << 30;
  // Full link efficiency and no dirtied memory: a 10 GbE link moves 1.25e9 bytes per second, a 1
  // GbE link 1.25e8, a datastore 5e8; a hot migration sends the guest's memory once.
  private static final PhysicalModel MODEL =
      new PhysicalModel(1.0, 500_000_000L, 0, 10, Duration.ofSeconds(1));

  private final ManualClock clock = new ManualClock();
  private final Instant t0 = clock.instant();

  private SimulatedVsphere estate() {
    return SimulatedVsphere.builder("vc1")
        .clock(clock)
        .physicalModel(MODEL)
        .datacenter("dc1")
        .datastore("ds-a", 100 * GIB)
        .datastore("ds-b", 100 * GIB)
        .network("VM Network")
        .cluster("prod")
        .host("esx-1g", h -> h.vmotionLinkMbps(1000))
        .host("esx-10g", h -> h.vmotionLinkMbps(10_000))
        .host("esx-dst", h -> h.vmotionLinkMbps(10_000))
        .vm("a", v -> v.host("esx-1g").memoryMb(1024).disk("ds-a", GIB))
        .vm("c", v -> v.host("esx-1g").memoryMb(1024).disk("ds-a", GIB))
        .vm("b", v -> v.host("esx-10g").memoryMb(4096).disk("ds-a", GIB))
        .vm("d", v -> v.host("esx-10g").poweredOff().disk("ds-a", GIB))
        .build();
  }

  private static RelocateSpec toHost(SimulatedVsphere vc, String host) {
    return new RelocateSpec(vc.hostId(host), null, null, null, null, null);
  }

  private void at(double seconds) {
    Instant target = t0.plusNanos((long) (seconds * 1e9));
    clock.advance(Duration.between(clock.instant(), target));
  }

  private void assertSample(
      ResourceSample s, double atSecond, String resource, double utilisation, int transfers) {
    assertEquals(atSecond, Duration.between(t0, s.at()).toNanos() / 1e9, 1e-3, "time of " + s);
    assertEquals(resource, s.resource(), "resource of " + s);
    assertEquals(utilisation, s.utilisation(), 1e-6, "utilisation of " + s);
    assertEquals(transfers, s.transfers(), "transfers of " + s);
  }

  @Test
  void overlappingRelocatesRecordTheTopResourceAtEachChange() {
    SimulatedVsphere vc = estate();
    // 0 s: a (1 GiB of memory) leaves esx-1g: it saturates the 1 GbE link.
    TaskRef a = vc.relocate(vc.vmId("a"), toHost(vc, "esx-dst"));
    at(2);
    // 2 s: c leaves esx-1g too: still saturated, now by two transfers of 6.25e7 bytes/s each.
    TaskRef c = vc.relocate(vc.vmId("c"), toHost(vc, "esx-dst"));
    at(3);
    // 3 s: b (4 GiB) goes from esx-10g to esx-dst, whose link then carries all three: a and c
    // keep their 1 GbE shares, b takes the remaining 1.125e9 bytes/s; esx-dst is saturated by
    // three transfers and wins the tie with esx-1g (two) on the number of transfers.
    TaskRef b = vc.relocate(vc.vmId("b"), toHost(vc, "esx-dst"));
    List<ResourceSample> now = vc.bottlenecks();
    assertEquals(3, now.size(), now.toString());
    assertSample(now.get(2), 3, "link:esx-dst", 1.0, 3);

    // b ends after 4 GiB / 1.125e9 = 3.818 s; a had 761,241,824 bytes left at 3 s and ends at
    // 15.180 s; c then has 2.5e8 bytes left at the whole 1 GbE link: it ends at 17.180 s.
    at(30);
    List<ResourceSample> samples = vc.bottlenecks();
    double bEnds = 3 + 4.0 * GIB / 1.125e9;
    double aEnds = 3 + (GIB - 2.5e8 - 6.25e7) / 6.25e7;
    double cEnds = aEnds + 2.5e8 / 1.25e8;
    assertEquals(6, samples.size(), samples.toString());
    assertSample(samples.get(0), 0, "link:esx-1g", 1.0, 1);
    assertSample(samples.get(1), 2, "link:esx-1g", 1.0, 2);
    assertSample(samples.get(2), 3, "link:esx-dst", 1.0, 3);
    assertSample(samples.get(3), bEnds, "link:esx-1g", 1.0, 2);
    assertSample(samples.get(4), aEnds, "link:esx-1g", 1.0, 1);
    assertSample(samples.get(5), cEnds, null, 0, 0);
    for (TaskRef t : List.of(a, b, c)) {
      assertEquals(TaskState.SUCCESS, vc.task(t).state());
    }

    Map<String, Double> busy = vc.bottleneckSeconds();
    assertEquals(3 + (cEnds - bEnds), busy.get("link:esx-1g"), 1e-3);
    assertEquals(bEnds - 3, busy.get("link:esx-dst"), 1e-3);
    assertEquals(2, busy.size());
  }

  @Test
  void aDiskCopyIsBoundByItsDatastoresAndTiesGoByName() {
    SimulatedVsphere vc = estate();
    vc.setDatastoreThroughput("ds-b", 250_000_000L);
    // d (powered off, 1 GiB disk) moves from ds-a to ds-b without changing host: only the two
    // datastores carry it, at ds-b's 2.5e8 bytes/s: ds-b is full, ds-a half used.
    TaskRef d =
        vc.relocate(
            vc.vmId("d"), new RelocateSpec(null, null, null, vc.datastoreId("ds-b"), null, null));
    at(1);
    // a's hot migration at 1 s: esx-1g's link is full with one transfer too, a tie that the name
    // breaks in favour of datastore:ds-b, so nothing changes and nothing is recorded.
    TaskRef a = vc.relocate(vc.vmId("a"), toHost(vc, "esx-dst"));
    at(60);
    List<ResourceSample> samples = vc.bottlenecks();
    double dEnds = GIB / 2.5e8;
    double aEnds = 1 + GIB / 1.25e8;
    assertEquals(3, samples.size(), samples.toString());
    assertSample(samples.get(0), 0, "datastore:ds-b", 1.0, 1);
    assertSample(samples.get(1), dEnds, "link:esx-1g", 1.0, 1);
    assertSample(samples.get(2), aEnds, null, 0, 0);
    assertEquals(TaskState.SUCCESS, vc.task(d).state());
    assertEquals(TaskState.SUCCESS, vc.task(a).state());
  }

  @Test
  void aCancelledTransferEndsTheTimelineAtOnceAndNothingIsRecordedWithoutTheModel() {
    SimulatedVsphere vc = estate();
    TaskRef a = vc.relocate(vc.vmId("a"), toHost(vc, "esx-dst"));
    at(1.5);
    assertTrue(vc.cancelTask(a));
    List<ResourceSample> samples = vc.bottlenecks();
    assertEquals(2, samples.size(), samples.toString());
    assertSample(samples.get(0), 0, "link:esx-1g", 1.0, 1);
    assertSample(samples.get(1), 1.5, null, 0, 0);

    SimulatedVsphere plain =
        SimulatedVsphere.builder("vc2")
            .clock(clock)
            .bandwidth(100_000_000L)
            .datacenter("dc1")
            .datastore("ds-a", 100 * GIB)
            .cluster("prod")
            .host("h1")
            .host("h2")
            .vm("v", v -> v.host("h1").disk("ds-a", GIB))
            .build();
    plain.relocate(plain.vmId("v"), toHost(plain, "h2"));
    at(600);
    assertTrue(plain.bottlenecks().isEmpty());
    assertNull(plain.bottleneckSeconds().get("link:h1"));
  }

  @Test
  void aLinkOfUnknownSpeedCountsAsOneGigabit() {
    // A copied inventory may hold a host that reported no NIC speed (vmotionLinkMbps 0).
    SimulatedVsphere vc =
        SimulatedVsphere.builder("vc3")
            .clock(clock)
            .physicalModel(MODEL)
            .datacenter("dc1")
            .datastore("ds-a", 100 * GIB)
            .cluster("prod")
            .host("esx-unknown", h -> h.vmotionLinkMbps(0))
            .host("esx-dst")
            .vm("v", v -> v.host("esx-unknown").memoryMb(1024).disk("ds-a", GIB))
            .build();
    TaskRef t = vc.relocate(vc.vmId("v"), toHost(vc, "esx-dst"));
    at(GIB / 1.25e8 - 0.01);
    assertEquals(TaskState.RUNNING, vc.task(t).state());
    at(GIB / 1.25e8 + 0.01);
    assertEquals(TaskState.SUCCESS, vc.task(t).state());
    List<ResourceSample> samples = vc.bottlenecks();
    assertEquals(2, samples.size(), samples.toString());
    assertSample(samples.get(0), 0, "link:esx-unknown", 1.0, 1);
    assertSample(samples.get(1), GIB / 1.25e8, null, 0, 0);
  }
}

package dev.vmigrate.vsphere.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vmigrate.vsphere.RelocateSpec;
import dev.vmigrate.vsphere.TaskRef;
import dev.vmigrate.vsphere.TaskState;
import dev.vmigrate.vsphere.VsphereException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The shared-bandwidth model: transfers share the vMotion links and datastores they cross, max-min
 * fair, and a transfer that ends gives its share back to the others.
 */
class PhysicalModelTest {
  private static final long GIB = 1L << 30;
  // 8000 Mbit/s at full efficiency: 10^9 bytes per second per link.
  private static final PhysicalModel EXACT =
      new PhysicalModel(1.0, 1_000_000_000L, 0, 10, Duration.ofSeconds(1));

  private final ManualClock clock = new ManualClock();

  private SimulatedVsphere twoVmsOnOneHost(PhysicalModel model) {
    SimulatedVsphere.Builder b =
        SimulatedVsphere.builder("vc1")
            .clock(clock)
            .datacenter("dc1")
            .datastore("ds-a", 100 * GIB)
            .network("VM Network")
            .cluster("prod")
            .host("esx-01", h -> h.vmotionLinkMbps(8000))
            .host("esx-02", h -> h.vmotionLinkMbps(8000))
            .host("esx-03", h -> h.vmotionLinkMbps(8000))
            .vm("small", v -> v.host("esx-01").memoryMb(2048).disk("ds-a", GIB))
            .vm("large", v -> v.host("esx-01").memoryMb(4096).disk("ds-a", GIB));
    if (model != null) {
      b.physicalModel(model);
    }
    return b.build();
  }

  private static RelocateSpec toHost(SimulatedVsphere vc, String host) {
    return new RelocateSpec(vc.hostId(host), null, null, null, null, null);
  }

  @Test
  void twoVmotionsFromOneHostShareItsLinkAndTheSurvivorSpeedsUp() {
    SimulatedVsphere vc = twoVmsOnOneHost(EXACT);
    TaskRef small = vc.relocate(vc.vmId("small"), toHost(vc, "esx-02"));
    TaskRef large = vc.relocate(vc.vmId("large"), toHost(vc, "esx-03"));

    // Both cross esx-01's link: 0.5 GB/s each. small (2 GiB) ends at 4.295 s.
    clock.advance(Duration.ofMillis(4200));
    assertEquals(TaskState.RUNNING, vc.task(small).state());
    assertEquals(97, vc.task(small).progress());
    assertEquals(48, vc.task(large).progress());
    clock.advance(Duration.ofMillis(100));
    assertEquals(TaskState.SUCCESS, vc.task(small).state());
    // large had 2 GiB left at 4.295 s and then has the whole link: it ends at 6.442 s.
    clock.advance(Duration.ofMillis(2100));
    assertEquals(TaskState.RUNNING, vc.task(large).state());
    clock.advance(Duration.ofMillis(50));
    assertEquals(TaskState.SUCCESS, vc.task(large).state());
    assertEquals(vc.hostId("esx-03"), vc.vm(vc.vmId("large")).host());
  }

  @Test
  void theLowerBoundIsTheBusiestResourceAtFullCapacity() {
    SimulatedVsphere vc = twoVmsOnOneHost(EXACT);
    assertEquals(0.0, vc.transferLowerBoundSeconds());
    vc.relocate(vc.vmId("small"), toHost(vc, "esx-02"));
    vc.relocate(vc.vmId("large"), toHost(vc, "esx-03"));
    clock.advance(Duration.ofSeconds(10));
    // 2 GiB and 4 GiB all crossed esx-01's 1 GB/s link: 6.442 s however they were ordered, which
    // is what sharing took here (the link was never idle).
    assertEquals(6.442, vc.transferLowerBoundSeconds(), 0.001);
  }

  @Test
  void withoutTheModelEachTaskRunsAtTheBandwidthAlone() {
    SimulatedVsphere vc = twoVmsOnOneHost(null);
    vc.setBandwidth(1_000_000_000L);
    TaskRef small = vc.relocate(vc.vmId("small"), toHost(vc, "esx-02"));
    TaskRef large = vc.relocate(vc.vmId("large"), toHost(vc, "esx-03"));

    clock.advance(Duration.ofMillis(2200));
    assertEquals(TaskState.SUCCESS, vc.task(small).state(), "2 GiB at 1 GB/s: 2.147 s");
    assertEquals(51, vc.task(large).progress());
    clock.advance(Duration.ofMillis(2100));
    assertEquals(TaskState.SUCCESS, vc.task(large).state(), "4 GiB at 1 GB/s: 4.295 s");
  }

  @Test
  void datastoresAreSharedMaxMinFair() {
    long tenGb = 10_000_000_000L;
    SimulatedVsphere vc =
        SimulatedVsphere.builder("vc1")
            .clock(clock)
            .physicalModel(EXACT)
            .datacenter("dc1")
            .datastore("ds-a", 100 * GIB)
            .datastore("ds-b", 100 * GIB)
            .datastore("ds-c", 100 * GIB)
            .datastore("ds-d", 100 * GIB)
            .network("VM Network")
            .cluster("prod")
            .host("esx-01")
            .vm("c", v -> v.host("esx-01").poweredOff().disk("ds-a", tenGb))
            .vm("d", v -> v.host("esx-01").poweredOff().disk("ds-c", tenGb))
            .vm("e", v -> v.host("esx-01").poweredOff().disk("ds-c", tenGb))
            .build();
    vc.setDatastoreThroughput("ds-a", 100_000_000L);

    TaskRef c = vc.relocate(vc.vmId("c"), onto(vc, "ds-b"));
    TaskRef d = vc.relocate(vc.vmId("d"), onto(vc, "ds-d"));
    TaskRef e = vc.relocate(vc.vmId("e"), onto(vc, "ds-b"));
    clock.advance(Duration.ofSeconds(1));

    // c is held to 100 MB/s by ds-a; d and e split ds-c (500 MB/s each), and e's 500 MB/s fits in
    // what c leaves of ds-b.
    assertEquals(1, vc.task(c).progress());
    assertEquals(5, vc.task(d).progress());
    assertEquals(5, vc.task(e).progress());
  }

  private static RelocateSpec onto(SimulatedVsphere vc, String datastore) {
    return new RelocateSpec(null, null, null, vc.datastoreId(datastore), null, null);
  }

  @Test
  void anArmedFaultFiresAtItsShareOfTheBytesUnderSharing() {
    SimulatedVsphere vc = twoVmsOnOneHost(EXACT);
    vc.failTask(
        "relocate",
        vc.vmId("large"),
        50,
        new VsphereException.Transient("HostCommunication", "lost"));
    vc.relocate(vc.vmId("small"), toHost(vc, "esx-02"));
    TaskRef large = vc.relocate(vc.vmId("large"), toHost(vc, "esx-03"));

    // Half of large's 4 GiB at 0.5 GB/s (the link is shared all along) is 4.295 s.
    clock.advance(Duration.ofMillis(4250));
    assertEquals(TaskState.RUNNING, vc.task(large).state());
    clock.advance(Duration.ofMillis(100));
    assertEquals(TaskState.ERROR, vc.task(large).state());
    assertEquals(50, vc.task(large).progress());
    assertEquals(vc.hostId("esx-01"), vc.vm(vc.vmId("large")).host());
  }

  @Test
  void precopySendsWhatTheGuestDirtiesUntilTheRestFitsTheSwitchover() {
    PhysicalModel model =
        new PhysicalModel(1.0, 1_000_000_000L, 100_000_000L, 10, Duration.ofSeconds(1));
    // 4 GB at 1 GB/s: 4 s, 0.4 GB dirtied; 0.4 GB fits in the one-second switch-over, so it is
    // sent stunned: 4.4 GB in all.
    assertEquals(4_400_000_000L, model.precopyBytes(4_000_000_000L, 1_000_000_000L));
    // A guest dirtying faster than the link ever drains: passes until the limit, each a full copy.
    PhysicalModel hot =
        new PhysicalModel(1.0, 1_000_000_000L, 2_000_000_000L, 3, Duration.ofSeconds(1));
    assertEquals(16_000_000_000L, hot.precopyBytes(4_000_000_000L, 1_000_000_000L));
    assertEquals(4_000_000_000L, EXACT.precopyBytes(4_000_000_000L, 1_000_000_000L));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PhysicalModel(1.5, 1, 0, 1, Duration.ZERO),
        "an efficiency above 1");
  }
}

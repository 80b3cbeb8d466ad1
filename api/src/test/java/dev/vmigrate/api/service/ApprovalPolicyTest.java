package dev.vmigrate.api.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.api.support.TestVcenters;
import dev.vmigrate.api.web.Dtos.PlanOptions;
import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.vsphere.DatastoreInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The automatic approval policy over simulated vCenters (10 GB per small VM, 2 TB free on DS-X).
 */
class ApprovalPolicyTest {
  private final SimulatedVsphere srcSim = TestVcenters.source();
  private final SimulatedVsphere dstSim = TestVcenters.destination();
  private final Inventory src = srcSim.inventory();
  private final Inventory dst = dstSim.inventory();
  private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

  private static InfrastructureMapping mapping(String datastore, String cluster) {
    return new InfrastructureMapping(
        "src",
        "dst",
        List.of(new ClusterMapping("Cluster-A", cluster, null, null)),
        Map.of("DS1", datastore),
        Map.of("VM Network", "VM Network X"));
  }

  private List<VmInfo> vms(String... names) {
    return java.util.Arrays.stream(names).map(n -> src.vmByName(n).orElseThrow()).toList();
  }

  /** The policy on the default mapping, without options, at 1 Gbit/s. */
  private List<ApprovalPolicy.Proposal> propose(List<VmInfo> vms, Map<String, String> repeats) {
    return ApprovalPolicy.propose(
        vms,
        mapping("DS-X", "Cluster-X"),
        src,
        dst,
        PlanOptions.empty(),
        125_000_000,
        now,
        repeats);
  }

  private static PlanOptions window(Integer limit, Instant end) {
    return new PlanOptions(
        null, null, null, null, null, null, null, limit, null, end, null, null, null, null, null,
        null);
  }

  private static PlanOptions fifoWindow(int throttle, Instant end) {
    return new PlanOptions(
        null, null, null, null, null, null, null, null, null, end, null, null, null, "fifo",
        throttle, null);
  }

  @Test
  void approvesCoveredVmsWithTheFactsAdmissionControlNeeds() {
    var p = propose(vms("web01"), Map.of()).get(0);
    assertTrue(p.approve());
    assertEquals(10 * TestVcenters.GB, p.diskBytes());
    assertEquals(List.of(srcSim.datastoreId("DS1")), p.sourceDatastores());
    assertEquals(List.of(dstSim.datastoreId("DS-X")), p.destinationDatastores());
    assertTrue(p.storageChange());
    assertEquals(srcSim.hostId("esx-a1"), p.sourceHost());
    assertEquals(10_000, p.vmotionLinkMbps());
  }

  @Test
  void rejectsDestinationsThatDoNotExistOrAreInaccessible() {
    var missing =
        ApprovalPolicy.propose(
                vms("web01"),
                mapping("DS-X", "Cluster-Nope"),
                src,
                dst,
                PlanOptions.empty(),
                125_000_000,
                now,
                Map.of())
            .get(0);
    assertFalse(missing.approve());
    assertEquals("rejected: destination cluster 'Cluster-Nope' does not exist", missing.reason());
    Inventory offlineDst =
        new Inventory(
            dst.datacenters(),
            dst.clusters(),
            dst.hosts(),
            dst.datastores().stream()
                .map(
                    d ->
                        new DatastoreInfo(
                            d.id(), d.name(), d.capacityBytes(), d.freeBytes(), false))
                .toList(),
            dst.networks(),
            dst.resourcePools(),
            dst.folders(),
            dst.vms());
    var offline =
        ApprovalPolicy.propose(
                vms("web01"),
                mapping("DS-X", "Cluster-X"),
                src,
                offlineDst,
                PlanOptions.empty(),
                125_000_000,
                now,
                Map.of())
            .get(0);
    assertEquals("rejected: destination datastore 'DS-X' is not accessible", offline.reason());
  }

  @Test
  void capacityIsConsumedInPlanOrder() {
    // big01 (5 TB) never fits in 2 TB; the small VMs around it still do.
    var ps = propose(vms("web01", "big01", "web02"), Map.of());
    assertEquals(
        List.of(true, false, true), ps.stream().map(ApprovalPolicy.Proposal::approve).toList());
    assertTrue(ps.get(1).reason().contains("destination datastore 'DS-X' lacks capacity"));
  }

  @Test
  void spaceReservedByRunningMigrationsIsNotFree() {
    // 2,000 GiB free, of which running migrations reserved 1,995 GiB: a 10 GiB VM no longer fits.
    dstSim.setCustomValue(
        dstSim.datastoreId("DS-X"),
        MigrationAttributes.RESERVATIONS,
        "{\"migrate-a\": "
            + 1000 * TestVcenters.GB
            + ", \"migrate-b\": "
            + 995 * TestVcenters.GB
            + "}");
    var p =
        ApprovalPolicy.propose(
                vms("web01"),
                mapping("DS-X", "Cluster-X"),
                src,
                dstSim.inventory(),
                PlanOptions.empty(),
                125_000_000,
                now,
                Map.of())
            .get(0);
    assertFalse(p.approve());
    assertTrue(p.reason().contains("lacks capacity"), p.reason());
  }

  @Test
  void skipsVmsTheirOwnAttributeSaysAreMigrated() {
    var p = propose(vms("old01"), Map.of()).get(0);
    assertFalse(p.approve());
    assertTrue(p.reason().startsWith("already migrated (vmigrate.result: migrated"));
  }

  @Test
  void aVmOrderedAgainIsApprovedAsARepeatNamingItsEarlierMigration() {
    VmInfo old = vms("old01").get(0);
    var ps =
        propose(
            vms("old01", "web01"),
            Map.of(
                old.instanceUuid().toLowerCase(java.util.Locale.ROOT),
                "by request r1 (migration m1)",
                vms("web01").get(0).instanceUuid().toLowerCase(java.util.Locale.ROOT),
                ""));
    assertTrue(ps.get(0).approve(), ps.get(0).toString());
    assertTrue(
        ps.get(0)
            .reason()
            .startsWith(
                "repeat migration: ordered again with remigrate; migrated before by request r1"
                    + " (migration m1), vmigrate.result: migrated"),
        ps.get(0).reason());
    assertTrue(ApprovalPolicy.isRepeat(ps.get(0).reason()));
    // Ordered again but never migrated: an ordinary first migration.
    assertTrue(ps.get(1).approve());
    assertEquals(null, ps.get(1).reason());
  }

  @Test
  void defersWhatCannotFinishInsideTheWindowCountingTheConcurrencyLimit() {
    // Each VM moves 10 GiB + 4 GiB memory at 1 GiB/s: 14 s. One lane, a 30 s window: two fit.
    long gibPerSecond = TestVcenters.GB;
    var ps =
        ApprovalPolicy.propose(
            vms("web01", "web02", "app01"),
            mapping("DS-X", "Cluster-X"),
            src,
            dst,
            window(1, now.plusSeconds(30)),
            gibPerSecond,
            now,
            Map.of());
    assertEquals(
        List.of(true, true, false), ps.stream().map(ApprovalPolicy.Proposal::approve).toList());
    assertTrue(ps.get(2).reason().startsWith("deferred: estimated PT14S"), ps.get(2).reason());
    // Without a limit they run side by side and all fit.
    var parallel =
        ApprovalPolicy.propose(
            vms("web01", "web02", "app01"),
            mapping("DS-X", "Cluster-X"),
            src,
            dst,
            window(0, now.plusSeconds(30)),
            gibPerSecond,
            now,
            Map.of());
    assertTrue(parallel.stream().allMatch(ApprovalPolicy.Proposal::approve));
  }

  @Test
  void theFifoThrottleBoundsTheWindowEstimateLikeAConcurrencyLimit() {
    // One VM at a time under fifo: 14 s each in a 30 s window, so the third is deferred.
    long gibPerSecond = TestVcenters.GB;
    var ps =
        ApprovalPolicy.propose(
            vms("web01", "web02", "app01"),
            mapping("DS-X", "Cluster-X"),
            src,
            dst,
            fifoWindow(1, now.plusSeconds(30)),
            gibPerSecond,
            now,
            Map.of());
    assertEquals(
        List.of(true, true, false), ps.stream().map(ApprovalPolicy.Proposal::approve).toList());
    assertTrue(ps.get(2).reason().startsWith("deferred: estimated PT14S"), ps.get(2).reason());
  }
}

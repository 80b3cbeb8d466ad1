package dev.vmigrate.api.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vmigrate.api.support.TestVcenters;
import dev.vmigrate.api.web.Dtos.PlanOptions;
import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.DiskMode;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VirtualNic;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.VmInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exact words of the API's mapping checks ({@link Inventories#mappingGaps} and the rejections
 * of {@link ApprovalPolicy}), for each way a VM's cluster, datastores and networks can fail to
 * resolve.
 */
class MappingMessagesTest {
  private final Inventory src = TestVcenters.source().inventory();
  private final Inventory dst = TestVcenters.destination().inventory();
  private final VmInfo web01 = src.vmByName("web01").orElseThrow();

  private static InfrastructureMapping mapping(
      List<ClusterMapping> clusters, Map<String, String> datastores, Map<String, String> nets) {
    return new InfrastructureMapping("src", "dst", clusters, datastores, nets);
  }

  /** web01 on other placement ids: cluster, configuration datastore, disks and NICs. */
  private VmInfo moved(String cluster, String vmx, List<String> disks, List<String> nets) {
    return web01
        .withPlacement(cluster, vmx)
        .withDevices(
            disks.stream()
                .map(
                    ds ->
                        new VirtualDisk(
                            1, "Hard disk 1", ds, "d.vmdk", 1, DiskMode.PERSISTENT, false))
                .toList(),
            nets.stream()
                .map(
                    n ->
                        new VirtualNic(
                            1, "Network adapter 1", "00:50:56:00:00:01", n, null, null, null))
                .toList());
  }

  private String rejection(VmInfo vm, InfrastructureMapping m) {
    ApprovalPolicy.Proposal p =
        ApprovalPolicy.propose(
                List.of(vm), m, src, dst, PlanOptions.empty(), 125_000_000, Instant.EPOCH, Map.of())
            .get(0);
    assertFalse(p.approve());
    return p.reason();
  }

  @Test
  void gapsNameWhatTheMappingLacks() {
    assertEquals(
        List.of("cluster 'Cluster-A'", "datastore 'DS1'", "network 'VM Network'"),
        Inventories.mappingGaps(web01, src, mapping(List.of(), Map.of(), Map.of())));
    assertEquals(
        List.of(),
        Inventories.mappingGaps(
            web01,
            src,
            mapping(
                List.of(new ClusterMapping("Cluster-A", "Nope", "P", "F")),
                Map.of("DS1", "Nope"),
                Map.of("VM Network", "Nope"))));
  }

  @Test
  void gapsNameUnknownObjectsByIdAndSayWhenThereIsNoCluster() {
    VmInfo vm =
        moved(
            null,
            "datastore-404",
            List.of("datastore-404", "datastore-405"),
            List.of("network-404", "network-404"));
    assertEquals(
        List.of(
            "its host is in no cluster",
            "datastore 'datastore-404'",
            "datastore 'datastore-405'",
            "network 'network-404'"),
        Inventories.mappingGaps(vm, src, mapping(List.of(), Map.of(), Map.of())));
    VmInfo unknownCluster = moved("domain-c404", null, List.of(), List.of());
    assertEquals(
        List.of("cluster 'domain-c404'"),
        Inventories.mappingGaps(unknownCluster, src, mapping(List.of(), Map.of(), Map.of())));
    // An id that the mapping uses as a name counts as mapped.
    assertEquals(
        List.of(),
        Inventories.mappingGaps(
            unknownCluster,
            src,
            mapping(
                List.of(new ClusterMapping("domain-c404", "X", null, null)), Map.of(), Map.of())));
  }

  @Test
  void approvalRejectsUnmappedObjectsByTheirSourceNames() {
    assertEquals(
        "rejected: cluster 'Cluster-A' has no destination; datastore 'DS1' has no destination;"
            + " network 'VM Network' has no destination",
        rejection(web01, mapping(List.of(), Map.of(), Map.of())));
    assertEquals(
        "rejected: cluster 'null' has no destination; datastore 'datastore-404' has no"
            + " destination; network 'network-404' has no destination; network 'network-404' has"
            + " no destination",
        rejection(
            moved(null, null, List.of("datastore-404"), List.of("network-404", "network-404")),
            mapping(List.of(), Map.of(), Map.of())));
  }

  @Test
  void approvalRejectsMappedNamesTheDestinationLacks() {
    assertEquals(
        "rejected: destination cluster 'Nope' does not exist; destination resource pool 'P' does"
            + " not exist; destination folder 'F' does not exist; destination datastore 'DS-Nope'"
            + " does not exist; destination network 'Net-Nope' does not exist",
        rejection(
            web01,
            mapping(
                List.of(new ClusterMapping("Cluster-A", "Nope", "P", "F")),
                Map.of("DS1", "DS-Nope"),
                Map.of("VM Network", "Net-Nope"))));
    // The folder exists; a resource pool of the destination is found in any cluster.
    assertEquals(
        "rejected: destination cluster 'Nope' does not exist",
        rejection(
            web01,
            mapping(
                List.of(new ClusterMapping("Cluster-A", "Nope", "Resources", "Migrated")),
                Map.of("DS1", "DS-X"),
                Map.of("VM Network", "VM Network X"))));
  }
}

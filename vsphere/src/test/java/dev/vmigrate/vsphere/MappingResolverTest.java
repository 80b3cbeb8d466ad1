package dev.vmigrate.vsphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.DiskMode;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VirtualNic;
import dev.vmigrate.vsphere.MappingResolver.ClusterResolution;
import dev.vmigrate.vsphere.MappingResolver.Outcome;
import dev.vmigrate.vsphere.MappingResolver.Resolution;
import dev.vmigrate.vsphere.MappingResolver.VmResolution;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Resolving a VM's cluster, datastores and networks through a mapping, on hand-made inventories.
 */
class MappingResolverTest {

  // Source: Cluster-A (mapped), Cluster-B (mapped to a cluster that does not exist), Cluster-C
  // (unmapped); datastores DS1 (mapped), DS2 (unmapped), DS3 (mapped to a missing one); networks
  // likewise.
  private static final Inventory SRC =
      inventory(
          List.of(
              new ClusterInfo("domain-c1", "Cluster-A", "dc-1", "resgroup-1", List.of("host-1")),
              new ClusterInfo("domain-c2", "Cluster-B", "dc-1", "resgroup-2", List.of()),
              new ClusterInfo("domain-c3", "Cluster-C", "dc-1", "resgroup-3", List.of())),
          List.of(
              new DatastoreInfo("datastore-1", "DS1", 100, 50, true),
              new DatastoreInfo("datastore-2", "DS2", 100, 50, true),
              new DatastoreInfo("datastore-3", "DS3", 100, 50, true)),
          List.of(
              new NetworkInfo("network-1", "VM Network", false, null, null),
              new NetworkInfo("network-2", "Backup", false, null, null),
              new NetworkInfo("network-3", "Storage", false, null, null)),
          List.of());

  // Destination: Cluster-X with pools "Prod" (in Cluster-X, one level down) and "Other" (in
  // another cluster), folder "Migrated"; datastore DS-X; network "VM Network X".
  private static final Inventory DST =
      inventory(
          List.of(
              new ClusterInfo("domain-c9", "Cluster-X", "dc-9", "resgroup-9", List.of("host-9")),
              new ClusterInfo("domain-c8", "Cluster-Y", "dc-9", "resgroup-8", List.of())),
          List.of(new DatastoreInfo("datastore-9", "DS-X", 100, 50, true)),
          List.of(new NetworkInfo("dvportgroup-9", "VM Network X", true, "uuid", "pg-9")),
          List.of(
              new ResourcePoolInfo("resgroup-9", "Resources", "domain-c9", null),
              new ResourcePoolInfo("resgroup-91", "Prod", "domain-c9", "resgroup-9"),
              new ResourcePoolInfo("resgroup-8", "Resources", "domain-c8", null),
              new ResourcePoolInfo("resgroup-81", "Other", "domain-c8", "resgroup-8")));

  private static final InfrastructureMapping MAPPING =
      new InfrastructureMapping(
          "src",
          "dst",
          List.of(
              new ClusterMapping("Cluster-A", "Cluster-X", "Prod", "Migrated"),
              new ClusterMapping("Cluster-B", "Cluster-Gone", null, null)),
          Map.of("DS1", "DS-X", "DS3", "DS-Gone"),
          Map.of("VM Network", "VM Network X", "Storage", "Storage-Gone"));

  private final MappingResolver resolver = new MappingResolver(MAPPING, SRC, DST);

  @Test
  void mappedObjectsResolveToTheDestinationObjects() {
    ClusterResolution c = resolver.cluster("domain-c1");
    assertEquals(Outcome.RESOLVED, c.outcome());
    assertEquals("Cluster-A", c.sourceName());
    assertEquals("Cluster-X", c.mapping().destination());
    assertEquals("domain-c9", c.destination().id());
    assertTrue(c.mapped());

    Resolution<DatastoreInfo> ds = resolver.datastore("datastore-1");
    assertEquals(Outcome.RESOLVED, ds.outcome());
    assertEquals("datastore-1", ds.sourceId());
    assertEquals("DS1", ds.sourceName());
    assertEquals("DS-X", ds.destinationName());
    assertEquals("datastore-9", ds.destination().id());

    Resolution<NetworkInfo> net = resolver.network("network-1");
    assertEquals(Outcome.RESOLVED, net.outcome());
    assertEquals("VM Network", net.sourceName());
    assertEquals("VM Network X", net.destinationName());
    assertEquals("dvportgroup-9", net.destination().id());
  }

  @Test
  void unmappedObjectsAreReportedWithTheirSourceNames() {
    ClusterResolution c = resolver.cluster("domain-c3");
    assertEquals(Outcome.UNMAPPED, c.outcome());
    assertEquals("Cluster-C", c.sourceName());
    assertNull(c.mapping());
    assertFalse(c.mapped());

    Resolution<DatastoreInfo> ds = resolver.datastore("datastore-2");
    assertEquals(Outcome.UNMAPPED, ds.outcome());
    assertEquals("DS2", ds.sourceName());
    assertNull(ds.destinationName());
    assertFalse(ds.mapped());

    Resolution<NetworkInfo> net = resolver.network("network-2");
    assertEquals(Outcome.UNMAPPED, net.outcome());
    assertEquals("Backup", net.sourceName());
    assertNull(net.destination());
  }

  @Test
  void mappedNamesMissingFromTheDestinationAreReported() {
    ClusterResolution c = resolver.cluster("domain-c2");
    assertEquals(Outcome.MISSING_DESTINATION, c.outcome());
    assertEquals("Cluster-Gone", c.mapping().destination());
    assertNull(c.destination());
    assertTrue(c.mapped());

    Resolution<DatastoreInfo> ds = resolver.datastore("datastore-3");
    assertEquals(Outcome.MISSING_DESTINATION, ds.outcome());
    assertEquals("DS3", ds.sourceName());
    assertEquals("DS-Gone", ds.destinationName());
    assertNull(ds.destination());
    assertTrue(ds.mapped());

    Resolution<NetworkInfo> net = resolver.network("network-3");
    assertEquals(Outcome.MISSING_DESTINATION, net.outcome());
    assertEquals("Storage-Gone", net.destinationName());
  }

  @Test
  void unknownSourceIdsAreUnresolvedUnlessNamedByTheirIds() {
    assertEquals(Outcome.UNKNOWN_SOURCE, resolver.cluster("domain-c404").outcome());
    assertEquals(Outcome.UNKNOWN_SOURCE, resolver.cluster(null).outcome());
    assertNull(resolver.cluster("domain-c404").sourceName());
    assertEquals(Outcome.UNKNOWN_SOURCE, resolver.datastore("datastore-404").outcome());
    assertEquals(Outcome.UNKNOWN_SOURCE, resolver.network("network-404").outcome());

    MappingResolver byId = resolver.namingUnknownByIds();
    Resolution<DatastoreInfo> ds = byId.datastore("datastore-404");
    assertEquals(Outcome.UNMAPPED, ds.outcome());
    assertEquals("datastore-404", ds.sourceName());
    // A name that is not an inventory name still maps when the mapping uses it.
    Resolution<NetworkInfo> net =
        new MappingResolver(
                new InfrastructureMapping(
                    "src", "dst", List.of(), Map.of(), Map.of("network-404", "VM Network X")),
                SRC,
                DST)
            .namingUnknownByIds()
            .network("network-404");
    assertEquals(Outcome.RESOLVED, net.outcome());
    assertEquals("dvportgroup-9", net.destination().id());
    // A VM on a standalone host: no cluster id, no cluster name.
    ClusterResolution none = byId.cluster(null);
    assertEquals(Outcome.UNMAPPED, none.outcome());
    assertNull(none.sourceName());
  }

  @Test
  void unmappedDatastoresKeepTheirNamesOnlyWhenAsked() {
    MappingResolver identity = resolver.keepingUnmappedDatastoreNames();
    Resolution<DatastoreInfo> same = identity.datastore("datastore-2");
    assertEquals("DS2", same.sourceName());
    assertEquals("DS2", same.destinationName());
    assertEquals(Outcome.MISSING_DESTINATION, same.outcome()); // no DS2 in the destination
    assertEquals(
        Outcome.RESOLVED,
        new MappingResolver(MAPPING, SRC, SRC)
            .keepingUnmappedDatastoreNames()
            .datastore("datastore-2")
            .outcome());
    // A mapping entry still wins, and networks never keep their names.
    assertEquals("DS-X", identity.datastore("datastore-1").destinationName());
    assertEquals(Outcome.UNMAPPED, identity.network("network-2").outcome());
  }

  @Test
  void withoutADestinationInventoryResolutionStopsAtTheMappedName() {
    MappingResolver names = new MappingResolver(MAPPING, SRC, null);
    ClusterResolution c = names.cluster("domain-c2");
    assertEquals(Outcome.MAPPED, c.outcome());
    assertTrue(c.mapped());
    assertEquals("Cluster-Gone", c.mapping().destination());
    Resolution<DatastoreInfo> ds = names.datastore("datastore-3");
    assertEquals(Outcome.MAPPED, ds.outcome());
    assertEquals("DS-Gone", ds.destinationName());
    assertNull(ds.destination());
    assertEquals(Outcome.UNMAPPED, names.network("network-2").outcome());
    assertThrows(IllegalStateException.class, () -> names.folder(c.mapping()));
  }

  @Test
  void resourcePoolsAndFoldersOfAClusterMapping() {
    ClusterResolution c = resolver.cluster("domain-c1");
    assertEquals(
        "resgroup-91", resolver.resourcePool(c.mapping(), c.destination()).orElseThrow().id());
    assertEquals("resgroup-91", resolver.resourcePool(c.mapping(), null).orElseThrow().id());
    ClusterMapping other = new ClusterMapping("Cluster-A", "Cluster-X", "Other", "Elsewhere");
    // "Other" exists, but in Cluster-Y.
    assertTrue(resolver.resourcePool(other, c.destination()).isEmpty());
    assertEquals("resgroup-81", resolver.resourcePool(other, null).orElseThrow().id());
    assertTrue(resolver.folder(other).isEmpty());
    assertEquals("group-v9", resolver.folder(c.mapping()).orElseThrow().id());
    ClusterMapping bare = new ClusterMapping("Cluster-A", "Cluster-X", null, null);
    assertTrue(resolver.resourcePool(bare, null).isEmpty());
    assertTrue(resolver.folder(bare).isEmpty());
  }

  @Test
  void aVmResolvesItsClusterEachDatastoreOnceAndEachNic() {
    VmInfo vm =
        vm(
            "domain-c1",
            "datastore-1",
            List.of(disk(1, "datastore-1"), disk(2, "datastore-2"), disk(3, "datastore-1")),
            List.of(nic(1, "network-1"), nic(2, "network-2"), nic(3, "network-2")));
    assertEquals(List.of("datastore-1", "datastore-2"), MappingResolver.datastoreIds(vm));
    VmResolution r = resolver.vm(vm);
    assertEquals(Outcome.RESOLVED, r.cluster().outcome());
    assertEquals(
        List.of(Outcome.RESOLVED, Outcome.UNMAPPED),
        r.datastores().stream().map(Resolution::outcome).toList());
    assertEquals(
        List.of("datastore-1", "datastore-2"),
        r.datastores().stream().map(Resolution::sourceId).toList());
    assertEquals(
        List.of(Outcome.RESOLVED, Outcome.UNMAPPED, Outcome.UNMAPPED),
        r.networks().stream().map(Resolution::outcome).toList());
    DatastoreInfo ds9 = r.datastores().get(0).destination();
    assertSame(DST.datastore("datastore-9").orElseThrow(), ds9);
  }

  private static Inventory inventory(
      List<ClusterInfo> clusters,
      List<DatastoreInfo> datastores,
      List<NetworkInfo> networks,
      List<ResourcePoolInfo> pools) {
    return new Inventory(
        List.of(new DatacenterInfo("dc-9", "DC", "group-v1")),
        clusters,
        List.of(),
        datastores,
        networks,
        pools,
        List.of(new FolderInfo("group-v9", "Migrated", "group-v1")),
        List.of());
  }

  private static VmInfo vm(
      String cluster, String vmx, List<VirtualDisk> disks, List<VirtualNic> nics) {
    return new VmInfo(
        "vm-1",
        "app-01",
        "uuid-1",
        "bios-1",
        PowerState.POWERED_OFF,
        "connected",
        false,
        "host-1",
        cluster,
        "resgroup-1",
        "group-v1",
        "[DS1] app-01/app-01.vmx",
        vmx,
        "vmx-19",
        "otherGuest",
        1,
        1024,
        disks,
        nics,
        false,
        List.of(),
        Map.of());
  }

  private static VirtualDisk disk(int key, String datastore) {
    return new VirtualDisk(
        key, "Hard disk " + key, datastore, "x.vmdk", 1024, DiskMode.PERSISTENT, false);
  }

  private static VirtualNic nic(int key, String network) {
    return new VirtualNic(
        key, "Network adapter " + key, "00:50:56:00:00:0" + key, network, null, null, null);
  }
}

package dev.vmigrate.vsphere.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.VirtualNic;
import dev.vmigrate.vsphere.DatastoreInfo;
import dev.vmigrate.vsphere.HostInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.MigrationMarks;
import dev.vmigrate.vsphere.RegisterSpec;
import dev.vmigrate.vsphere.RelocateSpec;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.TaskRef;
import dev.vmigrate.vsphere.TaskState;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SimulatedVsphere#copyOf}: a simulated vCenter started from an {@link Inventory} value
 * reads back that inventory, keeps its ids, and behaves as the original under the same operations.
 */
class InventoryCopyTest {
  private static final long GIB = 1L << 30;

  /**
   * A demo estate with what the demo lacks: a standalone host with a child pool and a template, a
   * host disconnected and one in maintenance, suspended and powered-off VMs, an RDM disk, vmigrate
   * marks on VMs and a datastore, and some VMs already moved (so usage and free space are not as
   * built).
   */
  private static SimulatedVsphere richEstate(long seed) {
    SimulatedVsphere vc =
        SimulatedInventories.demo("vc-orig", seed, 2, 3, 3, 40)
            .datastore("local-solo", 500 * GIB, 20 * GIB)
            .standaloneHost(
                "esx-solo",
                h -> h.cpuVendor("amd").maxHardwareVersion("vmx-19").vmotionLinkMbps(1000))
            .resourcePool("solo-apps")
            .vm(
                "tmpl-base",
                v -> v.host("esx-solo").template().disk("local-solo", 16 * GIB).nic("dvpg-web"))
            .vm(
                "solo-db",
                v ->
                    v.host("esx-solo")
                        .pool("solo-apps")
                        .folder("migrated")
                        .disk("local-solo", 40 * GIB)
                        .rdmDisk("datastore-01", 100 * GIB)
                        .nic("VM Network")
                        .nic("dvpg-db")
                        .snapshots("base", "patched")
                        .cdromHostDevice())
            .build();
    vc.setPowerState(vc.vmId("srv-0003"), PowerState.SUSPENDED);
    vc.setCustomValue(vc.vmId("srv-0001"), MigrationAttributes.LOCK, "req-1/srv-0001");
    vc.setCustomValue(vc.vmId("srv-0001"), MigrationAttributes.ORIGIN, "{\"host\":\"h\"}");
    vc.setCustomValue(vc.vmId("solo-db"), "owner", "dba team");
    vc.setCustomValue(vc.datastoreId("datastore-02"), MigrationAttributes.RESERVATIONS, "{}");
    // Moves with bandwidth 0 complete at once: VMs change host, pool and datastore.
    Inventory inv = vc.inventory();
    String otherCluster = inv.clusterByName("cluster-02").orElseThrow().id();
    List<VmInfo> small =
        inv.vms().stream()
            .filter(v -> v.name().startsWith("srv-"))
            .filter(v -> v.disks().stream().mapToLong(d -> d.capacityBytes()).sum() <= 64 * GIB)
            .limit(3)
            .toList();
    for (VmInfo vm : small) {
      String host =
          inv.clusters().stream()
              .filter(c -> c.id().equals(otherCluster))
              .findFirst()
              .orElseThrow()
              .hosts()
              .get(1);
      vc.relocate(
          vm.id(),
          new RelocateSpec(
              vm.cluster().equals(otherCluster) ? null : host,
              vm.cluster().equals(otherCluster)
                  ? null
                  : inv.clusterByName("cluster-02").orElseThrow().rootResourcePool(),
              null,
              vc.datastoreId("datastore-03"),
              null,
              null));
    }
    vc.setMaintenanceMode(vc.hostId("esx-02-03"), true);
    vc.disconnectHost(vc.hostId("esx-01-03"));
    return vc;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 7, 42})
  void aCopyOfADemoEstateReadsBackItsInventory(long seed) {
    SimulatedVsphere original = SimulatedInventories.demo("vc-orig", seed, 3, 4, 5, 120).build();
    Inventory read = original.inventory();
    SimulatedVsphere copy = SimulatedVsphere.copyOf("vc-copy", read).build();
    assertEquals(read, copy.inventory());
    assertEquals("vc-copy", copy.vcenterId());
  }

  @ParameterizedTest
  @ValueSource(longs = {3, 11})
  void aCopyOfARicherEstateReadsBackEveryField(long seed) {
    SimulatedVsphere original = richEstate(seed);
    Inventory read = original.inventory();
    // The estate has what the test is about.
    assertTrue(read.hosts().stream().anyMatch(h -> h.cluster() == null));
    assertTrue(read.hosts().stream().anyMatch(h -> "disconnected".equals(h.connectionState())));
    assertTrue(read.hosts().stream().anyMatch(HostInfo::inMaintenanceMode));
    assertTrue(read.vms().stream().anyMatch(VmInfo::template));
    assertTrue(read.vms().stream().anyMatch(v -> v.powerState() == PowerState.SUSPENDED));
    assertTrue(read.vms().stream().anyMatch(v -> v.powerState() == PowerState.POWERED_OFF));
    assertTrue(read.vms().stream().anyMatch(v -> !v.snapshots().isEmpty()));
    assertTrue(read.networks().stream().anyMatch(n -> n.distributed() && n.switchUuid() != null));

    SimulatedVsphere copy = SimulatedVsphere.copyOf("vc-orig", read).build();
    assertEquals(read, copy.inventory());
    assertEquals(read.hosts(), copy.infrastructure().hosts());
    for (VmInfo vm : read.vms()) {
      assertEquals(vm, copy.vm(vm.id()));
      assertEquals(vm, copy.findVmByInstanceUuid(vm.instanceUuid()).orElseThrow());
      assertEquals(vm, copy.findVmInFolder(vm.folder(), vm.name()).orElseThrow());
    }
    for (HostInfo h : read.hosts()) {
      assertEquals(h, copy.host(h.id()));
    }
    for (DatastoreInfo d : read.datastores()) {
      assertEquals(d, copy.datastore(d.id()));
    }
    // The migration prechecks read vmigrate's own marks through these two calls.
    assertEquals(original.migrationMarks(), copy.migrationMarks());
    assertEquals(
        original.vmCustomValues(MigrationAttributes.LOCK),
        copy.vmCustomValues(MigrationAttributes.LOCK));
  }

  @Test
  void whatTheSimulatorWouldDeriveOtherwiseIsKeptAsRead() {
    Inventory built = richEstate(5).inventory();
    // As a real vCenter may report them: an orphaned VM, an adapter left disconnected on a running
    // VM and one that does not connect at power-on, thin disks (more free space than capacity less
    // provisioned disks), host usage below the configured size of its VMs, MAC set by hand, a
    // host whose memory size is not a whole number of MiB.
    List<VmInfo> vms = new ArrayList<>();
    for (VmInfo v : built.vms()) {
      if (v.name().equals("srv-0002")) {
        v =
            new VmInfo(
                v.id(),
                v.name(),
                v.instanceUuid(),
                v.biosUuid(),
                v.powerState(),
                "orphaned",
                v.template(),
                v.host(),
                v.cluster(),
                v.resourcePool(),
                v.folder(),
                v.vmPathName(),
                v.vmxDatastore(),
                v.hardwareVersion(),
                v.guestId(),
                v.cpus(),
                v.memoryMb(),
                v.disks(),
                v.nics(),
                v.cdromHostDevice(),
                v.snapshots(),
                v.customValues());
      }
      if (v.name().equals("srv-0004")) {
        v =
            new VmInfo(
                v.id(),
                v.name(),
                v.instanceUuid(),
                v.biosUuid(),
                PowerState.POWERED_OFF,
                v.connectionState(),
                v.template(),
                "host-999999",
                null,
                v.resourcePool(),
                v.folder(),
                v.vmPathName(),
                v.vmxDatastore(),
                v.hardwareVersion(),
                v.guestId(),
                v.cpus(),
                v.memoryMb(),
                v.disks(),
                v.nics(),
                v.cdromHostDevice(),
                v.snapshots(),
                v.customValues());
      }
      if (v.name().equals("solo-db")) {
        List<VirtualNic> nics = new ArrayList<>();
        for (VirtualNic n : v.nics()) {
          nics.add(
              new VirtualNic(
                  n.key(),
                  n.label(),
                  n.macAddress(),
                  n.network(),
                  "manual",
                  false,
                  nics.isEmpty()));
        }
        v = v.withDevices(v.disks(), nics);
      }
      vms.add(v);
    }
    List<DatastoreInfo> datastores =
        built.datastores().stream()
            .map(
                d ->
                    new DatastoreInfo(
                        d.id(),
                        d.name(),
                        d.capacityBytes(),
                        Math.min(d.capacityBytes(), d.freeBytes() + 300 * GIB),
                        d.accessible(),
                        d.customValues()))
            .toList();
    List<HostInfo> hosts =
        built.hosts().stream()
            .map(
                h ->
                    new HostInfo(
                        h.id(),
                        h.name(),
                        h.cluster(),
                        h.connectionState(),
                        h.inMaintenanceMode(),
                        h.datastores(),
                        h.networks(),
                        h.cpuVendor(),
                        h.maxHardwareVersion(),
                        h.vmotionLinkMbps(),
                        h.memoryBytes() - 12345,
                        h.cpuCores(),
                        h.cpuMhzPerCore(),
                        h.memoryUsageMb() / 3,
                        h.cpuUsageMhz() / 2))
            .toList();
    Inventory read =
        new Inventory(
            built.datacenters(),
            built.clusters(),
            hosts,
            datastores,
            built.networks(),
            built.resourcePools(),
            built.folders(),
            vms);
    SimulatedVsphere copy = SimulatedVsphere.copyOf("vc", read).build();
    assertEquals(read, copy.inventory());
    // A VM on a host that the inventory does not hold (removed while it was read) reads as read;
    // vCenter can do nothing with it.
    VsphereException e =
        assertThrows(
            VsphereException.class,
            () -> copy.powerOn(read.vmByName("srv-0004").orElseThrow().id()));
    assertEquals("InvalidState", e.fault());
  }

  @Test
  void objectsCreatedLaterTakeIdsAboveEveryCopiedOne() {
    SimulatedVsphere original = richEstate(9);
    Inventory read = original.inventory();
    SimulatedVsphere copy = SimulatedVsphere.copyOf("vc", read).build();
    Set<String> copied = new HashSet<>();
    Stream.of(
            read.datacenters().stream().map(d -> d.id()),
            read.clusters().stream().map(c -> c.id()),
            read.hosts().stream().map(HostInfo::id),
            read.datastores().stream().map(DatastoreInfo::id),
            read.networks().stream().map(n -> n.id()),
            read.resourcePools().stream().map(p -> p.id()),
            read.folders().stream().map(f -> f.id()),
            read.vms().stream().map(VmInfo::id))
        .flatMap(s -> s)
        .forEach(copied::add);
    int highest =
        copied.stream()
            .mapToInt(id -> Integer.parseInt(id.replaceAll("^\\D+", "")))
            .max()
            .orElseThrow();

    VmInfo off =
        read.vms().stream()
            .filter(v -> v.powerState() == PowerState.POWERED_OFF && !v.template())
            .findFirst()
            .orElseThrow();
    copy.unregister(off.id());
    TaskRef register =
        copy.register(
            new RegisterSpec(off.vmPathName(), off.name(), off.folder(), off.resourcePool(), null));
    TaskInfo done = copy.task(register);
    assertEquals(TaskState.SUCCESS, done.state(), () -> String.valueOf(done.error()));
    String newId = done.result();
    assertFalse(copied.contains(newId), newId);
    assertTrue(Integer.parseInt(newId.replaceAll("^\\D+", "")) > highest, newId);
    VmInfo back = copy.vm(newId);
    assertEquals(off.instanceUuid(), back.instanceUuid());
    assertEquals(off.disks(), back.disks());
  }

  @Test
  void theCopyLeavesTheOriginalAlone() {
    SimulatedVsphere original = richEstate(13);
    Inventory read = original.inventory();
    original.resetCounters();
    SimulatedVsphere copy = SimulatedVsphere.copyOf("vc", read).build();
    VmInfo vm = read.vmByName("srv-0002").orElseThrow();
    copy.relocate(
        vm.id(), new RelocateSpec(null, null, null, copy.datastoreId("datastore-03"), null, null));
    copy.setCustomValue(vm.id(), MigrationAttributes.LOCK, "copy");
    copy.unregister(read.vmByName("tmpl-base").orElseThrow().id());

    assertNotEquals(read, copy.inventory());
    assertEquals(read, original.inventory());
    assertEquals(1, original.calls("inventory"), "only the read above and this one");
  }

  @Test
  void aRelocateOnTheCopyRunsAndEndsAsOnTheOriginal() {
    ManualClock originalClock = new ManualClock();
    ManualClock copyClock = new ManualClock();
    SimulatedVsphere original =
        SimulatedInventories.demo("vc-orig", 21, 2, 2, 3, 30)
            .clock(originalClock)
            .physicalModel(PhysicalModel.defaults())
            .build();
    Inventory read = original.inventory();
    SimulatedVsphere copy =
        SimulatedVsphere.copyOf("vc-orig", read)
            .clock(copyClock)
            .physicalModel(PhysicalModel.defaults())
            .build();
    String toCluster = read.clusterByName("cluster-02").orElseThrow().id();
    String toHost = read.clusterByName("cluster-02").orElseThrow().hosts().get(0);
    String toPool = read.clusterByName("cluster-02").orElseThrow().rootResourcePool();
    List<TaskRef[]> tasks = new ArrayList<>();
    for (VmInfo vm : read.vms().subList(0, 6)) {
      RelocateSpec spec =
          vm.cluster().equals(toCluster)
              ? new RelocateSpec(null, null, null, read.datastores().get(2).id(), null, null)
              : new RelocateSpec(toHost, toPool, null, read.datastores().get(1).id(), null, null);
      tasks.add(new TaskRef[] {original.relocate(vm.id(), spec), copy.relocate(vm.id(), spec)});
    }
    for (int step = 0; step < 40; step++) {
      originalClock.advance(Duration.ofSeconds(15));
      copyClock.advance(Duration.ofSeconds(15));
      for (TaskRef[] t : tasks) {
        TaskInfo o = original.task(t[0]);
        TaskInfo c = copy.task(t[1]);
        assertEquals(o.state(), c.state());
        assertEquals(o.progress(), c.progress());
      }
    }
    for (TaskRef[] t : tasks) {
      assertEquals(TaskState.SUCCESS, original.task(t[0]).state());
    }
    assertEquals(original.inventory(), copy.inventory());
    assertEquals(original.bottlenecks(), copy.bottlenecks());
  }

  @Test
  void aStandaloneHostKeepsItsOwnPools() {
    SimulatedVsphere original = richEstate(17);
    SimulatedVsphere copy = SimulatedVsphere.copyOf("vc", original.inventory()).build();
    for (SimulatedVsphere vc : List.of(original, copy)) {
      String soloDb = vc.vmId("solo-db");
      String rootPool = vc.resourcePoolId("esx-solo", "Resources");
      vc.setPowerState(soloDb, PowerState.POWERED_OFF);
      TaskRef moved = vc.relocate(soloDb, new RelocateSpec(null, rootPool, null, null, null, null));
      assertEquals(TaskState.SUCCESS, vc.task(moved).state());
      assertEquals(rootPool, vc.vm(soloDb).resourcePool());
      String clusterVm = vc.vmId("srv-0002");
      VsphereException e =
          assertThrows(
              VsphereException.class,
              () ->
                  vc.relocate(
                      clusterVm,
                      new RelocateSpec(vc.hostId("esx-solo"), rootPool, null, null, null, null)));
      assertTrue(e.getMessage().contains("esx-solo"), e.getMessage());
    }
    assertEquals(original.inventory(), copy.inventory());
  }

  @Test
  void emptyStandaloneHostsKeepTheirPoolsToo() {
    SimulatedVsphere original =
        SimulatedVsphere.builder("vc")
            .datacenter("dc1")
            .datastore("ds-a", 100 * GIB)
            .network("VM Network")
            .standaloneHost("solo-1")
            .resourcePool("apps-1")
            .standaloneHost("solo-2")
            .standaloneHost("solo-3")
            .resourcePool("apps-3")
            .cluster("prod")
            .host("esx-01")
            .vm("v", v -> v.host("esx-01").poweredOff().disk("ds-a", GIB).nic("VM Network"))
            .build();
    SimulatedVsphere copy = SimulatedVsphere.copyOf("vc", original.inventory()).build();
    for (String host : List.of("solo-1", "solo-2", "solo-3")) {
      for (SimulatedVsphere vc : List.of(original, copy)) {
        String pool = vc.resourcePoolId(host, "Resources");
        TaskRef moved =
            vc.relocate(
                vc.vmId("v"), new RelocateSpec(vc.hostId(host), pool, null, null, null, null));
        assertEquals(TaskState.SUCCESS, vc.task(moved).state(), host);
      }
      assertEquals(original.inventory(), copy.inventory());
    }
    assertEquals(
        original.resourcePoolId("solo-3", "apps-3"), copy.resourcePoolId("solo-3", "apps-3"));
  }

  @Test
  void aBrokenInventoryIsRefusedNamingTheEntry() {
    Inventory read = SimulatedInventories.demo(2, 1, 1, 1, 3).build().inventory();
    List<VmInfo> twice = new ArrayList<>(read.vms());
    twice.add(read.vms().get(0));
    Inventory duplicated =
        new Inventory(
            read.datacenters(),
            read.clusters(),
            read.hosts(),
            read.datastores(),
            read.networks(),
            read.resourcePools(),
            read.folders(),
            twice);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SimulatedVsphere.copyOf("vc", duplicated));
    assertTrue(e.getMessage().contains(read.vms().get(0).id()), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SimulatedVsphere.copyOf("vc", null));
  }

  @Test
  void marksReadByThePrechecksAreCopied() {
    SimulatedVsphere original = richEstate(19);
    MigrationMarks marks =
        SimulatedVsphere.copyOf("vc-orig", original.inventory()).build().migrationMarks();
    assertEquals(1, marks.vms().size());
    assertEquals("req-1/srv-0001", marks.vms().get(0).marks().get(MigrationAttributes.LOCK));
    assertEquals(1, marks.datastores().size());
  }
}

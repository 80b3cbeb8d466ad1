package dev.vmigrate.vsphere.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.DiskLocator;
import dev.vmigrate.model.NicBackingChange;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.RegisterSpec;
import dev.vmigrate.vsphere.RelocateCheck;
import dev.vmigrate.vsphere.RelocateSpec;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.TaskRef;
import dev.vmigrate.vsphere.TaskState;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulatedVsphereTest {
  private static final long GIB = 1L << 30;
  private final ManualClock clock = new ManualClock();

  private SimulatedVsphere.Builder base() {
    return SimulatedVsphere.builder("vc1")
        .clock(clock)
        .datacenter("dc1")
        .datastore("ds-a", 100 * GIB)
        .datastore("ds-b", 100 * GIB)
        .datastore("ds-small", 10 * GIB)
        .network("VM Network")
        .portGroup("pg-app", "dvs-1")
        .cluster("prod")
        .host("esx-01")
        .host("esx-02")
        .host("esx-03", h -> h.datastores("ds-a").networks("VM Network"))
        .resourcePool("apps")
        .folder("web");
  }

  private SimulatedVsphere sim() {
    return base()
        .vm(
            "web01",
            v -> v.folder("web").disk("ds-a", 20 * GIB).disk("ds-a", 10 * GIB).nic("VM Network"))
        .vm("db01", v -> v.host("esx-02").disk("ds-b", 5 * GIB).nic("pg-app").poweredOff())
        .build();
  }

  private static TaskInfo settle(SimulatedVsphere vc, TaskRef ref) {
    return vc.task(ref);
  }

  /** The fault of a task that must have ended in ERROR. */
  private static VsphereException taskError(SimulatedVsphere vc, TaskRef ref) {
    TaskInfo t = vc.task(ref);
    assertEquals(TaskState.ERROR, t.state(), () -> ref.id() + " ended " + t.state());
    assertNotNull(t.error());
    assertNull(t.result());
    return t.error();
  }

  @Test
  void generatesVcenterStyleIdsAndInventory() {
    SimulatedVsphere vc = sim();
    var inv = vc.inventory();
    assertTrue(vc.vmId("web01").matches("vm-\\d+"));
    assertTrue(vc.hostId("esx-01").matches("host-\\d+"));
    assertTrue(vc.datastoreId("ds-a").matches("datastore-\\d+"));
    assertTrue(vc.networkId("VM Network").matches("network-\\d+"));
    assertTrue(vc.networkId("pg-app").matches("dvportgroup-\\d+"));
    assertTrue(vc.clusterId("prod").matches("domain-c\\d+"));
    assertTrue(vc.folderId("web").matches("group-v\\d+"));
    assertTrue(vc.resourcePoolId("prod", "apps").matches("resgroup-\\d+"));
    assertTrue(vc.datacenterId("dc1").matches("datacenter-\\d+"));
    var cluster = inv.clusterByName("prod").orElseThrow();
    assertEquals("Resources", inv.resourcePool(cluster.rootResourcePool()).orElseThrow().name());
    assertEquals(3, cluster.hosts().size());
    assertEquals(70 * GIB, inv.datastoreByName("ds-a").orElseThrow().freeBytes());
    VmInfo web = vc.vm(vc.vmId("web01"));
    assertEquals(cluster.id(), web.cluster());
    assertEquals("[ds-a] web01/web01.vmx", web.vmPathName());
    assertNotEquals(web.instanceUuid(), vc.vm(vc.vmId("db01")).instanceUuid());
  }

  @Test
  void relocateTakesBytesOverBandwidthAndAppliesOnCompletion() {
    SimulatedVsphere vc = sim();
    vc.setBandwidth(GIB); // 1 GiB/s: 30 GiB of disks take 30 s
    String vm = vc.vmId("web01");
    TaskRef ref =
        vc.relocate(vm, new RelocateSpec(null, null, null, vc.datastoreId("ds-b"), null, null));
    assertEquals(TaskState.RUNNING, vc.task(ref).state());
    assertEquals(0, vc.task(ref).progress());
    clock.advance(Duration.ofSeconds(15));
    TaskInfo half = vc.task(ref);
    assertEquals(TaskState.RUNNING, half.state());
    assertEquals(50, half.progress());
    assertEquals(vc.datastoreId("ds-a"), vc.vm(vm).disks().get(0).datastore(), "no effect yet");
    var busy = assertThrows(VsphereException.class, () -> vc.powerOff(vm));
    assertEquals("TaskInProgress", busy.fault());
    assertTrue(busy.retryable());
    clock.advance(Duration.ofSeconds(15));
    assertEquals(TaskState.SUCCESS, vc.task(ref).state());
    VmInfo moved = vc.vm(vm);
    assertTrue(moved.disks().stream().allMatch(d -> d.datastore().equals(vc.datastoreId("ds-b"))));
    assertEquals("[ds-b] web01/web01.vmx", moved.vmPathName());
    assertEquals(100 * GIB, vc.datastore(vc.datastoreId("ds-a")).freeBytes());
    assertEquals(65 * GIB, vc.datastore(vc.datastoreId("ds-b")).freeBytes());
  }

  @Test
  void vmotionOfPoweredOnVmMovesMemoryAndHostOnly() {
    SimulatedVsphere vc = sim();
    vc.setBandwidth(GIB);
    String vm = vc.vmId("web01");
    TaskRef ref =
        vc.relocate(vm, new RelocateSpec(vc.hostId("esx-02"), null, null, null, null, null));
    clock.advance(Duration.ofSeconds(2)); // 4 GiB of memory at 1 GiB/s
    assertEquals(50, vc.task(ref).progress());
    clock.advance(Duration.ofSeconds(2));
    assertEquals(TaskState.SUCCESS, vc.task(ref).state());
    assertEquals(vc.hostId("esx-02"), vc.vm(vm).host());
  }

  @Test
  void checkRelocateReportsWhatTheRelocateWouldRefuseAndMovesNothing() {
    SimulatedVsphere vc = sim();
    String vm = vc.vmId("web01");
    // esx-03 mounts ds-a only: moving web01 there onto ds-b is refused by the check.
    RelocateSpec spec =
        new RelocateSpec(vc.hostId("esx-03"), null, null, vc.datastoreId("ds-b"), null, null);

    RelocateCheck check = vc.checkRelocate(vm, spec).orElseThrow();

    assertFalse(check.ok());
    assertEquals(1, check.errors().size());
    assertTrue(
        check.errors().get(0).getMessage().contains("ds-b"),
        () -> check.errors().get(0).getMessage());
    assertEquals(0, vc.calls("relocate", vm), "a check is not a relocate");
    assertEquals(vc.hostId("esx-01"), vc.vm(vm).host());
    var refused = assertThrows(VsphereException.class, () -> vc.relocate(vm, spec));
    assertEquals(check.errors().get(0).fault(), refused.fault(), "the same verdict as the move");
    assertTrue(
        vc.checkRelocate(vm, new RelocateSpec(vc.hostId("esx-02"), null, null, null, null, null))
            .orElseThrow()
            .ok());
  }

  @Test
  void zeroBandwidthCompletesAtOnce() {
    SimulatedVsphere vc = sim();
    String vm = vc.vmId("web01");
    TaskRef ref =
        vc.relocate(vm, new RelocateSpec(null, null, null, vc.datastoreId("ds-b"), null, null));
    assertEquals(TaskState.SUCCESS, vc.task(ref).state());
    assertEquals(100, vc.task(ref).progress());
  }

  @Test
  void hostMustSeeDatastoresAndNetworks() {
    SimulatedVsphere vc = sim();
    String db = vc.vmId("db01");
    var noDs =
        assertThrows(
            VsphereException.class,
            () ->
                vc.relocate(
                    db, new RelocateSpec(vc.hostId("esx-03"), null, null, null, null, null)));
    assertEquals("DatastoreNotWritableOnHost", noDs.fault());
    assertFalse(noDs.retryable());
    var noNet =
        assertThrows(
            VsphereException.class,
            () ->
                vc.relocate(
                    db,
                    new RelocateSpec(
                        vc.hostId("esx-03"), null, null, vc.datastoreId("ds-a"), null, null)));
    assertEquals("InvalidNetworkResource", noNet.fault());
    assertFalse(noNet.retryable());
    assertEquals(vc.hostId("esx-02"), vc.vm(db).host());
  }

  @Test
  void hostsDisconnectedOrInMaintenanceRefuseVms() {
    SimulatedVsphere vc = sim();
    String web = vc.vmId("web01");
    RelocateSpec toEsx2 = new RelocateSpec(vc.hostId("esx-02"), null, null, null, null, null);
    vc.setMaintenanceMode(vc.hostId("esx-02"), true);
    assertEquals(
        "InvalidHostState",
        assertThrows(VsphereException.class, () -> vc.relocate(web, toEsx2)).fault());
    vc.setMaintenanceMode(vc.hostId("esx-02"), false);
    vc.disconnectHost(vc.hostId("esx-02"));
    var e = assertThrows(VsphereException.class, () -> vc.relocate(web, toEsx2));
    assertEquals("HostNotConnected", e.fault());
    assertTrue(e.retryable());
    assertEquals("disconnected", vc.vm(vc.vmId("db01")).connectionState());
    vc.reconnectHost(vc.hostId("esx-02"));
    assertEquals(TaskState.SUCCESS, vc.task(vc.relocate(web, toEsx2)).state());
  }

  @Test
  void datastoreCapacityIsFinite() {
    SimulatedVsphere vc = sim();
    var e =
        assertThrows(
            VsphereException.InsufficientResources.class,
            () ->
                vc.relocate(
                    vc.vmId("web01"),
                    new RelocateSpec(
                        null,
                        null,
                        null,
                        null,
                        List.of(new DiskLocator(2000, vc.datastoreId("ds-small"))),
                        null)));
    assertTrue(e.getMessage().contains("ds-small"));
    assertEquals(10 * GIB, vc.datastore(vc.datastoreId("ds-small")).freeBytes());
  }

  @Test
  void namesAreUniqueWithinAFolder() {
    SimulatedVsphere vc =
        base()
            .vm("web01", v -> v.folder("web").disk("ds-a", GIB))
            .vm("web01", v -> v.disk("ds-b", GIB))
            .build();
    String second =
        vc.inventory().vms().stream()
            .filter(v -> v.folder().equals(vc.inventory().datacenters().get(0).vmFolder()))
            .findFirst()
            .orElseThrow()
            .id();
    var e =
        assertThrows(VsphereException.class, () -> vc.moveIntoFolder(second, vc.folderId("web")));
    assertEquals("DuplicateName", e.fault());
  }

  @Test
  void poweredOnVmCannotBeUnregistered() {
    SimulatedVsphere vc = sim();
    var e =
        assertThrows(VsphereException.InvalidState.class, () -> vc.unregister(vc.vmId("web01")));
    assertEquals("InvalidPowerState", e.fault());
  }

  @Test
  void unregisterKeepsFilesAndRegisterRestoresUuidsWithNewId() {
    SimulatedVsphere vc = sim();
    String db = vc.vmId("db01");
    VmInfo before = vc.vm(db);
    vc.setCustomValue(db, MigrationAttributes.LOCK, "m1");
    vc.unregister(db);
    assertTrue(vc.findVmByInstanceUuid(before.instanceUuid()).isEmpty());
    assertEquals(95 * GIB, vc.datastore(vc.datastoreId("ds-b")).freeBytes(), "files stay");
    assertThrows(VsphereException.NotFound.class, () -> vc.vm(db));

    TaskRef ref =
        vc.register(
            new RegisterSpec(
                before.vmPathName(),
                "db01",
                before.folder(),
                before.resourcePool(),
                before.host()));
    TaskInfo done = vc.task(ref);
    assertEquals(TaskState.SUCCESS, done.state());
    VmInfo after = vc.vm(done.result());
    assertNotEquals(db, after.id());
    assertEquals(before.instanceUuid(), after.instanceUuid());
    assertEquals(before.biosUuid(), after.biosUuid());
    assertEquals(before.disks(), after.disks());
    assertEquals(before.nics(), after.nics());
    assertEquals(PowerState.POWERED_OFF, after.powerState());
    assertEquals(Map.of(), after.customValues(), "custom values live in vCenter, not the .vmx");

    var again =
        taskError(
            vc,
            vc.register(
                new RegisterSpec(
                    before.vmPathName(),
                    "db01-copy",
                    before.folder(),
                    before.resourcePool(),
                    null)));
    assertEquals("AlreadyExists", again.fault());
    assertTrue(again instanceof VsphereException.InvalidRequest);
    assertTrue(vc.inventory().vmByName("db01-copy").isEmpty());
  }

  @Test
  void sharedFilesLetAnotherVcenterRegisterTheVmWithSameUuids() {
    SimulatedVsphere src = sim();
    SimulatedVsphere dst =
        SimulatedVsphere.builder("vc2")
            .clock(clock)
            .files(src.files())
            .datacenter("dc2")
            .datastore("ds-b", 100 * GIB)
            .portGroup("pg-app", "dvs-9")
            .cluster("dr")
            .host("esx-dr-1")
            .build();
    VmInfo db = src.vm(src.vmId("db01"));
    src.unregister(db.id());
    String folder = dst.inventory().datacenters().get(0).vmFolder();
    TaskInfo t =
        dst.task(
            dst.register(
                new RegisterSpec(
                    db.vmPathName(), "db01", folder, dst.resourcePoolId("dr", "Resources"), null)));
    assertEquals(TaskState.SUCCESS, t.state(), () -> String.valueOf(t.error()));
    VmInfo there = dst.vm(t.result());
    assertEquals(db.instanceUuid(), there.instanceUuid());
    assertEquals(dst.hostId("esx-dr-1"), there.host());
    assertEquals(dst.networkId("pg-app"), there.nics().get(0).network());
    assertEquals(dst.datastoreId("ds-b"), there.disks().get(0).datastore());
  }

  @Test
  void failNextFailsOnlyTheChosenCallsAndCountsThem() {
    SimulatedVsphere vc = sim();
    String web = vc.vmId("web01");
    String db = vc.vmId("db01");
    vc.failNext("relocate", 1).on(web);
    RelocateSpec spec =
        new RelocateSpec(null, vc.resourcePoolId("prod", "apps"), null, null, null, null);
    var e = assertThrows(VsphereException.class, () -> vc.relocate(web, spec));
    assertTrue(e.retryable());
    assertEquals(TaskState.SUCCESS, vc.task(vc.relocate(db, spec)).state());
    assertEquals(TaskState.SUCCESS, vc.task(vc.relocate(web, spec)).state());
    assertEquals(2, vc.calls("relocate", web));
    assertEquals(1, vc.calls("relocate", db));
    assertEquals(3, vc.calls("relocate"));
  }

  @Test
  void failAlwaysOnOneCustomAttributeUntilCleared() {
    SimulatedVsphere vc = sim();
    String web = vc.vmId("web01");
    vc.failAlways("setCustomValue")
        .on(web)
        .key(MigrationAttributes.LOCK)
        .with(new VsphereException.NoPermission("no Global.SetCustomField"));
    assertThrows(
        VsphereException.NoPermission.class,
        () -> vc.setCustomValue(web, MigrationAttributes.LOCK, "a"));
    assertThrows(
        VsphereException.NoPermission.class,
        () -> vc.setCustomValue(web, MigrationAttributes.LOCK, "a"));
    vc.setCustomValue(web, MigrationAttributes.RESULT, "ok");
    assertEquals("ok", vc.vm(web).customValue(MigrationAttributes.RESULT));
    vc.clearFaults();
    vc.setCustomValue(web, MigrationAttributes.LOCK, "a");
    assertEquals("a", vc.vm(web).customValue(MigrationAttributes.LOCK));
  }

  @Test
  void taskFailsMidwayWithoutEffect() {
    SimulatedVsphere vc = sim();
    vc.setBandwidth(GIB);
    String web = vc.vmId("web01");
    vc.failTask(
        "relocate", web, 40, new VsphereException.Transient("HostCommunication", "lost esx-01"));
    TaskRef ref =
        vc.relocate(web, new RelocateSpec(null, null, null, vc.datastoreId("ds-b"), null, null));
    clock.advance(Duration.ofSeconds(6));
    assertEquals(20, vc.task(ref).progress());
    clock.advance(Duration.ofSeconds(6));
    TaskInfo failed = vc.task(ref);
    assertEquals(TaskState.ERROR, failed.state());
    assertEquals(40, failed.progress());
    assertEquals("HostCommunication", failed.error().fault());
    assertEquals(vc.datastoreId("ds-a"), vc.vm(web).vmxDatastore());
    // The next task is not affected, and the VM is no longer busy.
    assertEquals(
        TaskState.RUNNING,
        vc.task(
                vc.relocate(
                    web, new RelocateSpec(null, null, null, vc.datastoreId("ds-b"), null, null)))
            .state());
  }

  @Test
  void cancelledRelocateEndsInErrorWithTheVmWhereItWas() {
    SimulatedVsphere vc = sim();
    vc.setBandwidth(GIB);
    String web = vc.vmId("web01");
    TaskRef ref =
        vc.relocate(
            web,
            new RelocateSpec(vc.hostId("esx-02"), null, null, vc.datastoreId("ds-b"), null, null));
    clock.advance(Duration.ofSeconds(12));
    int before = vc.task(ref).progress();
    assertTrue(before > 0 && before < 100, "still running: " + before);
    assertTrue(vc.cancelTask(ref));
    clock.advance(Duration.ofSeconds(60));
    VsphereException e = taskError(vc, ref);
    assertEquals("RequestCanceled", e.fault());
    assertEquals(before, vc.task(ref).progress(), "progress stops where it was cancelled");
    assertEquals(vc.hostId("esx-01"), vc.vm(web).host());
    assertEquals(vc.datastoreId("ds-a"), vc.vm(web).vmxDatastore());
    assertFalse(vc.cancelTask(ref), "a finished task is not cancelled again");
    // The VM is free for the next task.
    assertEquals(
        TaskState.RUNNING,
        vc.task(
                vc.relocate(
                    web, new RelocateSpec(vc.hostId("esx-02"), null, null, null, null, null)))
            .state());
  }

  @Test
  void guestShutdownTakesConfiguredDelayOrNeverWithoutTools() {
    SimulatedVsphere vc =
        base()
            .guestShutdownDelay(Duration.ofSeconds(30))
            .vm("a", v -> v.disk("ds-a", GIB))
            .vm("b", v -> v.disk("ds-a", GIB).withoutTools())
            .build();
    String a = vc.vmId("a");
    String b = vc.vmId("b");
    vc.shutdownGuest(a);
    vc.shutdownGuest(b);
    clock.advance(Duration.ofSeconds(29));
    assertEquals(PowerState.POWERED_ON, vc.vm(a).powerState());
    clock.advance(Duration.ofSeconds(1));
    assertEquals(PowerState.POWERED_OFF, vc.vm(a).powerState());
    clock.advance(Duration.ofHours(1));
    assertEquals(PowerState.POWERED_ON, vc.vm(b).powerState());
    assertEquals(TaskState.SUCCESS, vc.task(vc.powerOff(b)).state());
    assertEquals(PowerState.POWERED_OFF, vc.vm(b).powerState());
  }

  @Test
  void nicReconfigurationKeepsMacs() {
    SimulatedVsphere vc = sim();
    String web = vc.vmId("web01");
    String mac = vc.vm(web).nics().get(0).macAddress();
    vc.task(vc.reconfigureNics(web, List.of(new NicBackingChange(4000, vc.networkId("pg-app")))));
    assertEquals(vc.networkId("pg-app"), vc.vm(web).nics().get(0).network());
    assertEquals(mac, vc.vm(web).nics().get(0).macAddress());
  }

  @Test
  void privilegesAreGrantedUnlessDenied() {
    SimulatedVsphere vc = sim();
    String web = vc.vmId("web01");
    Set<String> privs = Set.of("Resource.HotMigrate");
    assertEquals(Map.of(), vc.missingPrivileges(List.of(web), privs));
    vc.deny(web, "Resource.HotMigrate");
    assertEquals(
        Map.of(web, Set.of("Resource.HotMigrate")), vc.missingPrivileges(List.of(web), privs));
    vc.grantAll();
    assertEquals(Map.of(), vc.missingPrivileges(List.of(web), privs));
  }

  @Test
  void customValuesOnDatastoresAndHosts() {
    SimulatedVsphere vc = sim();
    String ds = vc.datastoreId("ds-a");
    String host = vc.hostId("esx-01");
    vc.setCustomValue(ds, MigrationAttributes.RESERVATIONS, "{\"m\":1}");
    vc.setCustomValue(host, "owner", "ops");
    assertEquals("{\"m\":1}", vc.datastore(ds).customValue(MigrationAttributes.RESERVATIONS));
    assertEquals(Map.of("owner", "ops"), vc.customValues(host));
    vc.setCustomValue(ds, MigrationAttributes.RESERVATIONS, "");
    assertEquals(null, vc.datastore(ds).customValue(MigrationAttributes.RESERVATIONS));
  }

  @Test
  void demoInventoryIsDeterministicAndVaried() {
    var a = SimulatedInventories.demo(7, 2, 3, 4, 50).build().inventory();
    var b = SimulatedInventories.demo(7, 2, 3, 4, 50).build().inventory();
    assertEquals(a.vms(), b.vms());
    assertEquals(6, a.hosts().size());
    assertEquals(50, a.vms().size());
    assertTrue(a.vms().stream().anyMatch(v -> v.powerState() == PowerState.POWERED_OFF));
    assertTrue(a.vms().stream().anyMatch(v -> v.powerState() == PowerState.POWERED_ON));
    assertTrue(a.vms().stream().map(v -> v.disks().get(0).capacityBytes()).distinct().count() > 2);
    assertTrue(a.datastores().stream().allMatch(d -> d.freeBytes() * 2 >= d.capacityBytes()));
  }

  @Test
  void vmotionRefusesOtherCpuVendorAndNewerHardwareThanTheHostRuns() {
    SimulatedVsphere vc =
        base()
            .host("epyc-01", h -> h.cpuVendor("amd"))
            .host("old-01", h -> h.maxHardwareVersion("vmx-13"))
            .vm("app", v -> v.host("esx-01").disk("ds-a", GIB))
            .build();
    String app = vc.vmId("app");
    var cpu =
        assertThrows(
            VsphereException.class,
            () ->
                vc.relocate(
                    app, new RelocateSpec(vc.hostId("epyc-01"), null, null, null, null, null)));
    assertEquals("CpuIncompatible", cpu.fault());
    var hw =
        assertThrows(
            VsphereException.class,
            () ->
                vc.relocate(
                    app, new RelocateSpec(vc.hostId("old-01"), null, null, null, null, null)));
    assertEquals("NotSupportedHost", hw.fault());
    vc.task(vc.powerOff(app));
    assertEquals(
        TaskState.SUCCESS,
        vc.task(
                vc.relocate(
                    app, new RelocateSpec(vc.hostId("epyc-01"), null, null, null, null, null)))
            .state(),
        "a cold migration does not care about the CPU vendor");
  }

  @Test
  void registerNeedsAHostThatMountsTheFilesAndAFreeUuid() {
    SimulatedVsphere vc = sim();
    VmInfo db = vc.vm(vc.vmId("db01"));
    vc.unregister(db.id());
    var e =
        assertThrows(
            VsphereException.class,
            () ->
                vc.register(
                    new RegisterSpec(
                        db.vmPathName(),
                        "db01",
                        db.folder(),
                        db.resourcePool(),
                        vc.hostId("esx-03"))));
    assertEquals("DatastoreNotWritableOnHost", e.fault());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            base()
                .vm(
                    "a",
                    v -> v.disk("ds-a", GIB).instanceUuid("50000000-0000-0000-0000-000000000001"))
                .vm(
                    "b",
                    v -> v.disk("ds-a", GIB).instanceUuid("50000000-0000-0000-0000-000000000001")));
  }

  @Test
  void hostNotRespondingRefusesPowerOnRetryably() {
    SimulatedVsphere vc = sim();
    vc.hostNotResponding(vc.hostId("esx-02"));
    var e = assertThrows(VsphereException.class, () -> vc.powerOn(vc.vmId("db01")));
    assertTrue(e.retryable());
    assertEquals("notResponding", vc.host(vc.hostId("esx-02")).connectionState());
  }

  @Test
  void perCallLatencyDelaysEveryCall() {
    SimulatedVsphere vc = sim();
    vc.setLatency(Duration.ofMillis(20));
    long start = System.nanoTime();
    vc.vm(vc.vmId("web01"));
    assertTrue(System.nanoTime() - start >= Duration.ofMillis(20).toNanos());
  }

  @Test
  void movedVmxIsRegisteredFromItsNewPathOnly() {
    SimulatedVsphere vc = sim();
    String db = vc.vmId("db01");
    VmInfo before = vc.vm(db);
    vc.task(
        vc.relocate(db, new RelocateSpec(null, null, null, vc.datastoreId("ds-a"), null, null)));
    String moved = vc.vm(db).vmPathName();
    assertEquals("[ds-a] db01/db01.vmx", moved);
    vc.unregister(db);
    RegisterSpec old =
        new RegisterSpec(before.vmPathName(), "db01", before.folder(), before.resourcePool(), null);
    var missing = taskError(vc, vc.register(old));
    assertEquals("FileNotFound", missing.fault());
    assertTrue(missing instanceof VsphereException.NotFound);
    RegisterSpec now =
        new RegisterSpec(moved, "db01", before.folder(), before.resourcePool(), null);
    String id = vc.task(vc.register(now)).result();
    assertEquals(
        before.instanceUuid(),
        vc.findVmByInstanceUuid(before.instanceUuid()).orElseThrow().instanceUuid());
    assertEquals(
        id, vc.findVmByInstanceUuid(before.instanceUuid().toUpperCase()).orElseThrow().id());
    assertEquals("AlreadyExists", taskError(vc, vc.register(now)).fault());
    assertEquals(1, vc.inventory().vms().stream().filter(v -> v.name().equals("db01")).count());
  }

  @Test
  void registerRefusesAnUnknownFolderAtCallTime() {
    SimulatedVsphere vc = sim();
    VmInfo db = vc.vm(vc.vmId("db01"));
    vc.unregister(db.id());
    var e =
        assertThrows(
            VsphereException.NotFound.class,
            () ->
                vc.register(
                    new RegisterSpec(
                        db.vmPathName(), "db01", "group-v999999", db.resourcePool(), null)));
    assertEquals("ManagedObjectNotFound", e.fault());
  }

  @Test
  void powerOperationTowardsTheCurrentStateFailsItsTaskWithoutEffect() {
    SimulatedVsphere vc = sim();
    String web = vc.vmId("web01"); // powered on
    String db = vc.vmId("db01"); // powered off
    var on = taskError(vc, vc.powerOn(web));
    assertTrue(on instanceof VsphereException.InvalidState);
    assertEquals("InvalidPowerState", on.fault());
    assertFalse(on.retryable());
    assertEquals(PowerState.POWERED_ON, vc.vm(web).powerState());
    var off = taskError(vc, vc.powerOff(db));
    assertTrue(off instanceof VsphereException.InvalidState);
    assertEquals("InvalidPowerState", off.fault());
    assertEquals(PowerState.POWERED_OFF, vc.vm(db).powerState());
    // The failed task leaves the VM free for the next one.
    assertEquals(TaskState.SUCCESS, vc.task(vc.powerOff(web)).state());
    assertEquals(PowerState.POWERED_OFF, vc.vm(web).powerState());
  }

  @Test
  void busyVmIsRefusedAtCallTimeWhileItsPowerStateFailsTheTask() {
    SimulatedVsphere vc = sim();
    vc.setBandwidth(GIB);
    String db = vc.vmId("db01");
    // Another task on the VM is a call-time refusal (retryable TaskInProgress) ...
    TaskRef move =
        vc.relocate(db, new RelocateSpec(null, null, null, vc.datastoreId("ds-a"), null, null));
    assertEquals(
        "TaskInProgress", assertThrows(VsphereException.class, () -> vc.powerOn(db)).fault());
    clock.advance(Duration.ofSeconds(5));
    assertEquals(TaskState.SUCCESS, vc.task(move).state());
    // ... whereas a VM powered on behind vCenter's back is only found out by the task.
    vc.setPowerState(db, PowerState.POWERED_ON);
    assertEquals("InvalidPowerState", taskError(vc, vc.powerOn(db)).fault());
  }

  @Test
  void powerOperationOnAnUnknownVmIsRefusedAtCallTime() {
    SimulatedVsphere vc = sim();
    assertEquals(
        "ManagedObjectNotFound",
        assertThrows(VsphereException.NotFound.class, () -> vc.powerOn("vm-424242")).fault());
    assertEquals(
        "ManagedObjectNotFound",
        assertThrows(VsphereException.NotFound.class, () -> vc.powerOff("vm-424242")).fault());
  }

  private SimulatedVsphere withStandalone() {
    return base()
        .vm("web01", v -> v.folder("web").disk("ds-a", 20 * GIB).nic("VM Network"))
        .standaloneHost("esx-solo", h -> h.datastores("ds-a", "ds-b").networks("VM Network"))
        .resourcePool("solo-apps")
        .vm("solo01", v -> v.disk("ds-a", GIB).nic("VM Network"))
        .vm("solo02", v -> v.pool("solo-apps").disk("ds-b", GIB).poweredOff())
        .build();
  }

  @Test
  void standaloneHostHasItsOwnComputeResourceAndRootPool() {
    SimulatedVsphere vc = withStandalone();
    var inv = vc.inventory();
    String solo = vc.hostId("esx-solo");
    assertEquals(4, inv.hosts().size());
    assertEquals(1, inv.clusters().size());
    assertNull(vc.host(solo).cluster());
    assertFalse(inv.clusterByName("prod").orElseThrow().hosts().contains(solo));
    assertEquals(
        List.of(vc.datastoreId("ds-a"), vc.datastoreId("ds-b")), vc.host(solo).datastores());

    VmInfo vm = vc.vm(vc.vmId("solo01"));
    assertEquals(solo, vm.host(), "a VM declared after a standalone host defaults to it");
    assertNull(vm.cluster());
    String root = vc.resourcePoolId("esx-solo", "Resources");
    assertEquals(root, vm.resourcePool());
    var rootPool = inv.resourcePool(root).orElseThrow();
    assertNull(rootPool.parent());
    assertTrue(rootPool.owner().matches("domain-s\\d+"), rootPool.owner());
    assertNotEquals(vc.resourcePoolId("prod", "Resources"), root);

    String child = vc.resourcePoolId("esx-solo", "solo-apps");
    assertEquals(root, inv.resourcePool(child).orElseThrow().parent());
    assertEquals(rootPool.owner(), inv.resourcePool(child).orElseThrow().owner());
    VmInfo other = vc.vm(vc.vmId("solo02"));
    assertEquals(child, other.resourcePool());
    assertNull(other.cluster());
    assertThrows(
        IllegalArgumentException.class,
        () -> vc.resourcePoolId("esx-solo", "apps"),
        "not its pool");
  }

  @Test
  void standaloneHostBuilderRules() {
    var b = base().standaloneHost("esx-solo");
    assertThrows(IllegalStateException.class, () -> b.host("esx-x"), "no current cluster");
    assertThrows(
        IllegalStateException.class,
        () -> SimulatedVsphere.builder("vc9").standaloneHost("h"),
        "needs a datacenter");
    // A later cluster takes over as the current parent.
    SimulatedVsphere vc = b.cluster("c2").host("esx-c2").vm("v", x -> x.disk("ds-a", GIB)).build();
    assertEquals(vc.hostId("esx-c2"), vc.vm(vc.vmId("v")).host());
    assertEquals(vc.clusterId("c2"), vc.vm(vc.vmId("v")).cluster());
  }

  @Test
  void relocationBetweenClusterAndStandaloneHostNeedsThatHostsPool() {
    SimulatedVsphere vc = withStandalone();
    String web = vc.vmId("web01");
    String solo = vc.hostId("esx-solo");
    vc.task(vc.powerOff(web));
    var wrongPool =
        assertThrows(
            VsphereException.InvalidRequest.class,
            () -> vc.relocate(web, new RelocateSpec(solo, null, null, null, null, List.of())));
    assertEquals("InvalidArgument", wrongPool.fault());
    String soloRoot = vc.resourcePoolId("esx-solo", "Resources");
    assertEquals(
        TaskState.SUCCESS,
        vc.task(vc.relocate(web, new RelocateSpec(solo, soloRoot, null, null, null, null)))
            .state());
    VmInfo moved = vc.vm(web);
    assertEquals(solo, moved.host());
    assertNull(moved.cluster());
    assertEquals(soloRoot, moved.resourcePool());

    // And back into the cluster, whose pools the standalone host cannot use.
    String apps = vc.resourcePoolId("prod", "apps");
    assertThrows(
        VsphereException.InvalidRequest.class,
        () -> vc.relocate(web, new RelocateSpec(null, apps, null, null, null, null)));
    assertEquals(
        TaskState.SUCCESS,
        vc.task(
                vc.relocate(
                    web, new RelocateSpec(vc.hostId("esx-01"), apps, null, null, null, null)))
            .state());
    assertEquals(vc.clusterId("prod"), vc.vm(web).cluster());
    assertEquals(apps, vc.vm(web).resourcePool());
  }

  @Test
  void registerIntoAStandaloneHostsPoolPicksThatHost() {
    SimulatedVsphere vc = withStandalone();
    VmInfo solo = vc.vm(vc.vmId("solo02"));
    vc.unregister(solo.id());
    TaskInfo t =
        vc.task(
            vc.register(
                new RegisterSpec(
                    solo.vmPathName(), "solo02", solo.folder(), solo.resourcePool(), null)));
    assertEquals(TaskState.SUCCESS, t.state(), () -> String.valueOf(t.error()));
    VmInfo back = vc.vm(t.result());
    assertEquals(vc.hostId("esx-solo"), back.host());
    assertNull(back.cluster());
    assertEquals(solo.instanceUuid(), back.instanceUuid());
  }
}

package dev.vmigrate.vsphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.DiskLocator;
import dev.vmigrate.model.NicBackingChange;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VirtualNic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link VsphereGateway} must show, run against vcsim through the vim25 client
 * and against the in-process simulated vSphere. Both start from an inventory shaped like vcsim's
 * default VPX model with two datastores ({@code -ds 2}) plus an empty child resource pool
 * DC0_C0_RP1: datacenter DC0; cluster DC0_C0 with hosts DC0_C0_H0..H2 and VMs DC0_C0_RP0_VM0/1
 * (powered on, in the cluster's root pool); standalone host DC0_H0 with VMs DC0_H0_VM0/1;
 * datastores LocalDS_0 (holding every VM) and LocalDS_1; networks "VM Network" and the distributed
 * port group DC0_DVPG0, to which every VM's one NIC is attached. Each test gets a fresh inventory.
 *
 * <p>Only behaviour every implementation has belongs here: a subclass may say where vcsim falls
 * short of vCenter through the hooks below, and tests of what only one implementation has (logins)
 * live in that implementation's test class, so that no contract test is ever skipped.
 */
public abstract class VsphereGatewayContract {
  protected static final String CLUSTER = "DC0_C0";
  protected static final String CLUSTER_VM = "DC0_C0_RP0_VM0";
  protected static final String OTHER_CLUSTER_VM = "DC0_C0_RP0_VM1";
  protected static final String STANDALONE_VM = "DC0_H0_VM0";
  protected static final String DATASTORE = "LocalDS_0";
  protected static final String OTHER_DATASTORE = "LocalDS_1";
  protected static final String STANDARD_NETWORK = "VM Network";
  protected static final String PORTGROUP = "DC0_DVPG0";
  protected static final String CHILD_POOL = "DC0_C0_RP1";

  /** A gateway logged in to a fresh inventory for this test. */
  protected abstract VsphereGateway gateway();

  /**
   * Whether a datastore relocation moves the .vmx and disks (vCenter does; vcsim only updates the
   * VM's datastore list).
   */
  protected boolean relocateMovesFiles() {
    return true;
  }

  /**
   * Makes the relocates submitted from now on run for at least {@code duration} before they take
   * effect, e.g. the move of a powered-on {@link #CLUSTER_VM} to another host of {@link #CLUSTER}.
   */
  protected abstract void delayRelocates(Duration duration);

  protected TaskInfo await(TaskRef ref) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long sleep = 20;
    while (true) {
      TaskInfo info = gateway().task(ref);
      if (info.state().finished()) {
        return info;
      }
      assertTrue(System.nanoTime() < deadline, "task " + ref.id() + " did not finish");
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      sleep = Math.min(500, sleep * 2);
    }
  }

  protected TaskInfo succeed(TaskRef ref) {
    TaskInfo info = await(ref);
    assertEquals(
        TaskState.SUCCESS, info.state(), () -> "task " + ref.id() + " failed: " + info.error());
    return info;
  }

  protected VmInfo vmNamed(Inventory inv, String name) {
    return inv.vmByName(name).orElseThrow(() -> new AssertionError("no VM " + name));
  }

  /** A host of {@link #CLUSTER} other than the VM's. */
  protected String otherHostInCluster(Inventory inv, VmInfo vm) {
    return inv.clusterByName(CLUSTER).orElseThrow().hosts().stream()
        .filter(h -> !h.equals(vm.host()))
        .findFirst()
        .orElseThrow();
  }

  protected String networkId(Inventory inv, String name) {
    return inv.networkByName(name).orElseThrow(() -> new AssertionError("no network " + name)).id();
  }

  @Test
  void inventoryReadsTheWholeModel() {
    Inventory inv = gateway().inventory();
    assertEquals(List.of("DC0"), inv.datacenters().stream().map(DatacenterInfo::name).toList());
    ClusterInfo cluster = inv.clusterByName(CLUSTER).orElseThrow();
    assertEquals(3, cluster.hosts().size());
    assertEquals(inv.datacenters().get(0).id(), cluster.datacenter());
    assertTrue(inv.resourcePool(cluster.rootResourcePool()).isPresent());
    assertEquals(4, inv.hosts().size(), "three cluster hosts and one standalone host");
    for (String h : cluster.hosts()) {
      HostInfo host = inv.host(h).orElseThrow();
      assertEquals(cluster.id(), host.cluster());
      assertEquals("connected", host.connectionState());
      assertTrue(host.usable());
      assertTrue(host.datastores().contains(inv.datastoreByName(DATASTORE).orElseThrow().id()));
    }
    DatastoreInfo ds = inv.datastoreByName(DATASTORE).orElseThrow();
    assertTrue(ds.capacityBytes() > 0 && ds.accessible());
    assertTrue(inv.datastoreByName(OTHER_DATASTORE).isPresent());
    NetworkInfo std = inv.networkByName(STANDARD_NETWORK).orElseThrow();
    assertFalse(std.distributed());
    NetworkInfo pg = inv.networkByName(PORTGROUP).orElseThrow();
    assertTrue(pg.distributed());
    assertNotNull(pg.switchUuid());
    assertNotNull(pg.portgroupKey());
    assertTrue(
        inv.resourcePools().stream()
            .anyMatch(p -> p.name().equals(CHILD_POOL) && p.parent() != null));
    assertTrue(inv.folderByName("vm").isPresent());

    assertEquals(4, inv.vms().size());
    VmInfo vm = vmNamed(inv, CLUSTER_VM);
    assertEquals(PowerState.POWERED_ON, vm.powerState());
    assertEquals(cluster.id(), vm.cluster());
    assertTrue(cluster.hosts().contains(vm.host()));
    assertEquals(cluster.rootResourcePool(), vm.resourcePool());
    assertEquals(inv.folderByName("vm").orElseThrow().id(), vm.folder());
    assertNotNull(vm.instanceUuid());
    assertNotNull(vm.biosUuid());
    assertNotEquals(vm.instanceUuid(), vm.biosUuid());
    assertTrue(vm.vmPathName().startsWith("[" + DATASTORE + "] "), vm.vmPathName());
    assertEquals(ds.id(), vm.vmxDatastore());
    assertEquals("connected", vm.connectionState());
    assertFalse(vm.template());
    assertTrue(vm.cpus() >= 1 && vm.memoryMb() > 0);
    assertEquals(1, vm.disks().size());
    VirtualDisk disk = vm.disks().get(0);
    assertEquals(ds.id(), disk.datastore());
    assertTrue(disk.fileName().startsWith("[" + DATASTORE + "] "), disk.fileName());
    assertTrue(disk.capacityBytes() > 0);
    assertEquals(1, vm.nics().size());
    VirtualNic nic = vm.nics().get(0);
    assertEquals(pg.id(), nic.network(), "the model attaches VMs to the distributed port group");
    assertNotNull(nic.macAddress());
  }

  @Test
  void infrastructureIsTheInventoryWithoutItsVms() {
    Inventory all = gateway().inventory();
    Inventory infra = gateway().infrastructure();
    assertTrue(infra.vms().isEmpty());
    assertEquals(all.datacenters(), infra.datacenters());
    assertEquals(all.clusters(), infra.clusters());
    assertEquals(all.hosts(), infra.hosts());
    assertEquals(all.datastores(), infra.datastores());
    assertEquals(all.networks(), infra.networks());
    assertEquals(all.resourcePools(), infra.resourcePools());
    assertEquals(all.folders(), infra.folders());
  }

  @Test
  void vmCustomValuesListsTheVmsWithTheAttributeSet() {
    Inventory inv = gateway().inventory();
    String a = vmNamed(inv, CLUSTER_VM).id();
    String b = vmNamed(inv, STANDALONE_VM).id();
    String c = vmNamed(inv, OTHER_CLUSTER_VM).id();
    assertEquals(Map.of(), gateway().vmCustomValues(MigrationAttributes.DESTINATION));
    gateway().setCustomValue(a, MigrationAttributes.DESTINATION, "{\"host\":\"h-1\"}");
    gateway().setCustomValue(b, MigrationAttributes.DESTINATION, "{\"host\":\"h-2\"}");
    gateway().setCustomValue(c, MigrationAttributes.LOCK, "migration-3");
    assertEquals(
        Map.of(a, "{\"host\":\"h-1\"}", b, "{\"host\":\"h-2\"}"),
        gateway().vmCustomValues(MigrationAttributes.DESTINATION));
    gateway().setCustomValue(b, MigrationAttributes.DESTINATION, "");
    assertEquals(
        Map.of(a, "{\"host\":\"h-1\"}"),
        gateway().vmCustomValues(MigrationAttributes.DESTINATION),
        "a cleared value is not set");
  }

  @Test
  void migrationMarksListsMarkedVmsAndDatastoresInOneRead() {
    Inventory inv = gateway().inventory();
    VmInfo a = vmNamed(inv, CLUSTER_VM);
    VmInfo c = vmNamed(inv, OTHER_CLUSTER_VM);
    String ds = inv.datastores().get(0).id();
    gateway().setCustomValue(a.id(), MigrationAttributes.LOCK, "migrate-x-1");
    gateway().setCustomValue(a.id(), MigrationAttributes.ORIGIN, "{\"host\":\"h-1\"}");
    gateway().setCustomValue(c.id(), MigrationAttributes.RESULT, "migrated m-3 t");
    gateway().setCustomValue(c.id(), MigrationAttributes.RESULT, "");
    gateway().setCustomValue(ds, MigrationAttributes.RESERVATIONS, "{\"migrate-x-1\":10}");

    MigrationMarks marks = gateway().migrationMarks();

    assertEquals(gateway().vcenterId(), marks.vcenterId());
    assertEquals(1, marks.vms().size(), "a VM whose only mark was cleared is not listed");
    MigrationMarks.MarkedVm m = marks.vms().get(0);
    assertEquals(a.id(), m.id());
    assertEquals(a.name(), m.name());
    assertEquals(a.instanceUuid(), m.instanceUuid());
    assertEquals(a.powerState(), m.powerState());
    assertEquals(a.host(), m.host());
    assertEquals(a.resourcePool(), m.resourcePool());
    assertEquals(a.vmxDatastore(), m.vmxDatastore());
    assertEquals(
        Map.of(
            MigrationAttributes.LOCK,
            "migrate-x-1",
            MigrationAttributes.ORIGIN,
            "{\"host\":\"h-1\"}"),
        m.marks());
    assertEquals(1, marks.datastores().size());
    assertEquals(ds, marks.datastores().get(0).id());
    assertEquals(
        "{\"migrate-x-1\":10}", marks.datastores().get(0).mark(MigrationAttributes.RESERVATIONS));
  }

  @Test
  void findVmInFolderFindsAVmByItsName() {
    Inventory inv = gateway().inventory();
    VmInfo vm = vmNamed(inv, CLUSTER_VM);
    assertEquals(vm.id(), gateway().findVmInFolder(vm.folder(), CLUSTER_VM).orElseThrow().id());
    assertTrue(gateway().findVmInFolder(vm.folder(), "no-such-vm").isEmpty());
  }

  @Test
  void standaloneHostHasNoCluster() {
    Inventory inv = gateway().inventory();
    VmInfo vm = vmNamed(inv, STANDALONE_VM);
    assertNull(vm.cluster());
    HostInfo host = inv.host(vm.host()).orElseThrow();
    assertEquals("DC0_H0", host.name());
    assertNull(host.cluster());
    assertEquals(1, inv.clusters().size());
    assertFalse(inv.clusterByName(CLUSTER).orElseThrow().hosts().contains(host.id()));
    // The standalone host's own compute resource owns a root pool, which holds its VMs.
    ResourcePoolInfo pool = inv.resourcePool(vm.resourcePool()).orElseThrow();
    assertEquals("Resources", pool.name());
    assertNull(pool.parent());
    assertNotNull(pool.owner());
    assertNotEquals(inv.clusterByName(CLUSTER).orElseThrow().id(), pool.owner());
    VmInfo sibling = vmNamed(inv, "DC0_H0_VM1");
    assertEquals(host.id(), sibling.host());
    assertNull(sibling.cluster());
    assertEquals(pool.id(), sibling.resourcePool());
    assertEquals(vm, gateway().vm(vm.id()), "one VM reads like the inventory, cluster included");
  }

  @Test
  void oneVmReadsLikeTheInventory() {
    Inventory inv = gateway().inventory();
    VmInfo fromInventory = vmNamed(inv, CLUSTER_VM);
    VmInfo vm = gateway().vm(fromInventory.id());
    assertEquals(fromInventory, vm);
    assertEquals(Optional.of(vm), gateway().findVmByInstanceUuid(vm.instanceUuid()));
    assertEquals(
        Optional.empty(), gateway().findVmByInstanceUuid("00000000-0000-0000-0000-000000000000"));
    HostInfo host = gateway().host(vm.host());
    assertEquals(inv.host(vm.host()).orElseThrow(), host);
    DatastoreInfo ds = gateway().datastore(vm.vmxDatastore());
    assertEquals(DATASTORE, ds.name());
  }

  /**
   * Every host reports its capacity (summary.hardware) and its usage (summary.quickStats), which
   * SelectDestination filters and weighs on; the host of a powered-on VM uses some memory and CPU.
   */
  @Test
  void hostsReportCapacityAndUsage() {
    Inventory inv = gateway().inventory();
    for (HostInfo host : inv.hosts()) {
      assertTrue(host.capacityKnown(), host.toString());
      assertTrue(host.memoryMb() >= 1024, host.name() + " memory " + host.memoryMb());
      assertTrue(host.cpuCores() >= 1 && host.cpuMhzPerCore() >= 1000, host.toString());
      assertEquals((long) host.cpuCores() * host.cpuMhzPerCore(), host.cpuMhz());
      assertTrue(
          host.memoryUsageMb() >= 0 && host.memoryUsageMb() <= host.memoryMb(), host.toString());
      assertTrue(host.cpuUsageMhz() >= 0 && host.cpuUsageMhz() <= host.cpuMhz(), host.toString());
    }
    VmInfo vm = vmNamed(inv, CLUSTER_VM);
    assertEquals(PowerState.POWERED_ON, vm.powerState());
    HostInfo busy = gateway().host(vm.host());
    assertTrue(busy.memoryUsageMb() > 0 && busy.cpuUsageMhz() > 0, busy.toString());
  }

  @Test
  void relocateToAnotherHostAndPool() {
    Inventory inv = gateway().inventory();
    VmInfo vm = vmNamed(inv, CLUSTER_VM);
    ClusterInfo cluster = inv.clusterByName(CLUSTER).orElseThrow();
    String otherHost =
        cluster.hosts().stream().filter(h -> !h.equals(vm.host())).findFirst().orElseThrow();
    String pool =
        inv.resourcePools().stream()
            .filter(p -> p.name().equals(CHILD_POOL))
            .findFirst()
            .orElseThrow()
            .id();

    TaskInfo done =
        succeed(
            gateway().relocate(vm.id(), new RelocateSpec(otherHost, pool, null, null, null, null)));
    assertEquals(vm.id(), done.entity());

    VmInfo moved = gateway().vm(vm.id());
    assertEquals(otherHost, moved.host());
    assertEquals(pool, moved.resourcePool());
    assertEquals(vm.instanceUuid(), moved.instanceUuid());
    assertEquals(PowerState.POWERED_ON, moved.powerState(), "a vMotion keeps the VM running");
  }

  @Test
  void checkRelocateAnswersWithoutMovingTheVm() {
    Inventory inv = gateway().inventory();
    VmInfo vm = vmNamed(inv, CLUSTER_VM);
    String otherHost = otherHostInCluster(inv, vm);
    RelocateSpec spec =
        new RelocateSpec(
            otherHost,
            null,
            null,
            null,
            null,
            List.of(new NicBackingChange(vm.nics().get(0).key(), networkId(inv, PORTGROUP))));

    Optional<RelocateCheck> check = gateway().checkRelocate(vm.id(), spec);

    assertTrue(check.isPresent(), "both servers answer CheckRelocate_Task");
    assertTrue(check.get().ok(), () -> "a valid vMotion passes: " + check.get().errors());
    VmInfo after = gateway().vm(vm.id());
    assertEquals(vm.host(), after.host(), "a check moves nothing");
    assertEquals(vm.nics(), after.nics(), "a check changes no NIC");
  }

  @Test
  void cancellingAFinishedTaskChangesNothing() {
    Inventory inv = gateway().inventory();
    VmInfo vm = vmNamed(inv, CLUSTER_VM);
    String otherHost = otherHostInCluster(inv, vm);
    TaskRef ref =
        gateway().relocate(vm.id(), new RelocateSpec(otherHost, null, null, null, null, null));
    succeed(ref);
    assertFalse(gateway().cancelTask(ref));
    assertEquals(TaskState.SUCCESS, gateway().task(ref).state());
    assertEquals(otherHost, gateway().vm(vm.id()).host());
  }

  @Test
  void relocateWithDatastoreChange() {
    Inventory inv = gateway().inventory();
    VmInfo vm = vmNamed(inv, OTHER_CLUSTER_VM);
    String target = inv.datastoreByName(OTHER_DATASTORE).orElseThrow().id();
    int diskKey = vm.disks().get(0).key();

    succeed(
        gateway()
            .relocate(
                vm.id(),
                new RelocateSpec(
                    null, null, null, target, List.of(new DiskLocator(diskKey, target)), null)));

    VmInfo moved = gateway().vm(vm.id());
    assertEquals(vm.instanceUuid(), moved.instanceUuid());
    if (relocateMovesFiles()) {
      assertEquals(target, moved.vmxDatastore());
      assertEquals(target, moved.disks().get(0).datastore());
      assertTrue(moved.vmPathName().startsWith("[" + OTHER_DATASTORE + "] "));
    } else {
      assertEquals(vm.vmPathName(), moved.vmPathName());
    }
  }

  @Test
  void networkRemapBetweenStandardAndDistributed() {
    Inventory inv = gateway().inventory();
    VmInfo vm = vmNamed(inv, CLUSTER_VM);
    VirtualNic nic = vm.nics().get(0);
    String pg = networkId(inv, PORTGROUP);
    String std = networkId(inv, STANDARD_NETWORK);

    assertEquals(pg, nic.network());

    succeed(gateway().reconfigureNics(vm.id(), List.of(new NicBackingChange(nic.key(), std))));
    VirtualNic onStandard = gateway().vm(vm.id()).nics().get(0);
    assertEquals(std, onStandard.network());
    assertEquals(nic.macAddress(), onStandard.macAddress(), "a remap keeps the MAC address");
    assertEquals(nic.key(), onStandard.key());
    // A NIC-only reconfigure edits the backing and nothing else of the adapter.
    assertNotNull(nic.addressType(), "address type read");
    assertNotNull(nic.connected(), "connected read");
    assertNotNull(nic.startConnected(), "startConnected read");
    assertEquals(nic.addressType(), onStandard.addressType(), "address type kept");
    assertEquals(nic.connected(), onStandard.connected(), "connected kept");
    assertEquals(nic.startConnected(), onStandard.startConnected(), "startConnected kept");

    succeed(gateway().reconfigureNics(vm.id(), List.of(new NicBackingChange(nic.key(), pg))));
    assertEquals(nic, gateway().vm(vm.id()).nics().get(0), "back as it was");

    TaskRef relocate =
        gateway()
            .relocate(
                vm.id(),
                new RelocateSpec(
                    null, null, null, null, null, List.of(new NicBackingChange(nic.key(), std))));
    succeed(relocate);
    VirtualNic relocated = gateway().vm(vm.id()).nics().get(0);
    assertEquals(std, relocated.network(), "the relocate's deviceChange moves the NIC");
    assertEquals(nic.macAddress(), relocated.macAddress());
  }

  @Test
  void unregisterAndRegisterKeepUuids() {
    Inventory inv = gateway().inventory();
    VmInfo vm = vmNamed(inv, CLUSTER_VM);
    succeed(gateway().powerOff(vm.id()));
    gateway().unregister(vm.id());

    assertTrue(gateway().inventory().vmByName(CLUSTER_VM).isEmpty());
    assertEquals(Optional.empty(), gateway().findVmByInstanceUuid(vm.instanceUuid()));
    assertThrows(VsphereException.NotFound.class, () -> gateway().vm(vm.id()));

    TaskInfo done =
        succeed(
            gateway()
                .register(
                    new RegisterSpec(
                        vm.vmPathName(), vm.name(), vm.folder(), vm.resourcePool(), vm.host())));
    assertNotNull(done.result(), "RegisterVM_Task's result is the new VM");
    VmInfo registered = gateway().vm(done.result());
    assertEquals(vm.name(), registered.name());
    assertEquals(vm.instanceUuid(), registered.instanceUuid());
    assertEquals(vm.biosUuid(), registered.biosUuid());
    assertEquals(vm.vmPathName(), registered.vmPathName());
    assertEquals(vm.host(), registered.host());
    assertEquals(vm.resourcePool(), registered.resourcePool());
    assertEquals(PowerState.POWERED_OFF, registered.powerState());
    assertEquals(
        Optional.of(registered.id()),
        gateway().findVmByInstanceUuid(vm.instanceUuid()).map(VmInfo::id));
  }

  @Test
  void powerOperations() {
    Inventory inv = gateway().inventory();
    String id = vmNamed(inv, CLUSTER_VM).id();
    succeed(gateway().powerOff(id));
    assertEquals(PowerState.POWERED_OFF, gateway().vm(id).powerState());
    succeed(gateway().powerOn(id));
    assertEquals(PowerState.POWERED_ON, gateway().vm(id).powerState());
    gateway().shutdownGuest(id);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (gateway().vm(id).powerState() != PowerState.POWERED_OFF) {
      assertTrue(System.nanoTime() < deadline, "guest did not shut down");
      sleep(50);
    }
  }

  @Test
  void moveIntoFolderKeepsTheVmInItsNewFolder() {
    Inventory inv = gateway().inventory();
    VmInfo vm = vmNamed(inv, STANDALONE_VM);
    succeed(gateway().moveIntoFolder(vm.id(), vm.folder()));
    assertEquals(vm.folder(), gateway().vm(vm.id()).folder());
  }

  @Test
  void customAttributes() {
    Inventory inv = gateway().inventory();
    String id = vmNamed(inv, CLUSTER_VM).id();
    gateway().setCustomValue(id, MigrationAttributes.LOCK, "migration-1");
    gateway().setCustomValue(id, MigrationAttributes.ORIGIN, "{\"host\":\"<h & 'x'>\"}");
    VmInfo vm = gateway().vm(id);
    assertEquals("migration-1", vm.customValue(MigrationAttributes.LOCK));
    assertEquals("{\"host\":\"<h & 'x'>\"}", vm.customValue(MigrationAttributes.ORIGIN));
    assertEquals(
        "migration-1",
        vmNamed(gateway().inventory(), CLUSTER_VM).customValue(MigrationAttributes.LOCK));

    gateway().setCustomValue(id, MigrationAttributes.LOCK, "");
    assertNull(gateway().vm(id).customValue(MigrationAttributes.LOCK));

    String ds = inv.datastoreByName(OTHER_DATASTORE).orElseThrow().id();
    gateway().setCustomValue(ds, "vmigrate.reservation.m-1", "1073741824");
    assertEquals("1073741824", gateway().datastore(ds).customValue("vmigrate.reservation.m-1"));
    assertEquals(
        "1073741824",
        gateway().inventory().datastore(ds).orElseThrow().customValue("vmigrate.reservation.m-1"));
    assertNull(
        vmNamed(gateway().inventory(), OTHER_CLUSTER_VM).customValue(MigrationAttributes.ORIGIN));
  }

  @Test
  void privilegesOfTheSessionUser() {
    Inventory inv = gateway().inventory();
    String vm = vmNamed(inv, CLUSTER_VM).id();
    Map<String, Set<String>> missing =
        gateway()
            .missingPrivileges(
                List.of(vm), Set.of("VirtualMachine.Inventory.Register", "Resource.HotMigrate"));
    assertEquals(Map.of(), missing, "the simulator's admin user holds every privilege");
  }

  @Test
  void missingVmIsNotFound() {
    VsphereException e =
        assertThrows(VsphereException.NotFound.class, () -> gateway().vm("vm-987654"));
    assertFalse(e.retryable());
    assertThrows(VsphereException.NotFound.class, () -> gateway().powerOn("vm-987654"));
    assertThrows(VsphereException.NotFound.class, () -> gateway().recentTasks("vm-987654"));
  }

  @Test
  void unregisteringAPoweredOnVmIsAnInvalidState() {
    Inventory inv = gateway().inventory();
    String id = vmNamed(inv, CLUSTER_VM).id();
    VsphereException e =
        assertThrows(VsphereException.InvalidState.class, () -> gateway().unregister(id));
    assertFalse(e.retryable());
    assertTrue(gateway().inventory().vm(id).isPresent());
  }

  /**
   * vCenter and vcsim accept a power operation towards the state the VM is already in and fail its
   * task with InvalidPowerState.
   */
  @Test
  void powerOperationsTowardsTheCurrentStateFailTheirTaskWithInvalidState() {
    Inventory inv = gateway().inventory();
    String id = vmNamed(inv, CLUSTER_VM).id();
    TaskInfo on = await(gateway().powerOn(id));
    assertEquals(TaskState.ERROR, on.state());
    assertTrue(on.error() instanceof VsphereException.InvalidState, String.valueOf(on.error()));
    succeed(gateway().powerOff(id));
    TaskInfo off = await(gateway().powerOff(id));
    assertEquals(TaskState.ERROR, off.state());
    assertTrue(off.error() instanceof VsphereException.InvalidState, String.valueOf(off.error()));
    assertEquals("InvalidPowerState", off.error().fault());
    assertFalse(off.error().retryable());
    assertEquals(PowerState.POWERED_OFF, gateway().vm(id).powerState());
  }

  /** RegisterVM_Task of a .vmx that does not exist: the call is accepted, its task fails. */
  @Test
  void registeringAMissingFileFailsItsTaskWithNotFound() {
    Inventory inv = gateway().inventory();
    VmInfo model = vmNamed(inv, CLUSTER_VM);
    TaskInfo failed =
        await(
            gateway()
                .register(
                    new RegisterSpec(
                        "[" + DATASTORE + "] absent/absent.vmx",
                        "absent",
                        model.folder(),
                        model.resourcePool(),
                        model.host())));
    assertEquals(TaskState.ERROR, failed.state());
    assertTrue(failed.error() instanceof VsphereException.NotFound, String.valueOf(failed.error()));
    assertFalse(failed.error().retryable());
    assertNull(failed.result());
    assertEquals(4, gateway().inventory().vms().size());
    assertTrue(gateway().inventory().vmByName("absent").isEmpty());
  }

  /** RegisterVM_Task of a .vmx that is registered already: the task fails with AlreadyExists. */
  @Test
  void registeringARegisteredPathFailsItsTaskWithAlreadyExists() {
    Inventory inv = gateway().inventory();
    VmInfo vm = vmNamed(inv, OTHER_CLUSTER_VM);
    TaskInfo failed =
        await(
            gateway()
                .register(
                    new RegisterSpec(
                        vm.vmPathName(), vm.name(), vm.folder(), vm.resourcePool(), vm.host())));
    assertEquals(TaskState.ERROR, failed.state());
    assertTrue(
        failed.error() instanceof VsphereException.InvalidRequest, String.valueOf(failed.error()));
    assertEquals("AlreadyExists", failed.error().fault());
    assertFalse(failed.error().retryable());
    assertEquals(4, gateway().inventory().vms().size());
    assertEquals(vm, gateway().vm(vm.id()), "the registered VM is untouched");
  }

  @Test
  void taskProgressReachesSuccess() {
    Inventory inv = gateway().inventory();
    String id = vmNamed(inv, STANDALONE_VM).id();
    TaskRef ref = gateway().powerOff(id);
    TaskInfo first = gateway().task(ref);
    assertEquals(ref, first.ref());
    assertEquals(id, first.entity());
    assertTrue(first.progress() >= 0 && first.progress() <= 100);
    TaskInfo done = succeed(ref);
    assertEquals(100, done.progress());
    assertNull(done.error());
    assertEquals("PowerOffVM_Task", done.operation(), "the API method's name");
    assertEquals(PowerState.POWERED_OFF, gateway().vm(id).powerState());
  }

  // What a retried relocate relies on when no heartbeat named the task: the VM's recent tasks show
  // the relocate, under its API method's name, while it runs and after it has succeeded.
  @Test
  void aRunningRelocateIsAmongTheVmsRecentTasks() {
    Inventory inv = gateway().inventory();
    VmInfo vm = vmNamed(inv, CLUSTER_VM);
    String otherVm = vmNamed(inv, OTHER_CLUSTER_VM).id();
    String otherHost = otherHostInCluster(inv, vm);
    delayRelocates(Duration.ofMillis(1500));
    TaskRef ref =
        gateway().relocate(vm.id(), new RelocateSpec(otherHost, null, null, null, null, null));

    TaskInfo running = recentTask(vm.id(), ref);
    assertEquals(TaskInfo.RELOCATE, running.operation());
    assertEquals(vm.id(), running.entity());
    assertEquals(TaskState.RUNNING, running.state());
    assertTrue(running.inFlight(TaskInfo.RELOCATE, vm.id()));
    assertTrue(
        gateway().recentTasks(otherVm).stream().noneMatch(t -> t.ref().equals(ref)),
        "listed on the VM it moves only");
    assertEquals(vm.host(), gateway().vm(vm.id()).host(), "not moved while the task runs");

    succeed(ref);
    TaskInfo done = recentTask(vm.id(), ref);
    assertEquals(TaskState.SUCCESS, done.state());
    assertEquals(TaskInfo.RELOCATE, done.operation());
    assertFalse(done.inFlight(TaskInfo.RELOCATE, vm.id()));
    assertEquals(otherHost, gateway().vm(vm.id()).host());
  }

  /**
   * The task history finds a change after it finished, in its final state, by entity and queue
   * time: what a retry reads to tell "it ran" from "it never ran".
   */
  @Test
  void taskHistoryListsTheEntitysFinishedTasksSinceAGivenTime() {
    Inventory inv = gateway().inventory();
    String id = vmNamed(inv, CLUSTER_VM).id();
    String other = vmNamed(inv, OTHER_CLUSTER_VM).id();
    TaskInfo off = succeed(gateway().powerOff(id));
    TaskInfo on = succeed(gateway().powerOn(id));
    TaskInfo again = await(gateway().powerOn(id));
    assertEquals(TaskState.ERROR, again.state());
    assertNotNull(off.queued(), "queue time");
    assertFalse(on.queued().isBefore(off.queued()), "queued in order");

    List<TaskInfo> since = gateway().taskHistory(id, off.queued());
    assertEquals(
        List.of(off.ref(), on.ref(), again.ref()),
        since.stream().map(TaskInfo::ref).toList(),
        "the VM's three tasks, oldest first");
    assertEquals(
        List.of("PowerOffVM_Task", "PowerOnVM_Task", "PowerOnVM_Task"),
        since.stream().map(TaskInfo::operation).toList());
    assertEquals(
        List.of(TaskState.SUCCESS, TaskState.SUCCESS, TaskState.ERROR),
        since.stream().map(TaskInfo::state).toList());
    assertTrue(since.stream().allMatch(t -> id.equals(t.entity())), "on the VM itself");
    assertTrue(since.get(0).startedBy("PowerOffVM_Task", id, off.queued()));
    assertFalse(since.get(0).startedBy("PowerOnVM_Task", id, off.queued()));
    assertInstanceOf(VsphereException.InvalidState.class, since.get(2).error());

    List<TaskInfo> later = gateway().taskHistory(id, again.queued().plusMillis(1));
    assertTrue(
        later.stream().noneMatch(t -> t.ref().equals(again.ref())),
        "a task queued before the time is left out: " + later);
    assertTrue(
        gateway().taskHistory(other, off.queued()).stream()
            .noneMatch(t -> t.entity() == null || t.entity().equals(id)),
        "another VM's history has none of these");
  }

  private TaskInfo recentTask(String vmId, TaskRef ref) {
    List<TaskInfo> recent = gateway().recentTasks(vmId);
    return recent.stream()
        .filter(t -> t.ref().equals(ref))
        .findFirst()
        .orElseThrow(() -> new AssertionError(ref.id() + " is not among " + recent));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}

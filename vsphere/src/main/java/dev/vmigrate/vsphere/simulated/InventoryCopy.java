package dev.vmigrate.vsphere.simulated;

import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VirtualNic;
import dev.vmigrate.vsphere.ClusterInfo;
import dev.vmigrate.vsphere.DatacenterInfo;
import dev.vmigrate.vsphere.DatastoreInfo;
import dev.vmigrate.vsphere.FolderInfo;
import dev.vmigrate.vsphere.HostInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.NetworkInfo;
import dev.vmigrate.vsphere.ResourcePoolInfo;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.simulated.SimEstate.Cl;
import dev.vmigrate.vsphere.simulated.SimEstate.Dc;
import dev.vmigrate.vsphere.simulated.SimEstate.Ds;
import dev.vmigrate.vsphere.simulated.SimEstate.Folder;
import dev.vmigrate.vsphere.simulated.SimEstate.Host;
import dev.vmigrate.vsphere.simulated.SimEstate.Net;
import dev.vmigrate.vsphere.simulated.SimEstate.Pool;
import dev.vmigrate.vsphere.simulated.SimEstate.Vm;
import dev.vmigrate.vsphere.simulated.SimulatedFiles.DiskFile;
import dev.vmigrate.vsphere.simulated.SimulatedFiles.NicConfig;
import dev.vmigrate.vsphere.simulated.SimulatedFiles.VmConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Fills a {@link SimEstate} with a copy of an {@link Inventory} as read from a vCenter, keeping
 * every managed object id, name and relation, so that the simulated vCenter's {@code inventory()}
 * reads back what was copied (see {@link SimulatedVsphere#copyOf} for the exceptions). Used by one
 * thread before the simulated vCenter is handed out. It reads only the {@code Inventory} value,
 * never the vCenter it came from.
 */
final class InventoryCopy {
  private final SimEstate estate;
  private final Set<String> ids = new HashSet<>();

  InventoryCopy(SimEstate estate) {
    this.estate = estate;
  }

  void copy(Inventory inv) {
    if (inv == null) {
      throw new IllegalArgumentException("inventory is required");
    }
    if (!estate.datacenters.isEmpty() || !estate.vms.isEmpty() || !estate.hosts.isEmpty()) {
      throw new IllegalStateException("copy an inventory into an empty simulated vCenter only");
    }
    for (DatacenterInfo d : inv.datacenters()) {
      Dc dc = new Dc();
      dc.id = id(d.id(), "datacenters");
      dc.name = d.name();
      dc.vmFolder = d.vmFolder();
      estate.datacenters.put(dc.id, dc);
    }
    for (FolderInfo f : inv.folders()) {
      Folder folder = new Folder();
      folder.id = id(f.id(), "folders");
      folder.name = f.name();
      folder.parent = f.parent();
      estate.folders.put(folder.id, folder);
    }
    for (ClusterInfo c : inv.clusters()) {
      Cl cl = new Cl();
      cl.id = id(c.id(), "clusters");
      cl.name = c.name();
      cl.dc = c.datacenter();
      cl.rootPool = c.rootResourcePool();
      cl.hosts.addAll(c.hosts());
      estate.clusters.put(cl.id, cl);
    }
    for (ResourcePoolInfo p : inv.resourcePools()) {
      Pool pool = new Pool();
      pool.id = id(p.id(), "resourcePools");
      pool.name = p.name();
      pool.owner = p.owner();
      pool.parent = p.parent();
      estate.pools.put(pool.id, pool);
    }
    for (DatastoreInfo d : inv.datastores()) {
      Ds ds = new Ds();
      ds.id = id(d.id(), "datastores");
      ds.name = d.name();
      ds.capacity = d.capacityBytes();
      ds.accessible = d.accessible();
      ds.customValues.putAll(d.customValues());
      estate.datastores.put(ds.id, ds);
      estate.datastoreIdByName.putIfAbsent(ds.name, ds.id);
    }
    for (NetworkInfo n : inv.networks()) {
      Net net = new Net();
      net.id = id(n.id(), "networks");
      net.name = n.name();
      net.distributed = n.distributed();
      net.switchUuid = n.switchUuid();
      net.portgroupKey = n.portgroupKey();
      estate.networks.put(net.id, net);
      estate.networkIdByName.putIfAbsent(net.name, net.id);
    }
    for (HostInfo h : inv.hosts()) {
      Host host = new Host();
      host.id = id(h.id(), "hosts");
      host.name = h.name();
      host.cluster = h.cluster();
      host.connectionState = h.connectionState();
      host.maintenance = h.inMaintenanceMode();
      host.datastores.addAll(h.datastores());
      host.networks.addAll(h.networks());
      host.cpuVendor = h.cpuVendor();
      host.maxHardwareVersion = h.maxHardwareVersion();
      host.vmotionLinkMbps = h.vmotionLinkMbps();
      host.memoryBytes = h.memoryBytes();
      host.cpuCores = h.cpuCores();
      host.cpuMhzPerCore = h.cpuMhzPerCore();
      Cl cl = host.cluster == null ? null : estate.clusters.get(host.cluster);
      host.dc = cl == null ? null : cl.dc;
      estate.hosts.put(host.id, host);
    }
    int index = 0;
    for (VmInfo v : inv.vms()) {
      copyVm(v, index++);
    }
    standaloneComputeResources(inv);
    datacentersOfStandaloneHosts();
    for (Ds ds : estate.datastores.values()) {
      DatastoreInfo read = inv.datastore(ds.id).orElseThrow();
      // Whatever the VMs' disks do not account for is used by other files (or, when negative,
      // left free by thinly provisioned disks), so that free space reads as it was read.
      ds.otherUsed = ds.capacity - read.freeBytes() - estate.files.usedBytes(ds.name);
      ds.dc = firstDatacenterOf(h -> h.datastores.contains(ds.id));
    }
    for (Net net : estate.networks.values()) {
      net.dc = firstDatacenterOf(h -> h.networks.contains(net.id));
    }
    SimRecords records = new SimRecords(estate);
    for (HostInfo h : inv.hosts()) {
      Host host = estate.hosts.get(h.id());
      host.otherMemoryUsageMb = 0;
      host.otherCpuUsageMhz = 0;
      HostInfo computed = records.hostInfo(host);
      host.otherMemoryUsageMb = h.memoryUsageMb() - computed.memoryUsageMb();
      host.otherCpuUsageMhz = h.cpuUsageMhz() - computed.cpuUsageMhz();
    }
    // Ids the copy has not seen as objects but that objects point at (a folder's parent, a pool's
    // owner) are not created later either.
    for (Pool p : estate.pools.values()) {
      estate.reserveId(p.owner);
    }
    for (Folder f : estate.folders.values()) {
      estate.reserveId(f.parent);
    }
  }

  private void copyVm(VmInfo v, int index) {
    String field = "vms[" + index + "]";
    String id = id(v.id(), "vms");
    if (v.vmPathName() == null || SimulatedFiles.datastoreName(v.vmPathName()) == null) {
      throw new IllegalArgumentException(
          field
              + ".vmPathName must be a datastore path \"[datastore] dir/file.vmx\", was "
              + v.vmPathName());
    }
    VmConfig c = new VmConfig();
    c.vmxPath = v.vmPathName();
    c.instanceUuid = v.instanceUuid();
    c.biosUuid = v.biosUuid();
    c.hardwareVersion = v.hardwareVersion();
    c.guestId = v.guestId();
    c.cpus = v.cpus();
    c.memoryMb = v.memoryMb();
    c.template = v.template();
    c.cdromHostDevice = v.cdromHostDevice();
    // The inventory does not say whether VMware Tools run: a copy assumes they do.
    c.toolsInstalled = true;
    for (VirtualDisk d : v.disks()) {
      if (d.fileName() == null || SimulatedFiles.datastoreName(d.fileName()) == null) {
        throw new IllegalArgumentException(
            field
                + ".disks[key "
                + d.key()
                + "].fileName must be a datastore path, was "
                + d.fileName());
      }
      c.disks.add(
          new DiskFile(d.key(), d.label(), d.fileName(), d.capacityBytes(), d.mode(), d.rdm()));
    }
    for (VirtualNic n : v.nics()) {
      String networkName =
          n.network() == null || !estate.networks.containsKey(n.network())
              ? null
              : estate.networks.get(n.network()).name;
      NicConfig nic = new NicConfig(n.key(), n.label(), n.macAddress(), networkName);
      nic.networkId = n.network();
      nic.addressType = n.addressType();
      nic.connected = n.connected();
      nic.startConnected = n.startConnected();
      c.nics.add(nic);
    }
    c.snapshots.addAll(v.snapshots());
    estate.files.put(c);
    Vm vm = new Vm(id, v.name(), c);
    vm.toolsRunning = true;
    vm.host = v.host();
    vm.pool = v.resourcePool();
    vm.power = v.powerState();
    Host host = v.host() == null ? null : estate.hosts.get(v.host());
    String derived =
        host != null && "connected".equals(host.connectionState) ? "connected" : "disconnected";
    if (v.connectionState() != null && !v.connectionState().equals(derived)) {
      vm.connectionState = v.connectionState();
    }
    vm.customValues.putAll(v.customValues());
    estate.addVm(vm, v.folder());
  }

  /**
   * A standalone host's compute resource owns its root pool, but the inventory names neither the
   * host's compute resource nor the pool's host. Matched, in this order: by the root pools of the
   * VMs on the host; by a root pool owned by the host itself; the hosts left with the root pools
   * left, in the order of their ids, when as many of each are left. A host left unmatched gets a
   * compute resource of its own without pools (no VM can then be placed on it).
   */
  private void standaloneComputeResources(Inventory inv) {
    List<Host> standalone = new ArrayList<>();
    for (Host h : estate.hosts.values()) {
      if (h.cluster == null) {
        standalone.add(h);
      }
    }
    if (standalone.isEmpty()) {
      return;
    }
    Set<String> clusterIds = estate.clusters.keySet();
    List<Pool> roots = new ArrayList<>();
    for (Pool p : estate.pools.values()) {
      if (p.parent == null && p.owner != null && !clusterIds.contains(p.owner)) {
        roots.add(p);
      }
    }
    Map<String, Set<Pool>> evidence = new HashMap<>();
    for (Vm vm : estate.vms.values()) {
      Pool pool = vm.pool == null ? null : estate.pools.get(vm.pool);
      if (pool != null && vm.host != null) {
        evidence.computeIfAbsent(vm.host, k -> new LinkedHashSet<>()).add(rootOf(pool));
      }
    }
    for (Host h : standalone) {
      Set<Pool> seen = evidence.getOrDefault(h.id, Set.of());
      Pool match = null;
      if (seen.size() == 1 && roots.contains(seen.iterator().next())) {
        match = seen.iterator().next();
      } else {
        match = roots.stream().filter(p -> h.id.equals(p.owner)).findFirst().orElse(null);
      }
      if (match != null) {
        assign(h, match);
        roots.remove(match);
      }
    }
    // vCenter numbers its objects in creation order, and adds a standalone host with its compute
    // resource and root pool together: the hosts left and the pools left pair up in that order.
    List<Host> left =
        standalone.stream()
            .filter(h -> h.computeResource == null)
            .sorted(Comparator.comparingLong(h -> number(h.id)))
            .toList();
    if (left.size() == roots.size()) {
      List<Pool> byOwner =
          roots.stream().sorted(Comparator.comparingLong(p -> number(p.owner))).toList();
      for (int i = 0; i < left.size(); i++) {
        assign(left.get(i), byOwner.get(i));
      }
    }
    for (Host h : standalone) {
      if (h.computeResource == null) {
        h.computeResource = "domain-s" + estate.nextId++;
      }
    }
  }

  private static long number(String id) {
    String digits = id.replaceAll("^.*?(\\d*)$", "$1");
    return digits.isEmpty() || digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
  }

  private void assign(Host h, Pool root) {
    h.computeResource = root.owner;
    h.rootPool = root.id;
  }

  private Pool rootOf(Pool pool) {
    Pool p = pool;
    for (int depth = 0; p.parent != null && depth < 64; depth++) {
      Pool parent = estate.pools.get(p.parent);
      if (parent == null) {
        break;
      }
      p = parent;
    }
    return p;
  }

  /** A standalone host's datacenter, from the folders of its VMs (only the builder uses it). */
  private void datacentersOfStandaloneHosts() {
    for (Vm vm : estate.vms.values()) {
      Host h = vm.host == null ? null : estate.hosts.get(vm.host);
      if (h != null && h.dc == null) {
        h.dc = datacenterOfFolder(vm.folder);
      }
    }
  }

  private String datacenterOfFolder(String folderId) {
    String id = folderId;
    for (int depth = 0; id != null && depth < 64; depth++) {
      if (estate.datacenters.containsKey(id)) {
        return id;
      }
      Folder f = estate.folders.get(id);
      id = f == null ? null : f.parent;
    }
    return null;
  }

  private String firstDatacenterOf(Predicate<Host> uses) {
    for (Host h : estate.hosts.values()) {
      if (h.dc != null && uses.test(h)) {
        return h.dc;
      }
    }
    return null;
  }

  private String id(String id, String list) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException(list + ": an entry has no id");
    }
    if (!ids.add(id)) {
      throw new IllegalArgumentException(list + ": id " + id + " is used twice in the inventory");
    }
    estate.reserveId(id);
    return id;
  }
}

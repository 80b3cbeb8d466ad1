package dev.vmigrate.vsphere.simulated;

import dev.vmigrate.model.PowerState;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.simulated.SimTasks.Task;
import dev.vmigrate.vsphere.simulated.SimulatedFiles.NicConfig;
import dev.vmigrate.vsphere.simulated.SimulatedFiles.VmConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The inventory of a {@link SimulatedVsphere}: its entities, the indexes over them and the VM
 * files, with the look-ups by id that answer ManagedObjectNotFound. Not thread-safe on its own: it
 * is used only while holding the lock of the {@link SimulatedVsphere} that owns it.
 */
final class SimEstate {
  SimulatedFiles files = new SimulatedFiles();

  int nextId = 1;
  final Map<String, Dc> datacenters = new LinkedHashMap<>();
  final Map<String, Cl> clusters = new LinkedHashMap<>();
  final Map<String, Host> hosts = new LinkedHashMap<>();
  final Map<String, Ds> datastores = new LinkedHashMap<>();
  final Map<String, Net> networks = new LinkedHashMap<>();
  final Map<String, Pool> pools = new LinkedHashMap<>();
  final Map<String, Folder> folders = new LinkedHashMap<>();
  final Map<String, Vm> vms = new LinkedHashMap<>();
  final Map<String, Vm> byUuid = new HashMap<>();
  final Map<String, Vm> byVmxPath = new HashMap<>();
  final Map<String, Map<String, Vm>> vmsByFolder = new HashMap<>();
  final Set<Vm> shuttingDown = new LinkedHashSet<>();
  final Map<String, String> datastoreIdByName = new HashMap<>();
  final Map<String, String> networkIdByName = new HashMap<>();

  Vm requireVm(String id) {
    Vm vm = id == null ? null : vms.get(id);
    if (vm == null) {
      throw new VsphereException.NotFound(
          "ManagedObjectNotFound", "virtual machine " + id + " does not exist");
    }
    return vm;
  }

  /**
   * A VM's host; a copied VM may name one that the inventory did not hold (removed while it was
   * read), and then vCenter cannot act on it either.
   */
  Host hostOf(Vm vm) {
    Host host = vm.host == null ? null : hosts.get(vm.host);
    if (host == null) {
      throw new VsphereException.InvalidState(
          "InvalidState", vm.name + " runs on no host known to this vCenter (" + vm.host + ")");
    }
    return host;
  }

  Host requireHost(String id) {
    return require(hosts, id, "host");
  }

  Ds requireDatastore(String id) {
    return require(datastores, id, "datastore");
  }

  Pool requirePool(String id) {
    return require(pools, id, "resource pool");
  }

  Folder requireFolder(String id) {
    return require(folders, id, "folder");
  }

  static <T> T require(Map<String, T> map, String id, String what) {
    T t = id == null ? null : map.get(id);
    if (t == null) {
      throw new VsphereException.NotFound(
          "ManagedObjectNotFound", what + " " + id + " does not exist");
    }
    return t;
  }

  Map<String, String> customValuesOf(String entityId) {
    if (vms.containsKey(entityId)) {
      return vms.get(entityId).customValues;
    }
    if (hosts.containsKey(entityId)) {
      return hosts.get(entityId).customValues;
    }
    if (datastores.containsKey(entityId)) {
      return datastores.get(entityId).customValues;
    }
    throw new VsphereException.NotFound(
        "ManagedObjectNotFound", "entity " + entityId + " does not exist or has no custom values");
  }

  boolean entityExists(String id) {
    return vms.containsKey(id)
        || hosts.containsKey(id)
        || datastores.containsKey(id)
        || folders.containsKey(id)
        || pools.containsKey(id)
        || clusters.containsKey(id)
        || datacenters.containsKey(id)
        || networks.containsKey(id);
  }

  Optional<Vm> findByUuid(String uuid) {
    return Optional.ofNullable(uuid == null ? null : byUuid.get(uuid.toLowerCase(Locale.ROOT)));
  }

  /** The cluster or standalone compute resource whose pool tree holds this pool. */
  String ownerOfPool(Pool pool) {
    Pool p = pool;
    while (p.parent != null) {
      p = pools.get(p.parent);
    }
    return p.owner;
  }

  List<Host> hostsOfPool(Pool pool) {
    String owner = ownerOfPool(pool);
    return hosts.values().stream().filter(h -> h.owner().equals(owner)).toList();
  }

  String datastoreIdByName(String name) {
    return datastoreIdByName.get(name);
  }

  String networkIdByName(String name) {
    return networkIdByName.get(name);
  }

  static <T> String idByName(
      Iterable<T> items,
      Function<T, String> name,
      Function<T, String> id,
      String wanted,
      String what) {
    for (T t : items) {
      if (name.apply(t).equals(wanted)) {
        return id.apply(t);
      }
    }
    throw new IllegalArgumentException("no " + what + " named " + wanted);
  }

  String newId(String prefix) {
    return prefix + "-" + nextId++;
  }

  /**
   * Makes every id created from now on ({@link #newId}, the builder's) number above this one's
   * trailing number, so that objects created later never take a copied object's id.
   */
  void reserveId(String id) {
    if (id == null) {
      return;
    }
    int end = id.length();
    int start = end;
    while (start > 0 && Character.isDigit(id.charAt(start - 1))) {
      start--;
    }
    if (start < end && end - start < 10) {
      nextId = Math.max(nextId, Integer.parseInt(id.substring(start, end)) + 1);
    }
  }

  /**
   * Sets a VM's power state, and its network adapters' connection as vSphere does: at power-on each
   * adapter set to connect at power-on connects, at power-off every adapter disconnects.
   */
  void setPower(Vm vm, PowerState power) {
    vm.power = power;
    for (NicConfig n : vm.config.nics) {
      n.connected = power == PowerState.POWERED_ON && !Boolean.FALSE.equals(n.startConnected);
    }
  }

  String poolIdIn(String owner, String poolName, String ownerName) {
    return pools.values().stream()
        .filter(p -> p.name.equals(poolName) && owner.equals(ownerOfPool(p)))
        .map(p -> p.id)
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("no pool " + poolName + " in " + ownerName));
  }

  /** The compute resource (cluster, else standalone host's) of this name. */
  String computeResourceId(String clusterOrHostName) {
    for (Cl c : clusters.values()) {
      if (c.name.equals(clusterOrHostName)) {
        return c.id;
      }
    }
    for (Host h : hosts.values()) {
      if (h.cluster == null && h.name.equals(clusterOrHostName)) {
        return h.computeResource;
      }
    }
    throw new IllegalArgumentException("no cluster or standalone host named " + clusterOrHostName);
  }

  void addVm(Vm vm, String folderId) {
    vms.put(vm.id, vm);
    if (vm.config.instanceUuid != null) {
      byUuid.put(vm.config.instanceUuid.toLowerCase(Locale.ROOT), vm);
    }
    byVmxPath.put(vm.config.vmxPath, vm);
    placeInFolder(vm, folderId);
  }

  void removeVm(Vm vm) {
    vms.remove(vm.id);
    if (vm.config.instanceUuid != null) {
      byUuid.remove(vm.config.instanceUuid.toLowerCase(Locale.ROOT));
    }
    byVmxPath.remove(vm.config.vmxPath);
    vmsByFolder.getOrDefault(vm.folder, new HashMap<>()).remove(vm.name);
    shuttingDown.remove(vm);
  }

  void placeInFolder(Vm vm, String folderId) {
    if (vm.folder != null) {
      vmsByFolder.getOrDefault(vm.folder, new HashMap<>()).remove(vm.name);
    }
    vm.folder = folderId;
    vmsByFolder.computeIfAbsent(folderId, k -> new HashMap<>()).put(vm.name, vm);
  }

  void applyNics(Vm vm, Map<Integer, PlacementRules.NicTarget> targets) {
    for (NicConfig n : vm.config.nics) {
      PlacementRules.NicTarget t = targets.get(n.key);
      if (t != null) {
        n.networkName = t.name();
        n.networkId = t.id();
      }
    }
  }

  /**
   * The id of a network adapter's network in this vCenter: the one it was attached to while that
   * still has the name in its files, else the first network of that name (files shared with another
   * vCenter name networks only).
   */
  String networkOf(NicConfig n) {
    if (n.networkId != null) {
      Net net = networks.get(n.networkId);
      if (net != null && net.name.equals(n.networkName)) {
        return net.id;
      }
    }
    return n.networkName == null ? null : networkIdByName.get(n.networkName);
  }

  // ---------------------------------------------------------------- entities

  static final class Dc {
    String id;
    String name;
    String vmFolder;
  }

  static final class Cl {
    String id;
    String name;
    String dc;
    String rootPool;
    final List<String> hosts = new ArrayList<>();
  }

  static final class Host {
    String id;
    String name;
    String cluster;
    // A standalone host's own compute resource ("domain-s..", owner of its root pool) and root
    // pool.
    String computeResource;
    String rootPool;
    String dc;
    String connectionState = "connected";
    boolean maintenance;
    final Set<String> datastores = new LinkedHashSet<>();
    final Set<String> networks = new LinkedHashSet<>();
    String cpuVendor = "intel";
    String maxHardwareVersion = "vmx-21";
    long vmotionLinkMbps = 10_000;
    long memoryBytes;
    int cpuCores;
    long cpuMhzPerCore;
    // What the host's usage reads beyond the configured size of its powered-on VMs (negative when
    // less): zero when built, the difference from the read usage in a copy.
    long otherMemoryUsageMb;
    long otherCpuUsageMhz;
    final Map<String, String> customValues = new HashMap<>();

    boolean acceptsVms() {
      return "connected".equals(connectionState) && !maintenance;
    }

    /** The compute resource that owns the host's pools: its cluster, or its own when standalone. */
    String owner() {
      return cluster != null ? cluster : computeResource;
    }
  }

  static final class Ds {
    String id;
    String name;
    String dc;
    long capacity;
    // Bytes used by files other than the simulated VMs' disks; negative in a copy when the read
    // free space is more than capacity minus the disks' provisioned sizes (thin disks).
    long otherUsed;
    boolean accessible = true;
    final Map<String, String> customValues = new HashMap<>();
  }

  static final class Net {
    String id;
    String name;
    String dc;
    boolean distributed;
    String switchUuid;
    String portgroupKey;
  }

  static final class Pool {
    String id;
    String name;
    String owner;
    String parent;
  }

  static final class Folder {
    String id;
    String name;
    String parent;
  }

  static final class Vm {
    final String id;
    final String name;
    final VmConfig config;
    String host;
    String pool;
    String folder;
    PowerState power = PowerState.POWERED_ON;
    // runtime.connectionState as read into a copy when it differs from what the host's state
    // gives ("orphaned", "inaccessible", "invalid"); null: "connected" while the host is.
    String connectionState;
    boolean toolsRunning = true;
    Instant shutdownAt;
    Task busyTask;
    final Map<String, String> customValues = new HashMap<>();

    Vm(String id, String name, VmConfig config) {
      this.id = id;
      this.name = name;
      this.config = config;
      this.toolsRunning = config.toolsInstalled;
    }
  }
}

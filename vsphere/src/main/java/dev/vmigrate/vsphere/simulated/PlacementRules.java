package dev.vmigrate.vsphere.simulated;

import dev.vmigrate.model.NicBackingChange;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.simulated.SimEstate.Ds;
import dev.vmigrate.vsphere.simulated.SimEstate.Folder;
import dev.vmigrate.vsphere.simulated.SimEstate.Host;
import dev.vmigrate.vsphere.simulated.SimEstate.Net;
import dev.vmigrate.vsphere.simulated.SimEstate.Pool;
import dev.vmigrate.vsphere.simulated.SimEstate.Vm;
import dev.vmigrate.vsphere.simulated.SimulatedFiles.DiskFile;
import dev.vmigrate.vsphere.simulated.SimulatedFiles.NicConfig;
import dev.vmigrate.vsphere.simulated.SimulatedFiles.VmConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The checks vSphere makes before it places, moves or registers a VM or changes its power state:
 * datastore space, mounted datastores, visible networks, hardware version, host state, resource
 * pool ownership, unique names and UUIDs, one task at a time. Not thread-safe on its own: it is
 * used only while holding the lock of the {@link SimulatedVsphere} that owns it.
 */
final class PlacementRules {
  private final SimEstate estate;

  PlacementRules(SimEstate estate) {
    this.estate = estate;
  }

  long freeBytes(String datastoreName) {
    Ds d = estate.datastores.get(estate.datastoreIdByName.get(datastoreName));
    return freeBytes(d, estate.files.usedBytes(d.name));
  }

  /** A datastore's free space with this much used by VM disks, within 0 and its capacity. */
  static long freeBytes(Ds d, long usedByDisks) {
    return Math.max(0, Math.min(d.capacity, d.capacity - d.otherUsed - usedByDisks));
  }

  Map<String, Long> incomingBytes(Vm vm, Map<Integer, String> diskTargets) {
    Map<String, Long> incoming = new LinkedHashMap<>();
    for (DiskFile d : vm.config.disks) {
      String target = diskTargets.get(d.key);
      if (!d.rdm && !target.equals(SimulatedFiles.datastoreName(d.fileName))) {
        incoming.merge(target, d.capacityBytes, Long::sum);
      }
    }
    return incoming;
  }

  void requireSpace(Map<String, Long> incoming, String vmName) {
    for (var e : incoming.entrySet()) {
      long free = freeBytes(e.getKey());
      if (e.getValue() > free) {
        throw new VsphereException.InsufficientResources(
            "InsufficientDisk",
            "datastore "
                + e.getKey()
                + " has "
                + free
                + " bytes free, moving "
                + vmName
                + " needs "
                + e.getValue());
      }
    }
  }

  /** Where a network adapter goes: the network's name and, when this vCenter has it, its id. */
  record NicTarget(String name, String id) {}

  Map<Integer, NicTarget> nicTargets(Vm vm, List<NicBackingChange> changes) {
    Map<Integer, NicTarget> targets = new LinkedHashMap<>();
    for (NicConfig n : vm.config.nics) {
      targets.put(n.key, new NicTarget(n.networkName, estate.networkOf(n)));
    }
    for (NicBackingChange c : changes) {
      if (!targets.containsKey(c.nicKey())) {
        throw new VsphereException.InvalidRequest(
            "InvalidArgument", vm.name + " has no network adapter with key " + c.nicKey());
      }
      Net net = estate.networks.get(c.network());
      if (net == null) {
        throw new VsphereException.NotFound(
            "ManagedObjectNotFound", "network " + c.network() + " does not exist");
      }
      targets.put(c.nicKey(), new NicTarget(net.name, net.id));
    }
    return targets;
  }

  void requireMounted(Host host, Set<String> datastoreNames, String vmName) {
    for (String name : datastoreNames) {
      String id = estate.datastoreIdByName(name);
      if (id == null || !host.datastores.contains(id)) {
        throw new VsphereException.InvalidRequest(
            "DatastoreNotWritableOnHost",
            "host " + host.name + " does not mount datastore " + name + " needed by " + vmName);
      }
    }
  }

  void requireNetworksSeen(Host host, Iterable<NicTarget> networks, String vmName) {
    for (NicTarget n : networks) {
      if (n.name() == null) {
        continue;
      }
      if (n.id() == null || !host.networks.contains(n.id())) {
        throw new VsphereException.InvalidRequest(
            "InvalidNetworkResource",
            "host " + host.name + " does not see network " + n.name() + " needed by " + vmName);
      }
    }
  }

  void requireHardwareFits(Vm vm, Host host) {
    if (hardwareVersion(vm.config.hardwareVersion) > hardwareVersion(host.maxHardwareVersion)) {
      throw new VsphereException.InvalidRequest(
          "NotSupportedHost",
          host.name
              + " runs hardware up to "
              + host.maxHardwareVersion
              + ", "
              + vm.name
              + " is "
              + vm.config.hardwareVersion);
    }
  }

  static int hardwareVersion(String v) {
    try {
      return v == null ? 0 : Integer.parseInt(v.replaceAll("\\D", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  void requireConnected(Host host) {
    if (!"connected".equals(host.connectionState)) {
      throw new VsphereException.Transient(
          "HostNotConnected", "host " + host.name + " is " + host.connectionState);
    }
  }

  void requireAcceptsVms(Host host) {
    requireConnected(host);
    if (host.maintenance) {
      throw new VsphereException.InvalidState(
          "InvalidHostState", "host " + host.name + " is in maintenance mode");
    }
  }

  void requirePoolOnHost(Pool pool, Host host) {
    if (!host.owner().equals(estate.ownerOfPool(pool))) {
      throw new VsphereException.InvalidRequest(
          "InvalidArgument",
          "resource pool "
              + pool.name
              + " is not in the "
              + (host.cluster == null ? "compute resource of standalone" : "cluster of")
              + " host "
              + host.name);
    }
  }

  void requireNameFree(Folder folder, String instanceUuid, String name) {
    Vm other = estate.vmsByFolder.getOrDefault(folder.id, Map.of()).get(name);
    if (other != null && !other.config.instanceUuid.equalsIgnoreCase(instanceUuid)) {
      throw new VsphereException.InvalidRequest(
          "DuplicateName", "the name " + name + " already exists in folder " + folder.name);
    }
  }

  void requireRegistrable(VmConfig config) {
    VsphereException conflict = registrationConflict(config);
    if (conflict != null) {
      throw conflict;
    }
  }

  /** Why these files cannot be registered now (AlreadyExists), or null when they can. */
  VsphereException registrationConflict(VmConfig config) {
    Vm samePath = estate.byVmxPath.get(config.vmxPath);
    if (samePath != null && estate.vms.containsKey(samePath.id)) {
      return new VsphereException.InvalidRequest(
          "AlreadyExists", config.vmxPath + " is already registered as " + samePath.name);
    }
    Vm sameUuid = estate.byUuid.get(config.instanceUuid.toLowerCase(Locale.ROOT));
    if (sameUuid != null) {
      return new VsphereException.InvalidRequest(
          "AlreadyExists",
          "a VM with instance UUID " + config.instanceUuid + " exists: " + sameUuid.name);
    }
    return null;
  }

  static void requirePowerStateOtherThan(Vm vm, PowerState already) {
    if (vm.power == already) {
      throw new VsphereException.InvalidState(
          "InvalidPowerState",
          vm.name
              + " is already "
              + (already == PowerState.POWERED_ON ? "powered on" : "powered off"));
    }
  }

  void requireIdle(Vm vm) {
    if (vm.busyTask != null) {
      throw new VsphereException.Transient(
          "TaskInProgress", vm.name + " is busy with " + vm.busyTask.ref.id());
    }
  }
}

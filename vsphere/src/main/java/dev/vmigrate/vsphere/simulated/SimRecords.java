package dev.vmigrate.vsphere.simulated;

import dev.vmigrate.model.PowerState;
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
import dev.vmigrate.vsphere.simulated.SimEstate.Ds;
import dev.vmigrate.vsphere.simulated.SimEstate.Host;
import dev.vmigrate.vsphere.simulated.SimEstate.Vm;
import dev.vmigrate.vsphere.simulated.SimulatedFiles.VmConfig;
import java.util.List;

/**
 * Converts the entities of a {@link SimulatedVsphere} into the gateway's records. Not thread-safe
 * on its own: it is used only while holding the lock of the {@link SimulatedVsphere} that owns it.
 */
final class SimRecords {
  private final SimEstate estate;

  SimRecords(SimEstate estate) {
    this.estate = estate;
  }

  VmInfo vmInfo(Vm vm) {
    Host host = estate.hosts.get(vm.host);
    VmConfig c = vm.config;
    List<VirtualDisk> disks =
        c.disks.stream()
            .map(
                d ->
                    new VirtualDisk(
                        d.key,
                        d.label,
                        estate.datastoreIdByName(SimulatedFiles.datastoreName(d.fileName)),
                        d.fileName,
                        d.capacityBytes,
                        d.mode,
                        d.rdm))
            .toList();
    List<VirtualNic> nics =
        c.nics.stream()
            .map(
                n ->
                    // The simulated vSphere assigns MACs; as on vSphere, an adapter set to connect
                    // at power-on is connected while its VM runs (SimEstate.setPower).
                    new VirtualNic(
                        n.key,
                        n.label,
                        n.macAddress,
                        estate.networkOf(n),
                        n.addressType,
                        n.connected,
                        n.startConnected))
            .toList();
    return new VmInfo(
        vm.id,
        vm.name,
        c.instanceUuid,
        c.biosUuid,
        vm.power,
        vm.connectionState != null
            ? vm.connectionState
            : host != null && "connected".equals(host.connectionState)
                ? "connected"
                : "disconnected",
        c.template,
        // A copied VM may name a host the inventory did not hold (read while it was removed).
        host == null ? vm.host : host.id,
        host == null ? null : host.cluster,
        vm.pool,
        vm.folder,
        c.vmxPath,
        estate.datastoreIdByName(SimulatedFiles.datastoreName(c.vmxPath)),
        c.hardwareVersion,
        c.guestId,
        c.cpus,
        c.memoryMb,
        disks,
        nics,
        c.cdromHostDevice,
        c.snapshots,
        vm.customValues);
  }

  /**
   * The host with its capacity, and as usage the size of its powered-on VMs (see the spec) plus, in
   * a copy, what the read usage differed from that.
   */
  HostInfo hostInfo(Host h) {
    long memoryUsed = 0;
    long cpuUsed = 0;
    for (Vm vm : estate.vms.values()) {
      if (h.id.equals(vm.host) && vm.power == PowerState.POWERED_ON) {
        memoryUsed += vm.config.memoryMb;
        cpuUsed += vm.config.cpus * h.cpuMhzPerCore;
      }
    }
    return new HostInfo(
        h.id,
        h.name,
        h.cluster,
        h.connectionState,
        h.maintenance,
        List.copyOf(h.datastores),
        List.copyOf(h.networks),
        h.cpuVendor,
        h.maxHardwareVersion,
        h.vmotionLinkMbps,
        h.memoryBytes,
        h.cpuCores,
        h.cpuMhzPerCore,
        Math.max(0, memoryUsed + h.otherMemoryUsageMb),
        Math.max(0, cpuUsed + h.otherCpuUsageMhz));
  }

  DatastoreInfo datastoreInfo(Ds d) {
    long free = PlacementRules.freeBytes(d, estate.files.usedBytes(d.name));
    return new DatastoreInfo(d.id, d.name, d.capacity, free, d.accessible, d.customValues);
  }

  Inventory inventory(boolean withVms) {
    return new Inventory(
        estate.datacenters.values().stream()
            .map(d -> new DatacenterInfo(d.id, d.name, d.vmFolder))
            .toList(),
        estate.clusters.values().stream()
            .map(c -> new ClusterInfo(c.id, c.name, c.dc, c.rootPool, c.hosts))
            .toList(),
        estate.hosts.values().stream().map(this::hostInfo).toList(),
        estate.datastores.values().stream().map(this::datastoreInfo).toList(),
        estate.networks.values().stream()
            .map(n -> new NetworkInfo(n.id, n.name, n.distributed, n.switchUuid, n.portgroupKey))
            .toList(),
        estate.pools.values().stream()
            .map(p -> new ResourcePoolInfo(p.id, p.name, p.owner, p.parent))
            .toList(),
        estate.folders.values().stream().map(f -> new FolderInfo(f.id, f.name, f.parent)).toList(),
        withVms ? estate.vms.values().stream().map(this::vmInfo).toList() : List.of());
  }
}

package dev.vmigrate.model;

import java.util.List;

/**
 * Where a VM is: everything a rollback needs to put it back exactly.
 *
 * @param vcenter vCenter id
 * @param host managed object id of the host
 * @param cluster managed object id of the cluster, or null for a standalone host
 * @param resourcePool managed object id of the resource pool
 * @param folder managed object id of the VM folder
 * @param vmPathName the .vmx path, e.g. "[ds-1] web01/web01.vmx"
 * @param vmxDatastore managed object id of the datastore holding the .vmx
 * @param disks disks with their datastores
 * @param nics NICs with their networks
 * @param powerState power state
 */
public record Placement(
    String vcenter,
    String host,
    String cluster,
    String resourcePool,
    String folder,
    String vmPathName,
    String vmxDatastore,
    List<VirtualDisk> disks,
    List<VirtualNic> nics,
    PowerState powerState) {

  public Placement {
    disks = disks == null ? List.of() : List.copyOf(disks);
    nics = nics == null ? List.of() : List.copyOf(nics);
  }

  /** Total provisioned bytes of the disks, which is what a storage migration copies. */
  public long totalDiskBytes() {
    return disks.stream().mapToLong(VirtualDisk::capacityBytes).sum();
  }
}

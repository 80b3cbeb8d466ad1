package dev.vmigrate.model;

import java.util.List;

/**
 * Where SelectDestination decided the VM goes, by managed object ids in the destination vCenter.
 *
 * @param vcenter destination vCenter id
 * @param host destination host
 * @param cluster destination cluster, or null for a standalone host
 * @param resourcePool destination resource pool
 * @param folder destination VM folder
 * @param vmxDatastore datastore for the VM's configuration files
 * @param disks destination datastore per disk
 * @param nics destination network per NIC
 * @param choice why this host: score and hosts filtered out; null in histories written before it
 *     was recorded
 */
public record Destination(
    String vcenter,
    String host,
    String cluster,
    String resourcePool,
    String folder,
    String vmxDatastore,
    List<DiskLocator> disks,
    List<NicBackingChange> nics,
    HostChoice choice) {

  public Destination {
    disks = disks == null ? List.of() : List.copyOf(disks);
    nics = nics == null ? List.of() : List.copyOf(nics);
  }

  /**
   * The host for an operator: "esx-02-03 (host-17)", or the id alone when no choice is recorded.
   */
  public String hostLabel() {
    String name = choice == null ? null : choice.hostName();
    return name == null ? host : name + " (" + host + ")";
  }
}

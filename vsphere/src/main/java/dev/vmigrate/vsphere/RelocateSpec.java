package dev.vmigrate.vsphere;

import dev.vmigrate.model.DiskLocator;
import dev.vmigrate.model.NicBackingChange;
import java.util.List;

/**
 * vSphere's VirtualMachineRelocateSpec, reduced to what a migration needs. A null field leaves that
 * aspect of the VM as it is.
 *
 * @param host destination host
 * @param resourcePool destination resource pool
 * @param folder destination folder
 * @param datastore datastore for the .vmx and any disk without a locator
 * @param disks datastore per disk
 * @param nics NIC backing changes
 */
public record RelocateSpec(
    String host,
    String resourcePool,
    String folder,
    String datastore,
    List<DiskLocator> disks,
    List<NicBackingChange> nics) {

  public RelocateSpec {
    disks = disks == null ? List.of() : List.copyOf(disks);
    nics = nics == null ? List.of() : List.copyOf(nics);
  }
}

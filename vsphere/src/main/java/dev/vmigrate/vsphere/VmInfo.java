package dev.vmigrate.vsphere;

import dev.vmigrate.model.Placement;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VirtualNic;
import dev.vmigrate.model.VmIdentity;
import java.util.List;
import java.util.Map;

/**
 * One VM as read from vSphere.
 *
 * @param id managed object id
 * @param name inventory name
 * @param instanceUuid config.instanceUuid
 * @param biosUuid config.uuid
 * @param powerState runtime.powerState
 * @param connectionState runtime.connectionState ("connected", "disconnected", "orphaned",
 *     "inaccessible", "invalid")
 * @param template config.template
 * @param host runtime.host
 * @param cluster the host's cluster, or null
 * @param resourcePool resourcePool
 * @param folder parent folder
 * @param vmPathName config.files.vmPathName
 * @param vmxDatastore the datastore of vmPathName
 * @param hardwareVersion config.version, e.g. "vmx-19"
 * @param guestId config.guestId
 * @param cpus config.hardware.numCPU
 * @param memoryMb config.hardware.memoryMB
 * @param disks virtual disks
 * @param nics virtual NICs
 * @param cdromHostDevice whether a CD-ROM is backed by a host device
 * @param snapshots snapshot names in tree order (depth first)
 * @param customValues custom attributes by field name
 */
public record VmInfo(
    String id,
    String name,
    String instanceUuid,
    String biosUuid,
    PowerState powerState,
    String connectionState,
    boolean template,
    String host,
    String cluster,
    String resourcePool,
    String folder,
    String vmPathName,
    String vmxDatastore,
    String hardwareVersion,
    String guestId,
    int cpus,
    long memoryMb,
    List<VirtualDisk> disks,
    List<VirtualNic> nics,
    boolean cdromHostDevice,
    List<String> snapshots,
    Map<String, String> customValues) {

  public VmInfo {
    disks = disks == null ? List.of() : List.copyOf(disks);
    nics = nics == null ? List.of() : List.copyOf(nics);
    snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
    customValues = customValues == null ? Map.of() : Map.copyOf(customValues);
  }

  /** This VM with other disks and NICs, everything else unchanged. */
  public VmInfo withDevices(List<VirtualDisk> disks, List<VirtualNic> nics) {
    return copy(cluster, vmxDatastore, disks, nics);
  }

  /** This VM in another cluster, its configuration file on another datastore. */
  public VmInfo withPlacement(String cluster, String vmxDatastore) {
    return copy(cluster, vmxDatastore, disks, nics);
  }

  private VmInfo copy(
      String cluster, String vmxDatastore, List<VirtualDisk> disks, List<VirtualNic> nics) {
    return new VmInfo(
        id,
        name,
        instanceUuid,
        biosUuid,
        powerState,
        connectionState,
        template,
        host,
        cluster,
        resourcePool,
        folder,
        vmPathName,
        vmxDatastore,
        hardwareVersion,
        guestId,
        cpus,
        memoryMb,
        disks,
        nics,
        cdromHostDevice,
        snapshots,
        customValues);
  }

  public VmIdentity identity() {
    return new VmIdentity(id, name, instanceUuid, biosUuid);
  }

  public Placement placement(String vcenterId) {
    return new Placement(
        vcenterId,
        host,
        cluster,
        resourcePool,
        folder,
        vmPathName,
        vmxDatastore,
        disks,
        nics,
        powerState);
  }

  /** A custom attribute's value, or null when unset or empty. */
  public String customValue(String key) {
    String v = customValues.get(key);
    return v == null || v.isEmpty() ? null : v;
  }
}

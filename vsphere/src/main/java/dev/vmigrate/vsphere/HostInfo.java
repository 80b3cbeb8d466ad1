package dev.vmigrate.vsphere;

import java.util.List;

/**
 * One ESXi host.
 *
 * @param id managed object id
 * @param name inventory name
 * @param cluster owning cluster, or null for a standalone host
 * @param connectionState "connected", "disconnected" or "notResponding"
 * @param inMaintenanceMode runtime.inMaintenanceMode
 * @param datastores datastores the host mounts
 * @param networks networks and port groups the host sees
 * @param cpuVendor "intel" or "amd"
 * @param maxHardwareVersion the newest VM hardware version the host runs, e.g. "vmx-19"
 * @param vmotionLinkMbps speed of the vMotion link, which sets vCenter's per-network limit (4 on 1
 *     GbE, 8 on 10 GbE)
 */
public record HostInfo(
    String id,
    String name,
    String cluster,
    String connectionState,
    boolean inMaintenanceMode,
    List<String> datastores,
    List<String> networks,
    String cpuVendor,
    String maxHardwareVersion,
    long vmotionLinkMbps) {

  public HostInfo {
    datastores = datastores == null ? List.of() : List.copyOf(datastores);
    networks = networks == null ? List.of() : List.copyOf(networks);
  }

  public boolean usable() {
    return "connected".equals(connectionState) && !inMaintenanceMode;
  }
}

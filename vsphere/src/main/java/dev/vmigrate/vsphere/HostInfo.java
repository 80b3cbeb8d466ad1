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
 * @param memoryBytes summary.hardware.memorySize; 0 when unknown
 * @param cpuCores summary.hardware.numCpuCores; 0 when unknown
 * @param cpuMhzPerCore summary.hardware.cpuMhz (the speed of one core); 0 when unknown
 * @param memoryUsageMb summary.quickStats.overallMemoryUsage (MB in use by the host's VMs)
 * @param cpuUsageMhz summary.quickStats.overallCpuUsage (MHz in use by the host's VMs)
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
    long vmotionLinkMbps,
    long memoryBytes,
    int cpuCores,
    long cpuMhzPerCore,
    long memoryUsageMb,
    long cpuUsageMhz) {

  public HostInfo {
    datastores = datastores == null ? List.of() : List.copyOf(datastores);
    networks = networks == null ? List.of() : List.copyOf(networks);
  }

  public boolean usable() {
    return "connected".equals(connectionState) && !inMaintenanceMode;
  }

  /** Whether the host reported its memory and CPU capacity. */
  public boolean capacityKnown() {
    return memoryBytes > 0 && cpuCores > 0 && cpuMhzPerCore > 0;
  }

  /** Physical memory in MB (MiB, as vSphere counts it). */
  public long memoryMb() {
    return memoryBytes >> 20;
  }

  /** CPU capacity in MHz: cores times the speed of one. */
  public long cpuMhz() {
    return cpuCores * cpuMhzPerCore;
  }
}

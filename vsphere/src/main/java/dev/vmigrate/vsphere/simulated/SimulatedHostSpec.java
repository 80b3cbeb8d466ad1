package dev.vmigrate.vsphere.simulated;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A host's settings; defaults: connected, intel, vmx-21, 10 GbE vMotion link, 256 GiB of memory, 32
 * cores of 2600 MHz. Its usage is not a setting: the simulator counts the configured memory and one
 * full core per vCPU of each powered-on VM on the host.
 */
public final class SimulatedHostSpec {
  Set<String> datastores;
  Set<String> networks;
  String connectionState = "connected";
  boolean maintenance;
  String cpuVendor = "intel";
  String maxHardwareVersion = "vmx-21";
  long vmotionLinkMbps = 10_000;
  long memoryMb = 256 * 1024;
  int cpuCores = 32;
  long cpuMhzPerCore = 2600;

  /** The datastores it mounts, by name (default: all of its datacenter). */
  public SimulatedHostSpec datastores(String... names) {
    datastores = new LinkedHashSet<>(List.of(names));
    return this;
  }

  /** The networks it sees, by name (default: all of its datacenter). */
  public SimulatedHostSpec networks(String... names) {
    networks = new LinkedHashSet<>(List.of(names));
    return this;
  }

  public SimulatedHostSpec connectionState(String state) {
    connectionState = state;
    return this;
  }

  public SimulatedHostSpec maintenanceMode() {
    maintenance = true;
    return this;
  }

  public SimulatedHostSpec cpuVendor(String vendor) {
    cpuVendor = vendor;
    return this;
  }

  public SimulatedHostSpec maxHardwareVersion(String version) {
    maxHardwareVersion = version;
    return this;
  }

  public SimulatedHostSpec vmotionLinkMbps(long mbps) {
    vmotionLinkMbps = mbps;
    return this;
  }

  public SimulatedHostSpec memoryMb(long mb) {
    memoryMb = mb;
    return this;
  }

  /** CPU capacity: this many cores of this speed. */
  public SimulatedHostSpec cpu(int cores, long mhzPerCore) {
    cpuCores = cores;
    cpuMhzPerCore = mhzPerCore;
    return this;
  }
}

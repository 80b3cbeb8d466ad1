package dev.vmigrate.vsphere.simulated;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A host's settings; defaults: connected, intel, vmx-21, 10 GbE vMotion link. */
public final class SimulatedHostSpec {
  Set<String> datastores;
  Set<String> networks;
  String connectionState = "connected";
  boolean maintenance;
  String cpuVendor = "intel";
  String maxHardwareVersion = "vmx-21";
  long vmotionLinkMbps = 10_000;

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
}

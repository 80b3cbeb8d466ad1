package dev.vmigrate.vsphere.simulated;

import dev.vmigrate.model.DiskMode;
import dev.vmigrate.model.PowerState;
import java.util.ArrayList;
import java.util.List;

/** A VM's settings; defaults: powered on, vmx-19, 2 vCPU, 4 GiB, tools running. */
public final class SimulatedVmSpec {
  record DiskDecl(String datastore, long bytes, DiskMode mode, boolean rdm) {}

  String host;
  String pool;
  String folder;
  String vmxDatastore;
  final List<DiskDecl> disks = new ArrayList<>();
  final List<String[]> nics = new ArrayList<>();
  final List<String> snapshots = new ArrayList<>();
  PowerState power = PowerState.POWERED_ON;
  String instanceUuid;
  String biosUuid;
  boolean template;
  boolean cdromHostDevice;
  boolean tools = true;
  String hardwareVersion = "vmx-19";
  String guestId = "otherLinux64Guest";
  int cpus = 2;
  long memoryMb = 4096;

  /** The host by name (default: the current cluster's first host). */
  public SimulatedVmSpec host(String name) {
    host = name;
    return this;
  }

  /** The resource pool by name in the host's cluster (default: the root pool). */
  public SimulatedVmSpec pool(String name) {
    pool = name;
    return this;
  }

  /** The VM folder by name (default: the datacenter's VM folder). */
  public SimulatedVmSpec folder(String name) {
    folder = name;
    return this;
  }

  /** The datastore of the .vmx (default: the first disk's). */
  public SimulatedVmSpec vmxDatastore(String name) {
    vmxDatastore = name;
    return this;
  }

  public SimulatedVmSpec disk(String datastore, long bytes) {
    return disk(datastore, bytes, DiskMode.PERSISTENT);
  }

  public SimulatedVmSpec disk(String datastore, long bytes, DiskMode mode) {
    disks.add(new DiskDecl(datastore, bytes, mode, false));
    return this;
  }

  /** A raw device mapping whose mapping file lives on the datastore. */
  public SimulatedVmSpec rdmDisk(String datastore, long bytes) {
    disks.add(new DiskDecl(datastore, bytes, DiskMode.INDEPENDENT_PERSISTENT, true));
    return this;
  }

  public SimulatedVmSpec nic(String network) {
    return nic(network, null);
  }

  public SimulatedVmSpec nic(String network, String macAddress) {
    nics.add(new String[] {network, macAddress});
    return this;
  }

  public SimulatedVmSpec snapshots(String... names) {
    snapshots.addAll(List.of(names));
    return this;
  }

  public SimulatedVmSpec poweredOff() {
    power = PowerState.POWERED_OFF;
    return this;
  }

  public SimulatedVmSpec powerState(PowerState state) {
    power = state;
    return this;
  }

  public SimulatedVmSpec instanceUuid(String uuid) {
    instanceUuid = uuid;
    return this;
  }

  public SimulatedVmSpec biosUuid(String uuid) {
    biosUuid = uuid;
    return this;
  }

  public SimulatedVmSpec template() {
    template = true;
    power = PowerState.POWERED_OFF;
    return this;
  }

  public SimulatedVmSpec cdromHostDevice() {
    cdromHostDevice = true;
    return this;
  }

  /** No VMware Tools: a guest shutdown request is accepted but the guest never goes down. */
  public SimulatedVmSpec withoutTools() {
    tools = false;
    return this;
  }

  public SimulatedVmSpec hardwareVersion(String version) {
    hardwareVersion = version;
    return this;
  }

  public SimulatedVmSpec guestId(String id) {
    guestId = id;
    return this;
  }

  public SimulatedVmSpec cpus(int n) {
    cpus = n;
    return this;
  }

  public SimulatedVmSpec memoryMb(long mb) {
    memoryMb = mb;
    return this;
  }
}

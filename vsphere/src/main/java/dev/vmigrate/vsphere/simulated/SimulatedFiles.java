package dev.vmigrate.vsphere.simulated;

import dev.vmigrate.model.DiskMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The VM files on the simulated datastores: each VM's configuration (UUIDs, disks, NICs, snapshots)
 * by .vmx path. Files outlive registration, which is how an unregistered VM comes back with the
 * same UUIDs. Datastores and networks are named (as in a .vmx), not by managed object id, so one
 * instance can be shared by two simulated vCenters that mount the same datastores (cross-vCenter
 * re-registration). Thread-safe.
 */
public final class SimulatedFiles {
  private final Map<String, VmConfig> byPath = new HashMap<>();
  private final Map<String, Long> usedBytes = new HashMap<>();

  synchronized VmConfig get(String vmxPath) {
    return byPath.get(vmxPath);
  }

  synchronized void put(VmConfig config) {
    byPath.put(config.vmxPath, config);
    for (DiskFile d : config.disks) {
      account(d, 1);
    }
  }

  /** Takes over every VM's files of another instance (a builder switching to shared files). */
  void adopt(SimulatedFiles other) {
    List<VmConfig> configs;
    synchronized (other) {
      configs = new ArrayList<>(other.byPath.values());
    }
    configs.forEach(this::put);
  }

  /** Moves a disk file to another path, keeping the per-datastore usage in step. */
  synchronized void moveDisk(DiskFile disk, String newFileName) {
    account(disk, -1);
    disk.fileName = newFileName;
    account(disk, 1);
  }

  private void account(DiskFile d, int sign) {
    if (!d.rdm) {
      usedBytes.merge(datastoreName(d.fileName), sign * d.capacityBytes, Long::sum);
    }
  }

  synchronized void rename(VmConfig config, String newPath) {
    byPath.remove(config.vmxPath);
    config.vmxPath = newPath;
    byPath.put(newPath, config);
  }

  /** Whether a .vmx exists at this path. */
  public synchronized boolean exists(String vmxPath) {
    return byPath.containsKey(vmxPath);
  }

  /** Bytes used by VM disks on a datastore (raw device mappings use none). */
  synchronized long usedBytes(String datastoreName) {
    return usedBytes.getOrDefault(datastoreName, 0L);
  }

  /** The datastore name in a "[name] dir/file" path. */
  static String datastoreName(String path) {
    int end = path.indexOf(']');
    return path.startsWith("[") && end > 0 ? path.substring(1, end) : null;
  }

  /** The "dir/file" part of a "[name] dir/file" path. */
  static String relativePath(String path) {
    int end = path.indexOf(']');
    return end < 0 ? path : path.substring(end + 1).trim();
  }

  static String onDatastore(String datastoreName, String path) {
    return "[" + datastoreName + "] " + relativePath(path);
  }

  /** What a .vmx and its disks hold. Mutable; guarded by the owning simulator's lock. */
  static final class VmConfig {
    String vmxPath;
    String instanceUuid;
    String biosUuid;
    String hardwareVersion;
    String guestId;
    int cpus;
    long memoryMb;
    boolean template;
    boolean cdromHostDevice;
    boolean toolsInstalled;
    final List<DiskFile> disks = new ArrayList<>();
    final List<NicConfig> nics = new ArrayList<>();
    final List<String> snapshots = new ArrayList<>();
  }

  static final class DiskFile {
    final int key;
    final String label;
    String fileName;
    final long capacityBytes;
    final DiskMode mode;
    final boolean rdm;

    DiskFile(
        int key, String label, String fileName, long capacityBytes, DiskMode mode, boolean rdm) {
      this.key = key;
      this.label = label;
      this.fileName = fileName;
      this.capacityBytes = capacityBytes;
      this.mode = mode;
      this.rdm = rdm;
    }
  }

  static final class NicConfig {
    final int key;
    final String label;
    final String macAddress;
    String networkName;
    // The network's managed object id where names are ambiguous (a copy); used while it names a
    // network of that name in the vCenter that reads it, else the network is found by name.
    String networkId;
    String addressType = "assigned";
    // Connected now, and whether it connects at power-on; null when not known (as read).
    Boolean connected;
    Boolean startConnected = Boolean.TRUE;

    NicConfig(int key, String label, String macAddress, String networkName) {
      this.key = key;
      this.label = label;
      this.macAddress = macAddress;
      this.networkName = networkName;
    }
  }
}

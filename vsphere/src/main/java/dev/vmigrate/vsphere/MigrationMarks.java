package dev.vmigrate.vsphere;

import dev.vmigrate.model.PowerState;
import java.util.List;
import java.util.Map;

/**
 * What vmigrate has written into one vCenter's custom attributes: every VM and every datastore that
 * carries at least one {@code vmigrate.} attribute, with just enough of each VM's placement to tell
 * whether it is where its origin record says. Read in one bulk property read ({@link
 * VsphereGateway#migrationMarks}), so that {@code vmigrate recover} works from vCenter alone.
 *
 * @param vcenterId the vCenter read
 * @param vms the marked VMs, in the order vCenter lists them
 * @param datastores the marked datastores (capacity reservations)
 */
public record MigrationMarks(
    String vcenterId, List<MarkedVm> vms, List<MarkedDatastore> datastores) {

  /** The prefix of every custom attribute vmigrate writes. */
  public static final String PREFIX = "vmigrate.";

  public MigrationMarks {
    vms = vms == null ? List.of() : List.copyOf(vms);
    datastores = datastores == null ? List.of() : List.copyOf(datastores);
  }

  /**
   * One VM with vmigrate's marks.
   *
   * @param id managed object id
   * @param name inventory name
   * @param instanceUuid config.instanceUuid
   * @param powerState runtime.powerState
   * @param host runtime.host
   * @param resourcePool resourcePool
   * @param vmxDatastore the datastore of config.files.vmPathName
   * @param marks the non-empty {@code vmigrate.} attributes by field name
   */
  public record MarkedVm(
      String id,
      String name,
      String instanceUuid,
      PowerState powerState,
      String host,
      String resourcePool,
      String vmxDatastore,
      Map<String, String> marks) {
    public MarkedVm {
      marks = marks == null ? Map.of() : Map.copyOf(marks);
    }

    /** A mark's value, or null when unset. */
    public String mark(String key) {
      return marks.get(key);
    }
  }

  /**
   * One datastore with vmigrate's marks.
   *
   * @param id managed object id
   * @param name datastore name
   * @param marks the non-empty {@code vmigrate.} attributes by field name
   */
  public record MarkedDatastore(String id, String name, Map<String, String> marks) {
    public MarkedDatastore {
      marks = marks == null ? Map.of() : Map.copyOf(marks);
    }

    public String mark(String key) {
      return marks.get(key);
    }
  }

  /** The non-empty {@code vmigrate.} entries of a custom attribute map. */
  public static Map<String, String> ofVmigrate(Map<String, String> customValues) {
    Map<String, String> out = new java.util.TreeMap<>();
    customValues.forEach(
        (k, v) -> {
          if (k.startsWith(PREFIX) && v != null && !v.isEmpty()) {
            out.put(k, v);
          }
        });
    return out;
  }
}

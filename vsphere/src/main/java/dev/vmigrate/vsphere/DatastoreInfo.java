package dev.vmigrate.vsphere;

import java.util.Map;

/**
 * One datastore.
 *
 * @param id managed object id
 * @param name inventory name (what appears between brackets in file paths)
 * @param capacityBytes summary.capacity
 * @param freeBytes summary.freeSpace
 * @param accessible summary.accessible
 * @param customValues custom attributes by field name (e.g. capacity reservations of migrations)
 */
public record DatastoreInfo(
    String id,
    String name,
    long capacityBytes,
    long freeBytes,
    boolean accessible,
    Map<String, String> customValues) {

  public DatastoreInfo {
    customValues = customValues == null ? Map.of() : Map.copyOf(customValues);
  }

  /** A datastore without custom attributes. */
  public DatastoreInfo(
      String id, String name, long capacityBytes, long freeBytes, boolean accessible) {
    this(id, name, capacityBytes, freeBytes, accessible, Map.of());
  }

  /** A custom attribute's value, or null when unset or empty. */
  public String customValue(String key) {
    String v = customValues.get(key);
    return v == null || v.isEmpty() ? null : v;
  }
}

package dev.vmigrate.vsphere;

/**
 * One datastore.
 *
 * @param id managed object id
 * @param name inventory name (what appears between brackets in file paths)
 * @param capacityBytes summary.capacity
 * @param freeBytes summary.freeSpace
 * @param accessible summary.accessible
 */
public record DatastoreInfo(
    String id, String name, long capacityBytes, long freeBytes, boolean accessible) {}

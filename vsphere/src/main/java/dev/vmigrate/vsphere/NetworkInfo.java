package dev.vmigrate.vsphere;

/**
 * A standard network or a distributed port group.
 *
 * @param id managed object id ("network-9" or "dvportgroup-3")
 * @param name inventory name
 * @param distributed whether it is a distributed port group
 * @param switchUuid the distributed switch's UUID (null for a standard network)
 * @param portgroupKey the port group key (null for a standard network)
 */
public record NetworkInfo(
    String id, String name, boolean distributed, String switchUuid, String portgroupKey) {}

package dev.vmigrate.vsphere;

/**
 * A datacenter.
 *
 * @param id managed object id
 * @param name inventory name
 * @param vmFolder its root VM folder
 */
public record DatacenterInfo(String id, String name, String vmFolder) {}

package dev.vmigrate.vsphere;

/**
 * A VM folder.
 *
 * @param id managed object id
 * @param name inventory name
 * @param parent parent folder or datacenter
 */
public record FolderInfo(String id, String name, String parent) {}

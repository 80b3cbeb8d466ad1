package dev.vmigrate.vsphere;

/**
 * A resource pool.
 *
 * @param id managed object id
 * @param name inventory name ("Resources" for a root pool)
 * @param owner the cluster or host it belongs to
 * @param parent the parent pool, or null for a root pool
 */
public record ResourcePoolInfo(String id, String name, String owner, String parent) {}

package dev.vmigrate.model;

/**
 * Maps a source cluster to a destination cluster, resource pool and folder, all by inventory name.
 *
 * @param source source cluster name
 * @param destination destination cluster name
 * @param resourcePool destination resource pool name; null means the cluster's root pool
 * @param folder destination VM folder name; null means the VM keeps its folder (same vCenter) or
 *     the datacenter's VM folder (other vCenter)
 */
public record ClusterMapping(
    String source, String destination, String resourcePool, String folder) {}

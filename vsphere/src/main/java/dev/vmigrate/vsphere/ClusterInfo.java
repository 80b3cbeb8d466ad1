package dev.vmigrate.vsphere;

import java.util.List;

/**
 * One cluster.
 *
 * @param id managed object id
 * @param name inventory name
 * @param datacenter owning datacenter
 * @param rootResourcePool the cluster's root resource pool
 * @param hosts member hosts
 */
public record ClusterInfo(
    String id, String name, String datacenter, String rootResourcePool, List<String> hosts) {

  public ClusterInfo {
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
  }
}

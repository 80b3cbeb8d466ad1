package dev.vmigrate.vsphere;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** A snapshot of one vCenter's inventory, with look-ups by id and by name. */
public record Inventory(
    List<DatacenterInfo> datacenters,
    List<ClusterInfo> clusters,
    List<HostInfo> hosts,
    List<DatastoreInfo> datastores,
    List<NetworkInfo> networks,
    List<ResourcePoolInfo> resourcePools,
    List<FolderInfo> folders,
    List<VmInfo> vms) {

  public Inventory {
    datacenters = List.copyOf(datacenters);
    clusters = List.copyOf(clusters);
    hosts = List.copyOf(hosts);
    datastores = List.copyOf(datastores);
    networks = List.copyOf(networks);
    resourcePools = List.copyOf(resourcePools);
    folders = List.copyOf(folders);
    vms = List.copyOf(vms);
  }

  public Optional<ClusterInfo> clusterByName(String name) {
    return byKey(clusters, ClusterInfo::name, name);
  }

  public Optional<ClusterInfo> cluster(String id) {
    return byKey(clusters, ClusterInfo::id, id);
  }

  public Optional<HostInfo> host(String id) {
    return byKey(hosts, HostInfo::id, id);
  }

  public Optional<DatastoreInfo> datastoreByName(String name) {
    return byKey(datastores, DatastoreInfo::name, name);
  }

  public Optional<DatastoreInfo> datastore(String id) {
    return byKey(datastores, DatastoreInfo::id, id);
  }

  public Optional<NetworkInfo> networkByName(String name) {
    return byKey(networks, NetworkInfo::name, name);
  }

  public Optional<NetworkInfo> network(String id) {
    return byKey(networks, NetworkInfo::id, id);
  }

  public Optional<ResourcePoolInfo> resourcePool(String id) {
    return byKey(resourcePools, ResourcePoolInfo::id, id);
  }

  public Optional<FolderInfo> folderByName(String name) {
    return byKey(folders, FolderInfo::name, name);
  }

  public Optional<FolderInfo> folder(String id) {
    return byKey(folders, FolderInfo::id, id);
  }

  public Optional<VmInfo> vm(String id) {
    return byKey(vms, VmInfo::id, id);
  }

  public Optional<VmInfo> vmByName(String name) {
    return byKey(vms, VmInfo::name, name);
  }

  public Optional<VmInfo> vmByInstanceUuid(String uuid) {
    return vms.stream().filter(v -> uuid.equalsIgnoreCase(v.instanceUuid())).findFirst();
  }

  private static <T> Optional<T> byKey(List<T> items, Function<T, String> key, String value) {
    return items.stream().filter(i -> value != null && value.equals(key.apply(i))).findFirst();
  }
}

package dev.vmigrate.vsphere;

import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VirtualNic;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Resolves what a VM uses in the source vCenter through an {@link InfrastructureMapping} to what it
 * is to use in the destination vCenter: its cluster's mapping and destination cluster, the
 * destination datastore of each datastore it occupies, the destination network of each NIC.
 *
 * <p>The rules: a VM refers to objects by managed object id, the mapping by inventory name. A
 * source id is named through the source inventory, the name is looked up in the mapping (clusters
 * by {@link InfrastructureMapping#clusterFor}, datastores and networks by their maps), and the
 * mapped name is looked up by name in the destination inventory. What cannot be resolved is
 * reported as an {@link Outcome}, never thrown, so that each caller words its own error.
 *
 * <p>Two rules differ between callers and are chosen here:
 *
 * <ul>
 *   <li>a source id that the source inventory does not know cannot be resolved ({@link
 *       Outcome#UNKNOWN_SOURCE}), or, after {@link #namingUnknownByIds()}, is named by the id
 *       itself;
 *   <li>a datastore the mapping has no entry for cannot be resolved ({@link Outcome#UNMAPPED}), or,
 *       after {@link #keepingUnmappedDatastoreNames()}, maps to a datastore of its own name.
 *       Clusters and networks are always unresolved when unmapped.
 * </ul>
 *
 * Without a destination inventory, resolution stops at the mapped name ({@link Outcome#MAPPED}).
 */
public final class MappingResolver {

  /** How far a source object resolved. */
  public enum Outcome {
    /** The source inventory does not know the source id. */
    UNKNOWN_SOURCE,
    /** The mapping has no entry for the source name. */
    UNMAPPED,
    /** The mapping names a destination; there was no destination inventory to look it up in. */
    MAPPED,
    /** The mapping names a destination that the destination inventory does not have. */
    MISSING_DESTINATION,
    /** The mapping names a destination that the destination inventory has. */
    RESOLVED
  }

  /**
   * One datastore or network, resolved.
   *
   * @param outcome how far it resolved
   * @param sourceId the source managed object id
   * @param sourceName its source inventory name (the id when unknown and named by id); null when
   *     {@link Outcome#UNKNOWN_SOURCE} or when a null id was named by id
   * @param destinationName the mapped name, or null when not mapped
   * @param destination the destination object, or null unless {@link Outcome#RESOLVED}
   */
  public record Resolution<T>(
      Outcome outcome, String sourceId, String sourceName, String destinationName, T destination) {

    /** Whether the mapping names a destination (which may still not exist). */
    public boolean mapped() {
      return MappingResolver.mapped(outcome);
    }
  }

  /**
   * A cluster, resolved.
   *
   * @param outcome how far it resolved
   * @param sourceId the source cluster's managed object id
   * @param sourceName its source inventory name (the id when unknown and named by id); null when
   *     {@link Outcome#UNKNOWN_SOURCE} or when a null id (a host outside any cluster) was named by
   *     id
   * @param mapping the cluster mapping, or null when not mapped
   * @param destination the destination cluster, or null unless {@link Outcome#RESOLVED}
   */
  public record ClusterResolution(
      Outcome outcome,
      String sourceId,
      String sourceName,
      ClusterMapping mapping,
      ClusterInfo destination) {

    /** Whether the mapping has an entry for the cluster (whose destination may still not exist). */
    public boolean mapped() {
      return MappingResolver.mapped(outcome);
    }
  }

  /**
   * Everything of one VM, resolved.
   *
   * @param cluster the VM's cluster
   * @param datastores the datastores it occupies, in {@link #datastoreIds} order
   * @param networks the network of each NIC, in NIC order
   */
  public record VmResolution(
      ClusterResolution cluster,
      List<Resolution<DatastoreInfo>> datastores,
      List<Resolution<NetworkInfo>> networks) {}

  private final InfrastructureMapping mapping;
  private final Inventory source;
  private final Inventory destination;
  private final boolean unknownNamedById;
  private final boolean unmappedDatastoreKeepsName;

  /**
   * A resolver with the strict rules: unknown source ids and unmapped datastores are unresolved.
   *
   * @param destination the destination inventory, or null to resolve only up to the mapped names
   */
  public MappingResolver(InfrastructureMapping mapping, Inventory source, Inventory destination) {
    this(mapping, source, destination, false, false);
  }

  private MappingResolver(
      InfrastructureMapping mapping,
      Inventory source,
      Inventory destination,
      boolean unknownNamedById,
      boolean unmappedDatastoreKeepsName) {
    this.mapping = mapping;
    this.source = source;
    this.destination = destination;
    this.unknownNamedById = unknownNamedById;
    this.unmappedDatastoreKeepsName = unmappedDatastoreKeepsName;
  }

  /** This resolver, but a source id the source inventory does not know is named by the id. */
  public MappingResolver namingUnknownByIds() {
    return new MappingResolver(mapping, source, destination, true, unmappedDatastoreKeepsName);
  }

  /** This resolver, but a datastore without a mapping entry maps to the datastore of its name. */
  public MappingResolver keepingUnmappedDatastoreNames() {
    return new MappingResolver(mapping, source, destination, unknownNamedById, true);
  }

  /** The mapping of the source cluster with this id, and the destination cluster it names. */
  public ClusterResolution cluster(String sourceClusterId) {
    Optional<String> known = source.cluster(sourceClusterId).map(ClusterInfo::name);
    if (unknown(known)) {
      return new ClusterResolution(Outcome.UNKNOWN_SOURCE, sourceClusterId, null, null, null);
    }
    String name = known.orElse(sourceClusterId);
    ClusterMapping cm = mapping.clusterFor(name).orElse(null);
    if (cm == null) {
      return new ClusterResolution(Outcome.UNMAPPED, sourceClusterId, name, null, null);
    }
    if (destination == null) {
      return new ClusterResolution(Outcome.MAPPED, sourceClusterId, name, cm, null);
    }
    ClusterInfo found = destination.clusterByName(cm.destination()).orElse(null);
    Outcome outcome = found == null ? Outcome.MISSING_DESTINATION : Outcome.RESOLVED;
    return new ClusterResolution(outcome, sourceClusterId, name, cm, found);
  }

  /** The destination datastore of the source datastore with this id. */
  public Resolution<DatastoreInfo> datastore(String sourceDatastoreId) {
    return resolve(
        sourceDatastoreId,
        source.datastore(sourceDatastoreId).map(DatastoreInfo::name),
        name -> {
          String mapped = mapping.datastores().get(name);
          return mapped == null && unmappedDatastoreKeepsName ? name : mapped;
        },
        Inventory::datastoreByName);
  }

  /** The destination network of the source network with this id. */
  public Resolution<NetworkInfo> network(String sourceNetworkId) {
    return resolve(
        sourceNetworkId,
        source.network(sourceNetworkId).map(NetworkInfo::name),
        name -> mapping.networks().get(name),
        Inventory::networkByName);
  }

  /** A VM's cluster, the datastores it occupies and its NICs' networks. */
  public VmResolution vm(VmInfo vm) {
    List<Resolution<DatastoreInfo>> datastores = new ArrayList<>();
    for (String id : datastoreIds(vm)) {
      datastores.add(datastore(id));
    }
    List<Resolution<NetworkInfo>> networks = new ArrayList<>();
    for (VirtualNic nic : vm.nics()) {
      networks.add(network(nic.network()));
    }
    return new VmResolution(cluster(vm.cluster()), datastores, networks);
  }

  /**
   * The destination resource pool a cluster mapping names: in {@code cluster} (at any depth) when
   * given, anywhere in the destination inventory when null. Empty when the mapping names none or
   * none of that name exists.
   */
  public Optional<ResourcePoolInfo> resourcePool(ClusterMapping cm, ClusterInfo cluster) {
    Inventory to = requireDestination();
    if (cm.resourcePool() == null) {
      return Optional.empty();
    }
    return to.resourcePools().stream()
        .filter(p -> p.name().equals(cm.resourcePool()))
        .filter(p -> cluster == null || inCluster(to, p, cluster.id()))
        .findFirst();
  }

  /**
   * The destination VM folder a cluster mapping names; empty when it names none or none of that
   * name exists.
   */
  public Optional<FolderInfo> folder(ClusterMapping cm) {
    Inventory to = requireDestination();
    return cm.folder() == null ? Optional.empty() : to.folderByName(cm.folder());
  }

  /** The datastores a VM occupies: its configuration file's and its disks', without repeats. */
  public static List<String> datastoreIds(VmInfo vm) {
    Set<String> ids = new LinkedHashSet<>();
    if (vm.vmxDatastore() != null) {
      ids.add(vm.vmxDatastore());
    }
    for (VirtualDisk d : vm.disks()) {
      if (d.datastore() != null) {
        ids.add(d.datastore());
      }
    }
    return new ArrayList<>(ids);
  }

  /** Whether a source object that the source inventory did (not) name stays unresolved. */
  private boolean unknown(Optional<String> known) {
    return known.isEmpty() && !unknownNamedById;
  }

  /**
   * Resolves a datastore or network: {@code known} is its source name if the source inventory has
   * it, {@code mappedName} gives the mapped name of a source name (null: unmapped), {@code byName}
   * finds a destination object by name.
   */
  private <T> Resolution<T> resolve(
      String sourceId,
      Optional<String> known,
      UnaryOperator<String> mappedName,
      BiFunction<Inventory, String, Optional<T>> byName) {
    if (unknown(known)) {
      return new Resolution<>(Outcome.UNKNOWN_SOURCE, sourceId, null, null, null);
    }
    String name = known.orElse(sourceId);
    String mapped = mappedName.apply(name);
    if (mapped == null) {
      return new Resolution<>(Outcome.UNMAPPED, sourceId, name, null, null);
    }
    if (destination == null) {
      return new Resolution<>(Outcome.MAPPED, sourceId, name, mapped, null);
    }
    T found = byName.apply(destination, mapped).orElse(null);
    Outcome outcome = found == null ? Outcome.MISSING_DESTINATION : Outcome.RESOLVED;
    return new Resolution<>(outcome, sourceId, name, mapped, found);
  }

  private Inventory requireDestination() {
    if (destination == null) {
      throw new IllegalStateException("this resolver has no destination inventory");
    }
    return destination;
  }

  private static boolean mapped(Outcome outcome) {
    return outcome == Outcome.MAPPED
        || outcome == Outcome.MISSING_DESTINATION
        || outcome == Outcome.RESOLVED;
  }

  private static boolean inCluster(Inventory inv, ResourcePoolInfo pool, String clusterId) {
    ResourcePoolInfo p = pool;
    while (p.parent() != null) {
      p = inv.resourcePool(p.parent()).orElse(null);
      if (p == null) {
        return false;
      }
    }
    return clusterId.equals(p.owner());
  }
}

package dev.vmigrate.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Source-to-destination mapping between two vCenters (or within one), by inventory name.
 *
 * @param sourceVcenter id of the source vCenter connection
 * @param destinationVcenter id of the destination vCenter connection (may equal the source)
 * @param clusters cluster mappings
 * @param datastores source datastore name to destination datastore name
 * @param networks source network name to destination network name
 */
public record InfrastructureMapping(
    String sourceVcenter,
    String destinationVcenter,
    List<ClusterMapping> clusters,
    Map<String, String> datastores,
    Map<String, String> networks) {

  public InfrastructureMapping {
    clusters = clusters == null ? List.of() : List.copyOf(clusters);
    datastores = datastores == null ? Map.of() : Map.copyOf(datastores);
    networks = networks == null ? Map.of() : Map.copyOf(networks);
  }

  public boolean crossVcenter() {
    return !sourceVcenter.equals(destinationVcenter);
  }

  /**
   * Why this mapping cannot drive a network-only migration ({@link MigrationType#NETWORK}), one
   * line each naming the field; empty when it maps networks within one vCenter and nothing else.
   */
  public List<String> networkOnlyProblems() {
    List<String> problems = new ArrayList<>();
    String why = " (a network-only plan, migrationType network, moves NICs only)";
    if (sourceVcenter != null && destinationVcenter != null && crossVcenter()) {
      problems.add(
          "mapping.destinationVcenter: must be the source vCenter "
              + sourceVcenter
              + ", not "
              + destinationVcenter
              + why);
    }
    if (!clusters.isEmpty()) {
      problems.add("mapping.clusters: must be empty" + why);
    }
    if (!datastores.isEmpty()) {
      problems.add("mapping.datastores: must be empty" + why);
    }
    if (networks.isEmpty()) {
      problems.add("mapping.networks: must map at least one network" + why);
    }
    return problems;
  }

  public Optional<ClusterMapping> clusterFor(String sourceClusterName) {
    return clusters.stream().filter(c -> c.source().equals(sourceClusterName)).findFirst();
  }
}

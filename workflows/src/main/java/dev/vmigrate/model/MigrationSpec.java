package dev.vmigrate.model;

import java.util.List;

/**
 * What ComputeSpec decided: hot or cold, what changes, and the actions to append to the queue.
 *
 * @param mode hot or cold
 * @param hostChange the host changes
 * @param storageChange at least one disk or the .vmx changes datastore
 * @param networkChange at least one NIC changes network
 * @param crossVcenter source and destination vCenters differ
 * @param bytesToMove bytes a storage migration copies (0 without a storage change)
 * @param itinerary the actions ComputeSpec appends, in order
 */
public record MigrationSpec(
    MigrationMode mode,
    boolean hostChange,
    boolean storageChange,
    boolean networkChange,
    boolean crossVcenter,
    long bytesToMove,
    List<MigrationAction> itinerary) {

  public MigrationSpec {
    itinerary = itinerary == null ? List.of() : List.copyOf(itinerary);
  }
}

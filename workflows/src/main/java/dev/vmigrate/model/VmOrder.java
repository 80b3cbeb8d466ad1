package dev.vmigrate.model;

import java.util.List;

/**
 * One approved VM of a request, with what admission control needs to cost its migration.
 *
 * @param vmId managed object id in the source vCenter
 * @param name inventory name
 * @param instanceUuid instance UUID (the VM migration's workflow id derives from it)
 * @param diskBytes provisioned bytes of its disks
 * @param memoryBytes memory, which a vMotion copies
 * @param poweredOn whether it is powered on (hot) or not (cold)
 * @param sourceHost source host id
 * @param sourceDatastores source datastore ids
 * @param destinationDatastores destination datastore ids from the mapping
 * @param storageChange whether any disk changes datastore (storage vMotion cost)
 * @param vmotionLinkMbps the source host's vMotion link speed (sets the network limit)
 * @param migrationId the workflow id the ledger chose for this VM's migration (a repeat
 *     migration's, {@link MigrationIds#forRepeat}), or null for {@link MigrationIds#forVm}; null in
 *     orders recorded before the field existed
 */
public record VmOrder(
    String vmId,
    String name,
    String instanceUuid,
    long diskBytes,
    long memoryBytes,
    boolean poweredOn,
    String sourceHost,
    List<String> sourceDatastores,
    List<String> destinationDatastores,
    boolean storageChange,
    long vmotionLinkMbps,
    String migrationId) {

  /** The workflow id of this VM's migration in a request from {@code vcenterId}. */
  public String migrationId(String vcenterId) {
    return migrationId != null ? migrationId : MigrationIds.forVm(vcenterId, instanceUuid);
  }

  public VmOrder {
    sourceDatastores = sourceDatastores == null ? List.of() : List.copyOf(sourceDatastores);
    destinationDatastores =
        destinationDatastores == null ? List.of() : List.copyOf(destinationDatastores);
  }
}

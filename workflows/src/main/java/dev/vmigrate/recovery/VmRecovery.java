package dev.vmigrate.recovery;

import dev.vmigrate.model.Placement;
import java.util.List;

/**
 * Input of one recovery workflow: what {@code vmigrate recover} found in vCenter's custom
 * attributes about one VM and what it does about it. Carries vCenter ids only.
 *
 * @param vcenter the vCenter the VM is registered in (and whose marks are cleared)
 * @param vmId managed object id of the VM, or null for reservations whose VM is gone
 * @param vmName inventory name, for messages
 * @param instanceUuid the VM's instance UUID, by which the activities find it again
 * @param migrationId the lost migration whose marks are cleared: the lock holder, or the migration
 *     named by the origin record's result or reservation
 * @param action what is done
 * @param origin the origin record (vmigrate.origin) when the VM goes back to it, else null
 * @param reservations capacity reservations to release (datastore and migration id)
 * @param finding what was found, in one line
 */
public record VmRecovery(
    String vcenter,
    String vmId,
    String vmName,
    String instanceUuid,
    String migrationId,
    RecoveryAction action,
    Placement origin,
    List<Reservation> reservations,
    String finding) {

  public VmRecovery {
    reservations = reservations == null ? List.of() : List.copyOf(reservations);
  }

  /**
   * A capacity reservation on a datastore (vmigrate.reservations).
   *
   * @param datastore managed object id of the datastore
   * @param migrationId the migration that holds it
   * @param bytes bytes held
   */
  public record Reservation(String datastore, String migrationId, long bytes) {}

  /** The workflow id of this recovery: one per VM, see {@link RecoveryIds}. */
  public String workflowId() {
    return instanceUuid != null
        ? RecoveryIds.forVm(vcenter, instanceUuid)
        : RecoveryIds.forReservations(vcenter, migrationId);
  }
}

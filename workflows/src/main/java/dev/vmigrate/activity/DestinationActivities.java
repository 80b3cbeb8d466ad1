package dev.vmigrate.activity;

import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.VmIdentity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Actions on the destination side, each idempotent by check-then-act. */
@ActivityInterface
public interface DestinationActivities {

  /**
   * Re-checks right before the move that the destination host is connected and not in maintenance
   * and still sees the datastores and networks. Changes nothing.
   */
  @ActivityMethod(name = ActivityNames.PREPARE_DESTINATION)
  ActionOutcome prepareDestination(MigrationContext ctx);

  /** Records the intended destination on the VM, so both ends are known from vSphere alone. */
  @ActivityMethod(name = ActivityNames.INITIATE_DESTINATION)
  ActionOutcome initiateDestination(MigrationContext ctx);

  /** Clears the recorded destination. */
  @ActivityMethod(name = ActivityNames.CANCEL_DESTINATION)
  ActionOutcome cancelDestination(MigrationContext ctx);

  /** Ensures the VM is in the destination resource pool and folder. */
  @ActivityMethod(name = ActivityNames.SWITCH_HOST_AND_POOL)
  ActionOutcome switchHostAndPool(MigrationContext ctx);

  /** Moves the VM back to its origin resource pool and folder. */
  @ActivityMethod(name = ActivityNames.SWITCH_BACK_HOST_AND_POOL)
  ActionOutcome switchBackHostAndPool(MigrationContext ctx);

  /**
   * Verifies identity at the destination (BIOS and instance UUID, MAC addresses, NICs on mapped
   * networks, power state) and marks the VM migrated.
   */
  @ActivityMethod(name = ActivityNames.COMPLETE_DESTINATION)
  ActionOutcome completeDestination(MigrationContext ctx);

  /** Removes the migrated mark. */
  @ActivityMethod(name = ActivityNames.UNCOMPLETE_DESTINATION)
  ActionOutcome uncompleteDestination(MigrationContext ctx);

  /**
   * Cold migration with a storage change: moves the powered-off VM's files to the destination
   * datastores and host (a cold relocate task, re-attached on retry like InitiateSource).
   */
  @ActivityMethod(name = ActivityNames.CREATE_DESTINATION_VM)
  ActionOutcome createDestinationVm(MigrationContext ctx);

  /** Moves the VM's files back to the origin datastores and host. */
  @ActivityMethod(name = ActivityNames.DESTROY_DESTINATION_VM)
  ActionOutcome destroyDestinationVm(MigrationContext ctx);

  /**
   * Cold migration on the same storage: registers the .vmx at the destination host, pool and
   * folder, keeping the UUIDs. Returns the VM's identity at the destination.
   */
  @ActivityMethod(name = ActivityNames.REGISTER_DESTINATION_VM)
  VmIdentity registerDestinationVm(MigrationContext ctx);

  /** Unregisters the VM from the destination; a no-op when it is not registered there. */
  @ActivityMethod(name = ActivityNames.UNREGISTER_DESTINATION_VM)
  ActionOutcome unregisterDestinationVm(MigrationContext ctx);

  /** Changes NIC backings to the mapped networks; MAC addresses are kept. */
  @ActivityMethod(name = ActivityNames.RECONFIGURE_VM)
  ActionOutcome reconfigureVm(MigrationContext ctx);

  /** Puts the NICs back on their origin networks. */
  @ActivityMethod(name = ActivityNames.REVERT_RECONFIGURE_VM)
  ActionOutcome revertReconfigureVm(MigrationContext ctx);

  /** Checks that the snapshot tree is intact after the move. Changes nothing. */
  @ActivityMethod(name = ActivityNames.RELAYOUT_SNAPSHOT)
  ActionOutcome relayoutSnapshot(MigrationContext ctx);

  /** Sets the target power state at the destination (restores the origin's by default). */
  @ActivityMethod(name = ActivityNames.POWER_ON_DESTINATION)
  ActionOutcome powerOnDestination(MigrationContext ctx);

  /** Powers the VM off at the destination if PowerOnDestination powered it on. */
  @ActivityMethod(name = ActivityNames.POWER_OFF_DESTINATION)
  ActionOutcome powerOffDestination(MigrationContext ctx);
}

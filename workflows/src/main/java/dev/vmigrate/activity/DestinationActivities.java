package dev.vmigrate.activity;

import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.VmIdentity;
import io.temporal.activity.ActivityInterface;

/** Actions on the destination side, each idempotent by check-then-act. */
@ActivityInterface
public interface DestinationActivities {

  /**
   * Re-checks right before the move that the destination host is connected and not in maintenance
   * and still sees the datastores and networks. Changes nothing.
   */
  ActionOutcome prepareDestination(MigrationContext ctx);

  /** Records the intended destination on the VM, so both ends are known from vSphere alone. */
  ActionOutcome initiateDestination(MigrationContext ctx);

  /** Clears the recorded destination. */
  ActionOutcome cancelDestination(MigrationContext ctx);

  /** Ensures the VM is in the destination resource pool and folder. */
  ActionOutcome switchHostAndPool(MigrationContext ctx);

  /** Moves the VM back to its origin resource pool and folder. */
  ActionOutcome switchBackHostAndPool(MigrationContext ctx);

  /**
   * Verifies identity at the destination (BIOS and instance UUID, MAC addresses, NICs on mapped
   * networks, power state) and marks the VM migrated.
   */
  ActionOutcome completeDestination(MigrationContext ctx);

  /** Removes the migrated mark. */
  ActionOutcome uncompleteDestination(MigrationContext ctx);

  /**
   * Cold migration with a storage change: moves the powered-off VM's files to the destination
   * datastores and host (a cold relocate task, re-attached on retry like InitiateSource).
   */
  ActionOutcome createDestinationVm(MigrationContext ctx);

  /** Moves the VM's files back to the origin datastores and host. */
  ActionOutcome destroyDestinationVm(MigrationContext ctx);

  /**
   * Cold migration on the same storage: registers the .vmx at the destination host, pool and
   * folder, keeping the UUIDs. Returns the VM's identity at the destination.
   */
  VmIdentity registerDestinationVm(MigrationContext ctx);

  /** Unregisters the VM from the destination; a no-op when it is not registered there. */
  ActionOutcome unregisterDestinationVm(MigrationContext ctx);

  /** Changes NIC backings to the mapped networks; MAC addresses are kept. */
  ActionOutcome reconfigureVm(MigrationContext ctx);

  /** Puts the NICs back on their origin networks. */
  ActionOutcome revertReconfigureVm(MigrationContext ctx);

  /** Checks that the snapshot tree is intact after the move. Changes nothing. */
  ActionOutcome relayoutSnapshot(MigrationContext ctx);

  /** Sets the target power state at the destination (restores the origin's by default). */
  ActionOutcome powerOnDestination(MigrationContext ctx);

  /** Powers the VM off at the destination if PowerOnDestination powered it on. */
  ActionOutcome powerOffDestination(MigrationContext ctx);
}

package dev.vmigrate.activity.impl;

import static dev.vmigrate.activity.impl.VsphereSupport.run;

import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.VmIdentity;
import dev.vmigrate.recovery.RecoveryAction;
import dev.vmigrate.recovery.RecoveryActivities;
import dev.vmigrate.recovery.VmRecovery;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereGateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The steps of a recovery, reusing the migration's compensations (RevertSource, PowerOnSource) on a
 * migration context rebuilt from what vCenter's custom attributes recorded: the lost migration's
 * id, the VM's instance UUID and its origin record. Every step reads the VM first and acts only on
 * the difference, so a retried or repeated step changes nothing more.
 */
public class RecoveryActivitiesImpl implements RecoveryActivities {
  private final VsphereSupport vsphere;
  private final SourceActivitiesImpl source;

  public RecoveryActivitiesImpl(GatewayRegistry registry, ActivitySettings settings) {
    this.vsphere = new VsphereSupport(registry, settings);
    this.source = new SourceActivitiesImpl(registry, settings);
  }

  public RecoveryActivitiesImpl(GatewayRegistry registry) {
    this(registry, ActivitySettings.defaults());
  }

  /** The lost migration as the compensations see it: within the VM's vCenter, its origin known. */
  static MigrationContext context(VmRecovery r) {
    InfrastructureMapping within =
        new InfrastructureMapping(r.vcenter(), r.vcenter(), List.of(), null, null);
    return new MigrationContext(
        r.migrationId(),
        new MigrationRequest(r.vmId(), within, null, null, null),
        new VmIdentity(r.vmId(), r.vmName(), r.instanceUuid(), null),
        r.origin(),
        null,
        null,
        null);
  }

  private static void requireOrigin(VmRecovery r) {
    if (r.origin() == null) {
      throw VsphereSupport.nonRetryable(
          FailureTypes.INVALID_REQUEST,
          r.vmName() + ": no origin recorded (vmigrate.origin), nothing to roll back to");
    }
  }

  @Override
  public ActionOutcome relocateToOrigin(VmRecovery r) {
    requireOrigin(r);
    return SourceActivitiesImpl.relocateToOrigin(vsphere, context(r));
  }

  @Override
  public ActionOutcome restorePowerState(VmRecovery r) {
    requireOrigin(r);
    return source.powerOnSource(context(r));
  }

  @Override
  public ActionOutcome recordResult(VmRecovery r) {
    if (r.action() == RecoveryAction.CLEAR_MARKS) {
      return ActionOutcome.alreadyDone("nothing to record when only the marks are cleared");
    }
    VsphereSupport.Located loc = vsphere.require(context(r));
    VmInfo vm = loc.vm();
    String mark =
        (r.action() == RecoveryAction.ROLLBACK ? "rolled-back " : "migrated ") + r.migrationId();
    String result = vm.customValue(MigrationAttributes.RESULT);
    if (result != null && result.startsWith(mark + " ")) {
      return ActionOutcome.alreadyDone(vm.name() + ": " + result + " already recorded");
    }
    String value = mark + " " + Instant.now();
    run(() -> loc.gateway().setCustomValue(vm.id(), MigrationAttributes.RESULT, value));
    return ActionOutcome.done(vm.name() + ": recorded " + MigrationAttributes.RESULT + " " + value);
  }

  @Override
  public ActionOutcome releaseReservations(VmRecovery r) {
    VsphereGateway gw = vsphere.source(context(r));
    List<String> released = new ArrayList<>();
    for (VmRecovery.Reservation res : r.reservations()) {
      if (DatastoreReservations.release(gw, res.datastore(), res.migrationId())) {
        released.add(
            VsphereSupport.datastoreName(gw, res.datastore()) + " (" + res.migrationId() + ")");
      }
    }
    return released.isEmpty()
        ? ActionOutcome.alreadyDone("no reservation left to release")
        : ActionOutcome.done("released the reservations on " + String.join(", ", released));
  }

  @Override
  public ActionOutcome clearMarks(VmRecovery r) {
    Optional<VsphereSupport.Located> found = vsphere.locate(context(r));
    if (found.isEmpty()) {
      return ActionOutcome.alreadyDone(r.vmName() + " is not registered: no marks to clear");
    }
    VsphereGateway gw = found.get().gateway();
    VmInfo vm = found.get().vm();
    String lock = vm.customValue(MigrationAttributes.LOCK);
    List<String> done = new ArrayList<>();
    if (lock != null && lock.equals(r.migrationId())) {
      run(() -> gw.setCustomValue(vm.id(), MigrationAttributes.LOCK, ""));
      done.add("unlocked (" + MigrationAttributes.LOCK + " was " + lock + ")");
    }
    // Another migration's lock is left alone, and so is the destination it recorded.
    if (vm.customValue(MigrationAttributes.DESTINATION) != null
        && (lock == null || lock.equals(r.migrationId()))) {
      run(() -> gw.setCustomValue(vm.id(), MigrationAttributes.DESTINATION, ""));
      done.add("cleared " + MigrationAttributes.DESTINATION);
    }
    return done.isEmpty()
        ? ActionOutcome.alreadyDone(vm.name() + ": no lock or destination of " + r.migrationId())
        : ActionOutcome.done(vm.name() + ": " + String.join(", ", done));
  }
}

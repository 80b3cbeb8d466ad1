package dev.vmigrate.activity.impl;

import static dev.vmigrate.activity.impl.VsphereSupport.call;
import static dev.vmigrate.activity.impl.VsphereSupport.run;

import dev.vmigrate.activity.SourceActivities;
import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.Destination;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.NicBackingChange;
import dev.vmigrate.model.Placement;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VmIdentity;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.RegisterSpec;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.TaskPolling;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import io.temporal.activity.Activity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Source-side actions. Each locates the VM by instance UUID, compares vSphere's state with the
 * wanted one and acts only on the difference; on retry the relocate task is re-attached, found
 * through the heartbeat details or among the VM's running tasks.
 */
public class SourceActivitiesImpl implements SourceActivities {
  private final VsphereSupport vsphere;

  public SourceActivitiesImpl(GatewayRegistry registry, ActivitySettings settings) {
    this.vsphere = new VsphereSupport(registry, settings);
  }

  public SourceActivitiesImpl(GatewayRegistry registry) {
    this(registry, ActivitySettings.defaults());
  }

  @Override
  public ActionOutcome prepareSource(MigrationContext ctx) {
    VsphereSupport.Located loc = vsphere.require(ctx);
    VmInfo vm = loc.vm();
    String lock = vm.customValue(MigrationAttributes.LOCK);
    if (lock != null && !lock.equals(ctx.migrationId())) {
      throw VsphereSupport.nonRetryable(
          FailureTypes.LOCKED, vm.name() + " is locked by migration " + lock);
    }
    String origin = VsphereSupport.json(ctx.origin());
    if (ctx.migrationId().equals(lock)
        && origin.equals(vm.customValue(MigrationAttributes.ORIGIN))) {
      return ActionOutcome.alreadyDone(vm.name() + " already locked and its origin recorded");
    }
    VsphereGateway gw = loc.gateway();
    run(() -> gw.setCustomValue(vm.id(), MigrationAttributes.LOCK, ctx.migrationId()));
    run(() -> gw.setCustomValue(vm.id(), MigrationAttributes.ORIGIN, origin));
    return ActionOutcome.done(
        "locked "
            + vm.name()
            + " and recorded its origin on "
            + VsphereSupport.hostName(gw, ctx.origin().host()));
  }

  @Override
  public ActionOutcome unprepareSource(MigrationContext ctx) {
    Optional<VsphereSupport.Located> found = vsphere.locate(ctx);
    if (found.isEmpty()) {
      return ActionOutcome.alreadyDone(ctx.vm().name() + " is not registered: no lock to remove");
    }
    VmInfo vm = found.get().vm();
    String lock = vm.customValue(MigrationAttributes.LOCK);
    if (!ctx.migrationId().equals(lock)) {
      return ActionOutcome.alreadyDone(
          lock == null
              ? vm.name() + " is not locked"
              : vm.name() + " is locked by another migration, left alone");
    }
    run(() -> found.get().gateway().setCustomValue(vm.id(), MigrationAttributes.LOCK, ""));
    return ActionOutcome.done("unlocked " + vm.name());
  }

  @Override
  public ActionOutcome initiateSource(MigrationContext ctx) {
    VsphereSupport.Located loc = vsphere.require(ctx);
    return relocateToDestination(vsphere, ctx, loc, true);
  }

  /** Shared by InitiateSource (hot, NICs included) and CreateDestinationVm (cold, NICs later). */
  static ActionOutcome relocateToDestination(
      VsphereSupport vsphere, MigrationContext ctx, VsphereSupport.Located loc, boolean withNics) {
    VmInfo vm = loc.vm();
    VsphereGateway gw = loc.gateway();
    Destination d = ctx.destination();
    String where = describe(gw, d);
    if (Placements.atDestination(vm, d, withNics)) {
      return ActionOutcome.alreadyDone(vm.name() + " is already on " + where);
    }
    List<VirtualDisk> moving = Placements.movingDisks(vm, d);
    TaskInfo t = vsphere.relocate(gw, vm.id(), Placements.toDestination(d, withNics), moving);
    return ActionOutcome.done(
        "relocated " + vm.name() + " to " + where + " (" + t.ref().id() + ")");
  }

  @Override
  public ActionOutcome revertSource(MigrationContext ctx) {
    return relocateToOrigin(vsphere, ctx);
  }

  /** Shared by RevertSource and DestroyDestinationVm. */
  static ActionOutcome relocateToOrigin(VsphereSupport vsphere, MigrationContext ctx) {
    Optional<VsphereSupport.Located> found = vsphere.locate(ctx);
    if (found.isEmpty()) {
      throw VsphereSupport.nonRetryable(
          FailureTypes.NOT_FOUND, ctx.vm().name() + " is not registered: cannot move it back");
    }
    VmInfo vm = found.get().vm();
    VsphereGateway gw = found.get().gateway();
    Placement o = ctx.origin();
    String where =
        VsphereSupport.hostName(gw, o.host())
            + ", datastore "
            + VsphereSupport.datastoreName(gw, o.vmxDatastore());
    if (Placements.atOrigin(vm, o)) {
      return ActionOutcome.alreadyDone(vm.name() + " is already back on " + where);
    }
    TaskInfo t = vsphere.relocate(gw, vm.id(), Placements.toOrigin(vm, o), List.of());
    return ActionOutcome.done(
        "relocated " + vm.name() + " back to " + where + " (" + t.ref().id() + ")");
  }

  @Override
  public ActionOutcome completeSource(MigrationContext ctx) {
    Placement o = ctx.origin();
    Destination d = ctx.destination();
    VsphereGateway src = vsphere.source(ctx);
    List<String> problems = new ArrayList<>();
    if (ctx.request().mapping().crossVcenter()) {
      call(() -> src.findVmByInstanceUuid(ctx.vm().instanceUuid()))
          .ifPresent(vm -> problems.add(vm.name() + " is still registered in " + src.vcenterId()));
    } else {
      VmInfo vm = vsphere.require(ctx).vm();
      if (!d.host().equals(o.host()) && o.host().equals(vm.host())) {
        problems.add(vm.name() + " is still on " + VsphereSupport.hostName(src, o.host()));
      }
      Map<Integer, String> targets = Placements.diskTargets(d);
      for (VirtualDisk origin : o.disks()) {
        String target = targets.getOrDefault(origin.key(), d.vmxDatastore());
        boolean shouldLeave = !target.equals(origin.datastore());
        boolean stillThere =
            vm.disks().stream()
                .anyMatch(x -> x.key() == origin.key() && origin.datastore().equals(x.datastore()));
        if (shouldLeave && stillThere) {
          problems.add(
              origin.label()
                  + " is still on "
                  + VsphereSupport.datastoreName(src, origin.datastore()));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw VsphereSupport.nonRetryable(
          FailureTypes.VERIFICATION_FAILED,
          "source still holds " + ctx.vm().name() + ": " + String.join("; ", problems));
    }
    return ActionOutcome.alreadyDone(
        "source released " + ctx.vm().name() + " (" + VsphereSupport.hostName(src, o.host()) + ")");
  }

  @Override
  public ActionOutcome powerOffSource(MigrationContext ctx) {
    VsphereSupport.Located loc = vsphere.require(ctx);
    VmInfo vm = loc.vm();
    VsphereGateway gw = loc.gateway();
    if (vm.powerState() == PowerState.POWERED_OFF) {
      return ActionOutcome.alreadyDone(vm.name() + " is already powered off");
    }
    Duration timeout = ctx.request().options().guestShutdownTimeout();
    boolean asked = false;
    if (vm.powerState() == PowerState.POWERED_ON) {
      try {
        gw.shutdownGuest(vm.id());
        asked = true;
      } catch (VsphereException e) {
        if (e.retryable()) {
          throw VsphereSupport.failure(e);
        }
        // No tools or not allowed: fall through to the hard power-off.
      }
    }
    if (asked) {
      TaskPolling polling = vsphere.polling().within(timeout);
      while (!polling.expired()) {
        PowerState state = call(() -> gw.vm(vm.id())).powerState();
        if (state == PowerState.POWERED_OFF) {
          return ActionOutcome.done("shut down the guest of " + vm.name());
        }
        Activity.getExecutionContext().heartbeat(null);
        polling.pauseWithinDeadline();
      }
    }
    VmInfo now = call(() -> gw.vm(vm.id()));
    if (now.powerState() == PowerState.POWERED_OFF) {
      return ActionOutcome.done("shut down the guest of " + vm.name());
    }
    vsphere.once(gw, vm.id(), TaskInfo.POWER_OFF, true, () -> gw.powerOff(vm.id()));
    return ActionOutcome.done(
        asked
            ? "powered off " + vm.name() + " hard: the guest did not shut down within " + timeout
            : "powered off " + vm.name() + " hard: guest shutdown unavailable");
  }

  @Override
  public ActionOutcome powerOnSource(MigrationContext ctx) {
    if (ctx.origin().powerState() != PowerState.POWERED_ON) {
      return ActionOutcome.alreadyDone(
          ctx.vm().name() + " was not powered on at the origin: left off");
    }
    VsphereSupport.Located loc = vsphere.require(ctx);
    VmInfo vm = loc.vm();
    if (vm.powerState() == PowerState.POWERED_ON) {
      return ActionOutcome.alreadyDone(vm.name() + " is already powered on");
    }
    vsphere.once(
        loc.gateway(), vm.id(), TaskInfo.POWER_ON, true, () -> loc.gateway().powerOn(vm.id()));
    return ActionOutcome.done(
        "powered on " + vm.name() + " on " + VsphereSupport.hostName(loc.gateway(), vm.host()));
  }

  @Override
  public ActionOutcome unregisterSourceVm(MigrationContext ctx) {
    VsphereGateway src = vsphere.source(ctx);
    Optional<VmInfo> vm = call(() -> src.findVmByInstanceUuid(ctx.vm().instanceUuid()));
    if (vm.isEmpty()) {
      return ActionOutcome.alreadyDone(
          ctx.vm().name() + " is already unregistered from " + src.vcenterId());
    }
    run(() -> src.unregister(vm.get().id()));
    return ActionOutcome.done(
        "unregistered " + vm.get().name() + " from " + src.vcenterId() + ", files kept");
  }

  @Override
  public VmIdentity reregisterSourceVm(MigrationContext ctx) {
    VsphereGateway src = vsphere.source(ctx);
    Placement o = ctx.origin();
    Optional<VmInfo> existing = call(() -> src.findVmByInstanceUuid(ctx.vm().instanceUuid()));
    String id;
    if (existing.isPresent()) {
      id = existing.get().id();
    } else {
      String name = ctx.vm().name();
      TaskInfo t =
          vsphere.once(
              src,
              o.folder(),
              TaskInfo.REGISTER,
              false,
              () ->
                  src.register(
                      new RegisterSpec(
                          o.vmPathName(), name, o.folder(), o.resourcePool(), o.host())));
      id = Objects.requireNonNull(t.result(), "RegisterVM_Task returned no VM");
      run(() -> src.setCustomValue(id, MigrationAttributes.LOCK, ctx.migrationId()));
      run(() -> src.setCustomValue(id, MigrationAttributes.ORIGIN, VsphereSupport.json(o)));
    }
    // The .vmx may carry destination networks (ReconfigureVm ran there): put the NICs back,
    // also on a retry that finds the VM already registered.
    List<NicBackingChange> nics = Placements.originNicChanges(call(() -> src.vm(id)), o);
    if (!nics.isEmpty()) {
      vsphere.once(src, id, TaskInfo.RECONFIGURE, true, () -> src.reconfigureNics(id, nics));
    }
    return call(() -> src.vm(id)).identity();
  }

  static String describe(VsphereGateway gw, Destination d) {
    return VsphereSupport.hostName(gw, d.host())
        + ", datastore "
        + VsphereSupport.datastoreName(gw, d.vmxDatastore());
  }
}

package dev.vmigrate.activity.impl;

import static dev.vmigrate.activity.impl.VsphereSupport.call;
import static dev.vmigrate.activity.impl.VsphereSupport.run;

import dev.vmigrate.activity.DestinationActivities;
import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.Destination;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.NicBackingChange;
import dev.vmigrate.model.Placement;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.TargetPowerState;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VirtualNic;
import dev.vmigrate.model.VmIdentity;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.HostInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.NetworkInfo;
import dev.vmigrate.vsphere.RegisterSpec;
import dev.vmigrate.vsphere.RelocateSpec;
import dev.vmigrate.vsphere.ResourcePoolInfo;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereGateway;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Destination-side actions. Each locates the VM by instance UUID (in the destination vCenter first
 * when it differs), compares vSphere's state with the wanted one and acts only on the difference.
 */
public class DestinationActivitiesImpl implements DestinationActivities {
  private final VsphereSupport vsphere;

  public DestinationActivitiesImpl(GatewayRegistry registry, ActivitySettings settings) {
    this.vsphere = new VsphereSupport(registry, settings);
  }

  public DestinationActivitiesImpl(GatewayRegistry registry) {
    this(registry, ActivitySettings.defaults());
  }

  @Override
  public ActionOutcome prepareDestination(MigrationContext ctx) {
    VsphereGateway dst = vsphere.destination(ctx);
    Destination d = ctx.destination();
    HostInfo host = call(() -> dst.host(d.host()));
    if (!"connected".equals(host.connectionState())) {
      throw ApplicationFailure.newFailure(
          host.name() + " is " + host.connectionState(), FailureTypes.TRANSIENT);
    }
    if (host.inMaintenanceMode()) {
      throw VsphereSupport.nonRetryable(
          FailureTypes.INVALID_STATE, host.name() + " entered maintenance mode");
    }
    Set<String> datastores = new LinkedHashSet<>();
    datastores.add(d.vmxDatastore());
    d.disks().forEach(l -> datastores.add(l.datastore()));
    List<String> problems = new ArrayList<>();
    for (String ds : datastores) {
      if (!host.datastores().contains(ds)) {
        problems.add("datastore " + VsphereSupport.datastoreName(dst, ds));
      }
    }
    for (NicBackingChange n : d.nics()) {
      if (!host.networks().contains(n.network())) {
        problems.add("network " + n.network());
      }
    }
    if (!problems.isEmpty()) {
      throw VsphereSupport.nonRetryable(
          FailureTypes.INCOMPATIBLE,
          host.name() + " no longer sees " + String.join(", ", problems));
    }
    return ActionOutcome.alreadyDone(host.name() + " is ready for " + ctx.vm().name());
  }

  @Override
  public ActionOutcome initiateDestination(MigrationContext ctx) {
    VsphereSupport.Located loc = vsphere.require(ctx);
    String json = VsphereSupport.json(ctx.destination());
    if (json.equals(loc.vm().customValue(MigrationAttributes.DESTINATION))) {
      return ActionOutcome.alreadyDone(loc.vm().name() + " already records its destination");
    }
    run(() -> loc.gateway().setCustomValue(loc.vm().id(), MigrationAttributes.DESTINATION, json));
    return ActionOutcome.done(
        "recorded destination "
            + VsphereSupport.hostName(vsphere.destination(ctx), ctx.destination().host())
            + " on "
            + loc.vm().name());
  }

  @Override
  public ActionOutcome cancelDestination(MigrationContext ctx) {
    Optional<VsphereSupport.Located> found = vsphere.locate(ctx);
    if (found.isEmpty() || found.get().vm().customValue(MigrationAttributes.DESTINATION) == null) {
      return ActionOutcome.alreadyDone(ctx.vm().name() + " records no destination");
    }
    VsphereSupport.Located loc = found.get();
    run(() -> loc.gateway().setCustomValue(loc.vm().id(), MigrationAttributes.DESTINATION, ""));
    return ActionOutcome.done("cleared the recorded destination of " + loc.vm().name());
  }

  @Override
  public ActionOutcome switchHostAndPool(MigrationContext ctx) {
    Destination d = ctx.destination();
    return ensurePoolAndFolder(ctx, d.resourcePool(), d.folder(), "destination");
  }

  @Override
  public ActionOutcome switchBackHostAndPool(MigrationContext ctx) {
    Optional<VsphereSupport.Located> found = vsphere.locate(ctx);
    if (found.isEmpty() || !found.get().gateway().vcenterId().equals(ctx.sourceVcenter())) {
      return ActionOutcome.alreadyDone(
          ctx.vm().name() + " is not in " + ctx.sourceVcenter() + ": re-registration restores it");
    }
    Placement o = ctx.origin();
    VsphereSupport.Located loc = found.get();
    // The origin pool belongs to the origin cluster: it can only be set once the VM is back there.
    boolean poolReachable = Objects.equals(loc.vm().cluster(), o.cluster());
    return ensurePoolAndFolder(ctx, poolReachable ? o.resourcePool() : null, o.folder(), "origin");
  }

  private ActionOutcome ensurePoolAndFolder(
      MigrationContext ctx, String pool, String folder, String side) {
    VsphereSupport.Located loc = vsphere.require(ctx);
    VmInfo vm = loc.vm();
    VsphereGateway gw = loc.gateway();
    List<String> done = new ArrayList<>();
    if (pool != null && !pool.equals(vm.resourcePool())) {
      vsphere.once(
          gw,
          vm.id(),
          TaskInfo.RELOCATE,
          true,
          () -> gw.relocate(vm.id(), new RelocateSpec(null, pool, null, null, null, null)));
      done.add("resource pool " + poolName(gw, pool));
    }
    if (folder != null && !folder.equals(vm.folder())) {
      vsphere.once(
          gw, folder, TaskInfo.MOVE_INTO_FOLDER, false, () -> gw.moveIntoFolder(vm.id(), folder));
      done.add("folder " + folderName(gw, folder));
    }
    if (done.isEmpty()) {
      return ActionOutcome.alreadyDone(
          vm.name() + " is already in its " + side + " pool and folder");
    }
    return ActionOutcome.done(
        "moved " + vm.name() + " to " + side + " " + String.join(" and ", done));
  }

  @Override
  public ActionOutcome completeDestination(MigrationContext ctx) {
    VsphereSupport.Located loc = vsphere.require(ctx);
    VmInfo vm = loc.vm();
    Destination d = ctx.destination();
    Placement o = ctx.origin();
    VmIdentity expected = ctx.vm();
    List<String> problems = new ArrayList<>();
    if (!vm.instanceUuid().equalsIgnoreCase(expected.instanceUuid())) {
      problems.add("instance UUID changed");
    }
    if (!Objects.equals(vm.biosUuid(), expected.biosUuid())) {
      problems.add("BIOS UUID changed from " + expected.biosUuid() + " to " + vm.biosUuid());
    }
    Map<Integer, String> macs = new HashMap<>();
    vm.nics().forEach(n -> macs.put(n.key(), n.macAddress()));
    for (VirtualNic n : o.nics()) {
      if (!Objects.equals(macs.get(n.key()), n.macAddress())) {
        problems.add(
            n.label() + " MAC changed from " + n.macAddress() + " to " + macs.get(n.key()));
      }
    }
    problems.addAll(nicFlagChanges(vm, o));
    // A VM that lost a disk is not migrated, e.g. registered from a .vmx that no longer lists it.
    Set<Integer> diskKeys = new HashSet<>();
    vm.disks().forEach(x -> diskKeys.add(x.key()));
    for (VirtualDisk x : o.disks()) {
      if (!diskKeys.contains(x.key())) {
        problems.add(x.label() + " is missing");
      }
    }
    for (NicBackingChange c : Placements.wrongNics(vm, d)) {
      problems.add("network adapter " + c.nicKey() + " is not on its mapped network");
    }
    if (!Placements.atDestination(vm, d, false)) {
      problems.add("not on the destination host and datastores");
    }
    if (!Objects.equals(vm.resourcePool(), d.resourcePool())) {
      problems.add("not in the destination resource pool");
    }
    PowerState wanted = targetPower(ctx);
    if (vm.powerState() != wanted) {
      problems.add("power state is " + vm.powerState() + ", expected " + wanted);
    }
    if (!problems.isEmpty()) {
      throw VsphereSupport.nonRetryable(
          FailureTypes.VERIFICATION_FAILED,
          "verification of " + vm.name() + " failed: " + String.join("; ", problems));
    }
    String mark = "migrated " + ctx.migrationId();
    String result = vm.customValue(MigrationAttributes.RESULT);
    if (result != null && result.startsWith(mark + " ")) {
      return ActionOutcome.alreadyDone(vm.name() + " is verified and already marked migrated");
    }
    run(
        () ->
            loc.gateway()
                .setCustomValue(vm.id(), MigrationAttributes.RESULT, mark + " " + Instant.now()));
    return ActionOutcome.done(
        "verified "
            + vm.name()
            + " on "
            + VsphereSupport.hostName(loc.gateway(), vm.host())
            + " and marked it migrated");
  }

  /**
   * NIC settings a move must keep: the MAC's address type and whether each adapter connects at
   * power-on, and, while the VM is in its origin power state, whether it is connected. A value that
   * either side does not report (an origin recorded before they were read) is not compared.
   */
  static List<String> nicFlagChanges(VmInfo vm, Placement origin) {
    Map<Integer, VirtualNic> now = new HashMap<>();
    vm.nics().forEach(n -> now.put(n.key(), n));
    List<String> problems = new ArrayList<>();
    for (VirtualNic was : origin.nics()) {
      VirtualNic is = now.get(was.key());
      if (is == null) {
        continue;
      }
      changed(problems, was.label(), "addressType", was.addressType(), is.addressType());
      changed(problems, was.label(), "startConnected", was.startConnected(), is.startConnected());
      if (vm.powerState() == origin.powerState()) {
        changed(problems, was.label(), "connected", was.connected(), is.connected());
      }
    }
    return problems;
  }

  private static void changed(
      List<String> problems, String label, String field, Object was, Object is) {
    if (was != null && is != null && !was.equals(is)) {
      problems.add(label + " " + field + " changed from " + was + " to " + is);
    }
  }

  @Override
  public ActionOutcome uncompleteDestination(MigrationContext ctx) {
    Optional<VsphereSupport.Located> found = vsphere.locate(ctx);
    String mark = "migrated " + ctx.migrationId() + " ";
    if (found.isEmpty()) {
      return ActionOutcome.alreadyDone(ctx.vm().name() + " is not registered: no mark to remove");
    }
    VsphereSupport.Located loc = found.get();
    String result = loc.vm().customValue(MigrationAttributes.RESULT);
    if (result == null || !result.startsWith(mark)) {
      return ActionOutcome.alreadyDone(
          loc.vm().name() + " is not marked migrated by this migration");
    }
    run(() -> loc.gateway().setCustomValue(loc.vm().id(), MigrationAttributes.RESULT, ""));
    return ActionOutcome.done("removed the migrated mark of " + loc.vm().name());
  }

  @Override
  public ActionOutcome createDestinationVm(MigrationContext ctx) {
    // NIC changes travel with the relocate: the destination host may not see the old networks.
    return SourceActivitiesImpl.relocateToDestination(vsphere, ctx, vsphere.require(ctx), true);
  }

  @Override
  public ActionOutcome destroyDestinationVm(MigrationContext ctx) {
    return SourceActivitiesImpl.relocateToOrigin(vsphere, ctx);
  }

  @Override
  public VmIdentity registerDestinationVm(MigrationContext ctx) {
    VsphereGateway dst = vsphere.destination(ctx);
    Destination d = ctx.destination();
    Optional<VmInfo> existing = call(() -> dst.findVmByInstanceUuid(ctx.vm().instanceUuid()));
    if (existing.isPresent()) {
      return existing.get().identity();
    }
    TaskInfo t =
        vsphere.once(
            dst,
            d.folder(),
            TaskInfo.REGISTER,
            false,
            () ->
                dst.register(
                    new RegisterSpec(
                        ctx.origin().vmPathName(),
                        ctx.vm().name(),
                        d.folder(),
                        d.resourcePool(),
                        d.host())));
    String id = Objects.requireNonNull(t.result(), "RegisterVM_Task returned no VM");
    // Custom attributes live in vCenter, not in the .vmx: carry the migration's state over.
    run(() -> dst.setCustomValue(id, MigrationAttributes.LOCK, ctx.migrationId()));
    run(
        () ->
            dst.setCustomValue(id, MigrationAttributes.ORIGIN, VsphereSupport.json(ctx.origin())));
    run(() -> dst.setCustomValue(id, MigrationAttributes.DESTINATION, VsphereSupport.json(d)));
    return call(() -> dst.vm(id)).identity();
  }

  @Override
  public ActionOutcome unregisterDestinationVm(MigrationContext ctx) {
    VsphereGateway dst = vsphere.destination(ctx);
    Optional<VmInfo> found = call(() -> dst.findVmByInstanceUuid(ctx.vm().instanceUuid()));
    if (found.isEmpty()) {
      return ActionOutcome.alreadyDone(
          ctx.vm().name() + " is not registered in " + dst.vcenterId());
    }
    VmInfo vm = found.get();
    if (!ctx.request().mapping().crossVcenter() && !vm.host().equals(ctx.destination().host())) {
      return ActionOutcome.alreadyDone(
          vm.name() + " is not registered at the destination host, left alone");
    }
    run(() -> dst.unregister(vm.id()));
    return ActionOutcome.done(
        "unregistered " + vm.name() + " from " + dst.vcenterId() + ", files kept");
  }

  @Override
  public ActionOutcome reconfigureVm(MigrationContext ctx) {
    VsphereSupport.Located loc = vsphere.require(ctx);
    List<NicBackingChange> changes = Placements.wrongNics(loc.vm(), ctx.destination());
    return reconfigure(loc, changes, "mapped");
  }

  @Override
  public ActionOutcome revertReconfigureVm(MigrationContext ctx) {
    VsphereSupport.Located loc = vsphere.require(ctx);
    Placement origin = ctx.origin();
    if (loc.gateway().vcenterId().equals(ctx.sourceVcenter())) {
      List<NicBackingChange> changes = Placements.originNicChanges(loc.vm(), origin);
      HostInfo host = call(() -> loc.gateway().host(loc.vm().host()));
      if (changes.stream().anyMatch(c -> !host.networks().contains(c.network()))) {
        // The host it is on cannot carry the origin networks; the compensation that takes the VM
        // back to its origin host (ReregisterSourceVm) restores them there.
        return ActionOutcome.alreadyDone(
            loc.vm().name()
                + "'s NICs go back to their origin networks with the VM, as "
                + host.name()
                + " does not see them");
      }
      return reconfigure(loc, changes, "origin");
    }
    // The VM is in the destination vCenter: origin networks are found there by name.
    Inventory from = call(() -> vsphere.source(ctx).infrastructure());
    Inventory here = call(() -> loc.gateway().infrastructure());
    Map<Integer, String> current = new HashMap<>();
    loc.vm().nics().forEach(n -> current.put(n.key(), n.network()));
    List<NicBackingChange> changes = new ArrayList<>();
    for (VirtualNic n : origin.nics()) {
      Optional<String> same =
          from.network(n.network())
              .flatMap(net -> here.networkByName(net.name()))
              .map(NetworkInfo::id);
      if (same.isPresent() && !same.get().equals(current.get(n.key()))) {
        changes.add(new NicBackingChange(n.key(), same.get()));
      }
    }
    return reconfigure(loc, changes, "origin");
  }

  private ActionOutcome reconfigure(
      VsphereSupport.Located loc, List<NicBackingChange> changes, String which) {
    VmInfo vm = loc.vm();
    if (changes.isEmpty()) {
      return ActionOutcome.alreadyDone(
          vm.name() + "'s NICs are already on their " + which + " networks");
    }
    VsphereGateway gw = loc.gateway();
    TaskInfo t =
        vsphere.once(
            gw, vm.id(), TaskInfo.RECONFIGURE, true, () -> gw.reconfigureNics(vm.id(), changes));
    return ActionOutcome.done(
        "moved "
            + changes.size()
            + " NIC(s) of "
            + vm.name()
            + " to their "
            + which
            + " networks ("
            + t.ref().id()
            + ")");
  }

  @Override
  public ActionOutcome relayoutSnapshot(MigrationContext ctx) {
    VmInfo vm = vsphere.require(ctx).vm();
    if (!vm.snapshots().equals(ctx.snapshots())) {
      throw VsphereSupport.nonRetryable(
          FailureTypes.VERIFICATION_FAILED,
          "snapshot tree of "
              + vm.name()
              + " changed: expected "
              + ctx.snapshots()
              + ", found "
              + vm.snapshots());
    }
    return ActionOutcome.alreadyDone(
        "snapshot tree of " + vm.name() + " intact (" + vm.snapshots().size() + " snapshot(s))");
  }

  @Override
  public ActionOutcome powerOnDestination(MigrationContext ctx) {
    VsphereSupport.Located loc = vsphere.require(ctx);
    VmInfo vm = loc.vm();
    VsphereGateway gw = loc.gateway();
    PowerState wanted = targetPower(ctx);
    if (vm.powerState() == wanted) {
      return ActionOutcome.alreadyDone(vm.name() + " is already " + label(wanted));
    }
    if (wanted == PowerState.POWERED_ON) {
      vsphere.once(gw, vm.id(), TaskInfo.POWER_ON, true, () -> gw.powerOn(vm.id()));
    } else {
      vsphere.once(gw, vm.id(), TaskInfo.POWER_OFF, true, () -> gw.powerOff(vm.id()));
    }
    return ActionOutcome.done(
        label(wanted) + " " + vm.name() + " on " + VsphereSupport.hostName(gw, vm.host()));
  }

  @Override
  public ActionOutcome powerOffDestination(MigrationContext ctx) {
    Optional<VsphereSupport.Located> found = vsphere.locate(ctx);
    if (found.isEmpty() || found.get().vm().powerState() != PowerState.POWERED_ON) {
      return ActionOutcome.alreadyDone(ctx.vm().name() + " is not powered on at the destination");
    }
    VsphereSupport.Located loc = found.get();
    String id = loc.vm().id();
    vsphere.once(loc.gateway(), id, TaskInfo.POWER_OFF, true, () -> loc.gateway().powerOff(id));
    return ActionOutcome.done("powered off " + loc.vm().name() + " at the destination");
  }

  static PowerState targetPower(MigrationContext ctx) {
    TargetPowerState t = ctx.request().options().targetPowerState();
    return switch (t) {
      case ON -> PowerState.POWERED_ON;
      case OFF -> PowerState.POWERED_OFF;
      case SAME ->
          ctx.origin().powerState() == PowerState.POWERED_ON
              ? PowerState.POWERED_ON
              : PowerState.POWERED_OFF;
    };
  }

  private static String label(PowerState s) {
    return s == PowerState.POWERED_ON ? "powered on" : "powered off";
  }

  private static String poolName(VsphereGateway gw, String pool) {
    return call(gw::infrastructure).resourcePool(pool).map(ResourcePoolInfo::name).orElse(pool);
  }

  private static String folderName(VsphereGateway gw, String folder) {
    return call(gw::infrastructure).folder(folder).map(f -> f.name()).orElse(folder);
  }
}

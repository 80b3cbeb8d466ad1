package dev.vmigrate.activity.impl;

import static dev.vmigrate.activity.impl.VsphereSupport.call;
import static dev.vmigrate.activity.impl.VsphereSupport.nonRetryable;

import dev.vmigrate.activity.AnalysisActivities;
import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.Destination;
import dev.vmigrate.model.DiskMode;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationItinerary;
import dev.vmigrate.model.MigrationMode;
import dev.vmigrate.model.MigrationSpec;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.NicBackingChange;
import dev.vmigrate.model.Placement;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.PrecheckFinding;
import dev.vmigrate.model.PrecheckReport;
import dev.vmigrate.model.Severity;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VirtualNic;
import dev.vmigrate.vsphere.DatastoreInfo;
import dev.vmigrate.vsphere.FolderInfo;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.HostInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.MappingResolver;
import dev.vmigrate.vsphere.MappingResolver.Resolution;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.NetworkInfo;
import dev.vmigrate.vsphere.RelocateCheck;
import dev.vmigrate.vsphere.ResourcePoolInfo;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The read-only head of the queue. Nothing here changes vSphere, so every action is idempotent by
 * construction and returns {@code changed = false}; the one write, SelectDestination's placement
 * mark on the VM, records the choice and is left out of the next choice for the same VM.
 */
public class AnalysisActivitiesImpl implements AnalysisActivities {
  private static final Pattern MOREF = Pattern.compile("vm-\\d+");

  private final VsphereSupport vsphere;
  private final DestinationSelection destinations;

  public AnalysisActivitiesImpl(GatewayRegistry registry, ActivitySettings settings) {
    this.vsphere = new VsphereSupport(registry, settings);
    this.destinations = new DestinationSelection(vsphere);
  }

  public AnalysisActivitiesImpl(GatewayRegistry registry) {
    this(registry, ActivitySettings.defaults());
  }

  @Override
  public PrecheckReport invokePrechecks(MigrationContext ctx) {
    VsphereGateway src = vsphere.source(ctx);
    String ref = ctx.request().vm();
    Optional<VmInfo> found;
    if (MOREF.matcher(ref).matches()) {
      try {
        found = Optional.of(src.vm(ref));
      } catch (VsphereException.NotFound e) {
        found = Optional.empty();
      } catch (VsphereException e) {
        throw VsphereSupport.failure(e);
      }
    } else {
      found = call(() -> src.findVmByInstanceUuid(ref));
    }
    if (found.isEmpty()) {
      throw nonRetryable(
          FailureTypes.PRECHECK_FAILED,
          "prechecks failed: [VM_NOT_FOUND] no VM " + ref + " in " + ctx.sourceVcenter());
    }
    VmInfo vm = found.get();
    Inventory inv = call(src::infrastructure);
    List<PrecheckFinding> findings = new ArrayList<>();
    if (!"connected".equals(vm.connectionState())) {
      findings.add(block("VM_NOT_CONNECTED", vm.name() + " is " + vm.connectionState()));
    }
    if (vm.template()) {
      findings.add(block("VM_TEMPLATE", vm.name() + " is a template"));
    }
    String lock = vm.customValue(MigrationAttributes.LOCK);
    if (lock != null && !lock.equals(ctx.migrationId())) {
      findings.add(block("VM_LOCKED", vm.name() + " is locked by migration " + lock));
    }
    InfrastructureMapping mapping = ctx.request().mapping();
    // Here an unmapped datastore stays where it is, and an unknown one is named by its id.
    MappingResolver datastores =
        new MappingResolver(mapping, inv, null)
            .namingUnknownByIds()
            .keepingUnmappedDatastoreNames();
    for (VirtualDisk d : vm.disks()) {
      Resolution<DatastoreInfo> ds = datastores.datastore(d.datastore());
      boolean moves = !Objects.equals(ds.destinationName(), ds.sourceName());
      if (d.rdm() && moves) {
        findings.add(
            block(
                "RDM_DISK",
                d.label()
                    + " of "
                    + vm.name()
                    + " is a raw device mapping and cannot change datastore"));
      } else if (d.rdm()) {
        findings.add(warn("RDM_DISK", d.label() + " of " + vm.name() + " is a raw device mapping"));
      }
      if (d.mode() != DiskMode.PERSISTENT && !d.rdm()) {
        findings.add(
            warn(
                "INDEPENDENT_DISK",
                d.label() + " of " + vm.name() + " is independent and not in snapshots"));
      }
    }
    MigrationMode mode =
        MigrationItinerary.mode(
            ctx.request().options().type(), vm.powerState(), mapping.crossVcenter());
    // A network-only migration leaves the VM on its host: a host-backed CD-ROM stays usable.
    if (vm.cdromHostDevice()
        && mode == MigrationMode.HOT
        && ctx.request().options().type() != MigrationType.NETWORK) {
      findings.add(
          block(
              "CDROM_HOST_DEVICE",
              vm.name() + " has a CD-ROM backed by a host device, which vMotion cannot move"));
    }
    if (!vm.snapshots().isEmpty()) {
      findings.add(warn("SNAPSHOTS", vm.name() + " has " + vm.snapshots().size() + " snapshot(s)"));
    }
    PrecheckReport report =
        new PrecheckReport(
            vm.identity(), vm.placement(ctx.sourceVcenter()), findings, vm.snapshots());
    if (!report.blocking().isEmpty()) {
      // The findings go along as details, so the status shows them with their severity.
      throw ApplicationFailure.newNonRetryableFailure(
          "prechecks failed for "
              + vm.name()
              + ": "
              + report.blocking().stream()
                  .map(f -> "[" + f.code() + "] " + f.message())
                  .collect(Collectors.joining("; ")),
          FailureTypes.PRECHECK_FAILED,
          (Object) report.blocking().toArray(PrecheckFinding[]::new));
    }
    return report;
  }

  @Override
  public Destination selectDestination(MigrationContext ctx) {
    return destinations.select(ctx);
  }

  @Override
  public ActionOutcome checkPermission(MigrationContext ctx) {
    if (ctx.request().options().type() == MigrationType.NETWORK) {
      return checkNetworkPermission(ctx);
    }
    VsphereGateway src = vsphere.source(ctx);
    VsphereGateway dst = vsphere.destination(ctx);
    Destination d = ctx.destination();
    boolean hot = wantsHot(ctx);
    Inventory to = call(dst::infrastructure);
    List<String> missing = new ArrayList<>();
    collect(
        missing,
        call(
            () ->
                src.missingPrivileges(
                    List.of(ctx.vm().id()),
                    Set.of(hot ? "Resource.HotMigrate" : "Resource.ColdMigrate"))),
        id -> ctx.vm().name());
    collect(
        missing,
        call(
            () ->
                dst.missingPrivileges(
                    List.of(d.resourcePool()), Set.of("Resource.AssignVMToPool"))),
        id -> to.resourcePool(id).map(ResourcePoolInfo::name).orElse(id));
    if (!hot) {
      collect(
          missing,
          call(
              () ->
                  dst.missingPrivileges(
                      List.of(d.folder()), Set.of("VirtualMachine.Inventory.Register"))),
          id -> to.folder(id).map(FolderInfo::name).orElse(id));
    }
    Set<String> datastores = new LinkedHashSet<>();
    datastores.add(d.vmxDatastore());
    d.disks().forEach(l -> datastores.add(l.datastore()));
    collect(
        missing,
        call(
            () ->
                dst.missingPrivileges(List.copyOf(datastores), Set.of("Datastore.AllocateSpace"))),
        id -> to.datastore(id).map(DatastoreInfo::name).orElse(id));
    List<String> networks = d.nics().stream().map(NicBackingChange::network).distinct().toList();
    if (!networks.isEmpty()) {
      collect(
          missing,
          call(() -> dst.missingPrivileges(networks, Set.of("Network.Assign"))),
          id -> to.network(id).map(NetworkInfo::name).orElse(id));
    }
    if (!missing.isEmpty()) {
      throw nonRetryable(
          FailureTypes.NO_PERMISSION,
          "missing privileges to migrate " + ctx.vm().name() + ": " + String.join(", ", missing));
    }
    return ActionOutcome.alreadyDone(
        "privileges to " + (hot ? "hot" : "cold") + "-migrate " + ctx.vm().name() + " granted");
  }

  /**
   * CheckPermission of a network-only migration: editing a VM's devices and assigning it to each
   * destination network is all a NIC-only ReconfigVM_Task needs.
   */
  private ActionOutcome checkNetworkPermission(MigrationContext ctx) {
    VsphereGateway src = vsphere.source(ctx);
    Inventory inv = call(src::infrastructure);
    List<String> missing = new ArrayList<>();
    collect(
        missing,
        call(
            () ->
                src.missingPrivileges(
                    List.of(ctx.vm().id()), Set.of("VirtualMachine.Config.EditDevice"))),
        id -> ctx.vm().name());
    List<String> networks =
        ctx.destination().nics().stream().map(NicBackingChange::network).distinct().toList();
    collect(
        missing,
        call(() -> src.missingPrivileges(networks, Set.of("Network.Assign"))),
        id -> inv.network(id).map(NetworkInfo::name).orElse(id));
    if (!missing.isEmpty()) {
      throw nonRetryable(
          FailureTypes.NO_PERMISSION,
          "missing privileges to move the NICs of "
              + ctx.vm().name()
              + ": "
              + String.join(", ", missing));
    }
    return ActionOutcome.alreadyDone(
        "privileges to move the NICs of " + ctx.vm().name() + " granted");
  }

  @Override
  public ActionOutcome checkCompatibility(MigrationContext ctx) {
    if (ctx.request().options().type() == MigrationType.NETWORK) {
      return checkNetworkCompatibility(ctx);
    }
    VsphereGateway src = vsphere.source(ctx);
    VsphereGateway dst = vsphere.destination(ctx);
    Destination d = ctx.destination();
    Placement origin = ctx.origin();
    HostInfo host = call(() -> dst.host(d.host()));
    Inventory to = call(dst::infrastructure);
    List<String> problems = new ArrayList<>();
    MigrationType type = ctx.request().options().type();
    if (type == MigrationType.HOT && origin.powerState() != PowerState.POWERED_ON) {
      problems.add("a hot migration needs a powered-on VM, " + ctx.vm().name() + " is off");
    }
    if (type == MigrationType.HOT && ctx.request().mapping().crossVcenter()) {
      problems.add(
          "hot migration across vCenters is not supported; migrate cold by re-registration");
    }
    Set<String> datastores = new LinkedHashSet<>();
    datastores.add(d.vmxDatastore());
    d.disks().forEach(l -> datastores.add(l.datastore()));
    for (String ds : datastores) {
      if (!host.datastores().contains(ds)) {
        problems.add(host.name() + " does not mount datastore " + names(to, Set.of(ds)));
      }
    }
    for (NicBackingChange n : d.nics()) {
      if (!host.networks().contains(n.network())) {
        problems.add(
            host.name() + " does not see network " + networkNames(to, Set.of(n.network())));
      }
    }
    VmInfo vm = call(() -> src.vm(ctx.vm().id()));
    if (hwVersion(vm.hardwareVersion()) > hwVersion(host.maxHardwareVersion())) {
      problems.add(
          vm.name()
              + " has hardware "
              + vm.hardwareVersion()
              + ", "
              + host.name()
              + " runs up to "
              + host.maxHardwareVersion());
    }
    if (wantsHot(ctx) && !ctx.request().mapping().crossVcenter()) {
      HostInfo from = call(() -> src.host(origin.host()));
      if (!from.cpuVendor().equalsIgnoreCase(host.cpuVendor())) {
        problems.add(
            "CPU vendor of "
                + host.name()
                + " ("
                + host.cpuVendor()
                + ") differs from "
                + from.name()
                + " ("
                + from.cpuVendor()
                + "), vMotion is impossible");
      }
    }
    if (!problems.isEmpty()) {
      throw nonRetryable(
          FailureTypes.INCOMPATIBLE,
          ctx.vm().name()
              + " is incompatible with the destination: "
              + String.join("; ", problems));
    }
    String verdict = vcenterVerdict(ctx, dst, vm, host);
    return ActionOutcome.alreadyDone(
        ctx.vm().name() + " is compatible with " + host.name() + " (" + verdict + ")");
  }

  /**
   * vCenter's own verdict on the relocate (CheckRelocate_Task with every test) once the local
   * checks passed; it knows what they cannot (devices, licences, EVC, datastore and network
   * details). Within one vCenter only: a cross-vCenter move re-registers, there is no relocate to
   * check.
   *
   * @return what the check said, for the outcome message
   */
  private String vcenterVerdict(
      MigrationContext ctx, VsphereGateway dst, VmInfo vm, HostInfo host) {
    boolean cross = ctx.request().mapping().crossVcenter();
    if (cross) {
      return "checked here; vCenter's relocate check does not apply to a re-registration";
    }
    PowerState power = ctx.origin().powerState();
    if (power == PowerState.POWERED_ON
        && MigrationItinerary.mode(ctx.request().options().type(), power, cross)
            == MigrationMode.COLD) {
      // vCenter checks a relocate in the VM's present power state; this one powers it off first.
      return "checked here; vCenter's relocate check would test a vMotion, this move is cold";
    }
    Optional<RelocateCheck> check =
        call(() -> dst.checkRelocate(vm.id(), Placements.toDestination(ctx.destination(), true)));
    if (check.isEmpty()) {
      return "checked here; this vCenter has no relocate check";
    }
    RelocateCheck c = check.get();
    if (!c.ok()) {
      String found = c.errors().stream().map(Failures::message).collect(Collectors.joining("; "));
      String message =
          "vCenter's relocate check refuses moving "
              + vm.name()
              + " to "
              + host.name()
              + ": "
              + found;
      if (c.errors().stream().allMatch(VsphereException::retryable)) {
        throw ApplicationFailure.newFailure(message, FailureTypes.TRANSIENT);
      }
      boolean capacity =
          c.errors().stream().anyMatch(e -> e instanceof VsphereException.InsufficientResources);
      throw nonRetryable(
          capacity ? FailureTypes.INSUFFICIENT_RESOURCES : FailureTypes.INCOMPATIBLE, message);
    }
    if (c.warnings().isEmpty()) {
      return "vCenter's relocate check passed";
    }
    return "vCenter's relocate check passed with warnings: "
        + c.warnings().stream().map(Failures::message).collect(Collectors.joining("; "));
  }

  /**
   * CheckCompatibility of a network-only migration: the host the VM runs on now must see every
   * destination network, a standard port group or a distributed port group of a switch the host is
   * a member of (vSphere lists both in the host's {@code network}), and be connected. The VM must
   * still be on the host SelectDestination found it on, as the reconfigure does not move it.
   */
  private ActionOutcome checkNetworkCompatibility(MigrationContext ctx) {
    VsphereGateway src = vsphere.source(ctx);
    VmInfo vm = call(() -> src.vm(ctx.vm().id()));
    Destination d = ctx.destination();
    HostInfo host = call(() -> src.host(vm.host()));
    Inventory inv = call(src::infrastructure);
    List<String> problems = new ArrayList<>();
    if (!vm.host().equals(d.host())) {
      problems.add(
          vm.name()
              + " moved to "
              + host.name()
              + " since its networks were resolved; order it again");
    }
    if (!"connected".equals(host.connectionState())) {
      problems.add(host.name() + " is " + host.connectionState());
    }
    for (NicBackingChange n : d.nics()) {
      if (!host.networks().contains(n.network())) {
        NetworkInfo net = inv.network(n.network()).orElse(null);
        problems.add(
            host.name()
                + " does not see "
                + (net != null && net.distributed()
                    ? "distributed port group "
                        + net.name()
                        + " (not a member of its switch "
                        + net.switchUuid()
                        + ")"
                    : "network " + networkNames(inv, Set.of(n.network()))));
      }
    }
    if (!problems.isEmpty()) {
      throw nonRetryable(
          FailureTypes.INCOMPATIBLE,
          vm.name()
              + " cannot move its NICs to the mapped networks: "
              + String.join("; ", problems));
    }
    return ActionOutcome.alreadyDone(
        host.name()
            + " sees "
            + networkNames(
                inv,
                d.nics().stream()
                    .map(NicBackingChange::network)
                    .collect(Collectors.toCollection(LinkedHashSet::new)))
            + " for "
            + vm.name());
  }

  @Override
  public MigrationSpec computeSpec(MigrationContext ctx) {
    Placement origin = ctx.origin();
    Destination d = ctx.destination();
    boolean cross = ctx.request().mapping().crossVcenter();
    MigrationType type = ctx.request().options().type();
    if (type == MigrationType.HOT && cross) {
      throw nonRetryable(
          FailureTypes.INCOMPATIBLE,
          "hot migration of " + ctx.vm().name() + " across vCenters is not supported");
    }
    VsphereGateway src = vsphere.source(ctx);
    VsphereGateway dst = vsphere.destination(ctx);
    Inventory from = call(src::infrastructure);
    Inventory to = cross ? call(dst::infrastructure) : from;
    MigrationMode mode = MigrationItinerary.mode(type, origin.powerState(), cross);

    boolean hostChange = cross || !d.host().equals(origin.host());
    Map<Integer, String> targetByDisk = new HashMap<>();
    d.disks().forEach(l -> targetByDisk.put(l.diskKey(), l.datastore()));
    long bytes = 0;
    boolean storageChange = !sameDatastore(from, to, origin.vmxDatastore(), d.vmxDatastore());
    for (VirtualDisk disk : origin.disks()) {
      String target = targetByDisk.getOrDefault(disk.key(), d.vmxDatastore());
      if (!sameDatastore(from, to, disk.datastore(), target)) {
        storageChange = true;
        bytes += disk.rdm() ? 0 : disk.capacityBytes();
      }
    }
    Map<Integer, String> targetByNic = new HashMap<>();
    d.nics().forEach(n -> targetByNic.put(n.nicKey(), n.network()));
    boolean networkChange = false;
    for (VirtualNic nic : origin.nics()) {
      String target = targetByNic.get(nic.key());
      if (target != null && !sameNetwork(from, to, nic.network(), target)) {
        networkChange = true;
      }
    }
    if (cross && storageChange) {
      throw nonRetryable(
          FailureTypes.INCOMPATIBLE,
          ctx.vm().name()
              + ": a migration across vCenters re-registers the VM and needs the same"
              + " (shared) datastores on both sides");
    }
    List<MigrationAction> itinerary =
        MigrationItinerary.after(
            new MigrationItinerary.Facts(
                mode, cross, origin.powerState(), storageChange, networkChange));
    return new MigrationSpec(
        mode, hostChange, storageChange, networkChange, cross, bytes, itinerary);
  }

  /** Whether the itinerary goes hot for this migration (decided by MigrationItinerary). */
  static boolean wantsHot(MigrationContext ctx) {
    return MigrationItinerary.mode(
            ctx.request().options().type(),
            ctx.origin().powerState(),
            ctx.request().mapping().crossVcenter())
        == MigrationMode.HOT;
  }

  private static boolean sameDatastore(Inventory from, Inventory to, String a, String b) {
    if (from == to) {
      return Objects.equals(a, b);
    }
    return Objects.equals(
        from.datastore(a).map(DatastoreInfo::name).orElse(a),
        to.datastore(b).map(DatastoreInfo::name).orElse(b));
  }

  private static boolean sameNetwork(Inventory from, Inventory to, String a, String b) {
    if (from == to) {
      return Objects.equals(a, b);
    }
    return Objects.equals(
        from.network(a).map(NetworkInfo::name).orElse(a),
        to.network(b).map(NetworkInfo::name).orElse(b));
  }

  private static void collect(
      List<String> out,
      Map<String, Set<String>> missing,
      java.util.function.Function<String, String> name) {
    missing.forEach(
        (entity, privileges) ->
            privileges.stream().sorted().forEach(p -> out.add(name.apply(entity) + ": " + p)));
  }

  static String names(Inventory inv, Set<String> datastores) {
    return datastores.stream()
        .map(id -> inv.datastore(id).map(DatastoreInfo::name).orElse(id))
        .collect(Collectors.joining(", "));
  }

  static String networkNames(Inventory inv, Set<String> networks) {
    return networks.stream()
        .map(id -> inv.network(id).map(NetworkInfo::name).orElse(id))
        .collect(Collectors.joining(", "));
  }

  static int hwVersion(String v) {
    try {
      return v == null ? 0 : Integer.parseInt(v.replaceAll("\\D", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static PrecheckFinding block(String code, String message) {
    return new PrecheckFinding(Severity.BLOCKING, code, message);
  }

  private static PrecheckFinding warn(String code, String message) {
    return new PrecheckFinding(Severity.WARNING, code, message);
  }
}

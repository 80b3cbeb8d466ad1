package dev.vmigrate.activity.impl;

import static dev.vmigrate.activity.impl.AnalysisActivitiesImpl.names;
import static dev.vmigrate.activity.impl.AnalysisActivitiesImpl.networkNames;
import static dev.vmigrate.activity.impl.AnalysisActivitiesImpl.wantsHot;
import static dev.vmigrate.activity.impl.VsphereSupport.call;
import static dev.vmigrate.activity.impl.VsphereSupport.nonRetryable;

import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.Destination;
import dev.vmigrate.model.DiskLocator;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.HostChoice;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.NicBackingChange;
import dev.vmigrate.model.Placement;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VirtualNic;
import dev.vmigrate.vsphere.ClusterInfo;
import dev.vmigrate.vsphere.DatastoreInfo;
import dev.vmigrate.vsphere.FolderInfo;
import dev.vmigrate.vsphere.HostInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.MappingResolver;
import dev.vmigrate.vsphere.MappingResolver.ClusterResolution;
import dev.vmigrate.vsphere.MappingResolver.Outcome;
import dev.vmigrate.vsphere.MappingResolver.Resolution;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.NetworkInfo;
import dev.vmigrate.vsphere.ResourcePoolInfo;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereGateway;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * SelectDestination, for {@link AnalysisActivitiesImpl}: maps the VM's cluster, pool, folder,
 * datastores and networks, then picks a host with {@link HostScheduler} and marks the VM with the
 * choice.
 */
class DestinationSelection {
  private final VsphereSupport vsphere;

  DestinationSelection(VsphereSupport vsphere) {
    this.vsphere = vsphere;
  }

  Destination select(MigrationContext ctx) {
    if (ctx.request().options().type() == MigrationType.NETWORK) {
      return inPlace(ctx);
    }
    VsphereGateway src = vsphere.source(ctx);
    VsphereGateway dst = vsphere.destination(ctx);
    Placement origin = ctx.origin();
    Inventory from = call(src::infrastructure);
    Inventory to = ctx.request().mapping().crossVcenter() ? call(dst::infrastructure) : from;
    InfrastructureMapping mapping = ctx.request().mapping();
    String vmName = ctx.vm().name();

    MappingResolver resolver = new MappingResolver(mapping, from, to);
    ClusterResolution resolved = resolver.cluster(origin.cluster());
    if (resolved.outcome() == Outcome.UNKNOWN_SOURCE) {
      throw noDestination(vmName + " runs on a host outside any cluster; only clusters are mapped");
    }
    String sourceCluster = resolved.sourceName();
    if (!resolved.mapped()) {
      throw noDestination("source cluster " + sourceCluster + " is not mapped");
    }
    ClusterMapping cm = resolved.mapping();
    ClusterInfo cluster = resolved.destination();
    if (cluster == null) {
      throw noDestination(
          "cluster "
              + cm.destination()
              + " (mapped from "
              + sourceCluster
              + ") does not exist in "
              + ctx.destinationVcenter());
    }
    String pool =
        cm.resourcePool() == null
            ? cluster.rootResourcePool()
            : resolver
                .resourcePool(cm, cluster)
                .map(ResourcePoolInfo::id)
                .orElseThrow(
                    () ->
                        noDestination(
                            "resource pool "
                                + cm.resourcePool()
                                + " (mapped from cluster "
                                + sourceCluster
                                + ") does not exist in cluster "
                                + cluster.name()));
    String folder;
    if (cm.folder() != null) {
      folder =
          resolver
              .folder(cm)
              .map(FolderInfo::id)
              .orElseThrow(
                  () ->
                      noDestination(
                          "folder "
                              + cm.folder()
                              + " (mapped from cluster "
                              + sourceCluster
                              + ") does not exist"));
    } else if (!mapping.crossVcenter()) {
      folder = origin.folder();
    } else {
      folder =
          to.datacenters().stream()
              .filter(dc -> dc.id().equals(cluster.datacenter()))
              .findFirst()
              .map(dc -> dc.vmFolder())
              .orElseThrow(() -> noDestination("no datacenter for cluster " + cluster.name()));
    }

    String vmxDatastore =
        mapDatastore(resolver, origin.vmxDatastore(), "the configuration of " + vmName);
    List<DiskLocator> disks = new ArrayList<>();
    for (VirtualDisk d : origin.disks()) {
      disks.add(
          new DiskLocator(
              d.key(), mapDatastore(resolver, d.datastore(), d.label() + " of " + vmName)));
    }
    List<NicBackingChange> nics = new ArrayList<>();
    for (VirtualNic n : origin.nics()) {
      Resolution<NetworkInfo> net = resolver.network(n.network());
      if (net.outcome() == Outcome.UNKNOWN_SOURCE) {
        throw noDestination(n.label() + " of " + vmName + " has no known network");
      }
      if (!net.mapped()) {
        throw noDestination(
            "network " + net.sourceName() + " (" + n.label() + " of " + vmName + ") is not mapped");
      }
      if (net.destination() == null) {
        throw noDestination(
            "network "
                + net.destinationName()
                + " (mapped from "
                + net.sourceName()
                + ") does not exist in "
                + ctx.destinationVcenter());
      }
      String id = net.destination().id();
      nics.add(new NicBackingChange(n.key(), id));
    }

    Set<String> neededDatastores = new LinkedHashSet<>();
    neededDatastores.add(vmxDatastore);
    disks.forEach(d -> neededDatastores.add(d.datastore()));
    Set<String> neededNetworks =
        nics.stream().map(NicBackingChange::network).collect(Collectors.toSet());
    requireRoom(to, origin, disks, mapping.crossVcenter());

    VmInfo vm = call(() -> src.vm(ctx.vm().id()));
    boolean cross = mapping.crossVcenter();
    String sourceVendor =
        wantsHot(ctx) && !cross
            ? from.host(origin.host()).map(HostInfo::cpuVendor).orElse(null)
            : null;
    HostScheduler.Demand demand =
        new HostScheduler.Demand(
            vm.memoryMb(),
            vm.cpus(),
            vm.hardwareVersion(),
            neededDatastores,
            neededNetworks,
            sourceVendor,
            !cross && vm.powerState() == PowerState.POWERED_ON ? vm.host() : null);
    List<HostInfo> hosts =
        cluster.hosts().stream()
            .map(id -> to.host(id).orElse(null))
            .filter(Objects::nonNull)
            .toList();
    // Choices in this worker are made one at a time per destination cluster, so that a plan's
    // migrations choosing at the same moment each see the marks of the ones before. The wait is
    // bounded, well inside the action's timeout: past it the choice goes ahead unserialized.
    ReentrantLock lock =
        CHOOSING.computeIfAbsent(
            ctx.destinationVcenter() + "/" + cluster.id(), k -> new ReentrantLock(true));
    boolean locked = false;
    Placed placed;
    try {
      locked = lock.tryLock(CHOOSING_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      placed = place(ctx, src, dst, hosts, demand);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure(
          "interrupted choosing a host for " + vmName, FailureTypes.TRANSIENT);
    } finally {
      if (locked) {
        lock.unlock();
      }
    }
    if (placed.host() == null) {
      HostScheduler.Decision decision = placed.decision();
      throw nonRetryable(
          decision.incompatible() ? FailureTypes.INCOMPATIBLE : FailureTypes.NO_DESTINATION,
          "no host in cluster "
              + cluster.name()
              + " can take "
              + vmName
              + " (it needs datastores "
              + names(to, neededDatastores)
              + " and networks "
              + networkNames(to, neededNetworks)
              + "): "
              + String.join("; ", decision.rejected()));
    }
    return new Destination(
        ctx.destinationVcenter(),
        placed.host().id(),
        cluster.id(),
        pool,
        folder,
        vmxDatastore,
        disks,
        nics,
        placed.choice());
  }

  private static final ConcurrentHashMap<String, ReentrantLock> CHOOSING =
      new ConcurrentHashMap<>();
  private static final Duration CHOOSING_WAIT = Duration.ofSeconds(30);

  /** The chosen host (null when every host was filtered out), why, and the decision behind. */
  private record Placed(HostInfo host, HostChoice choice, HostScheduler.Decision decision) {}

  /** Counts the loads, decides, and marks the VM with the choice when it belongs to a request. */
  private static Placed place(
      MigrationContext ctx,
      VsphereGateway src,
      VsphereGateway dst,
      List<HostInfo> hosts,
      HostScheduler.Demand demand) {
    boolean cross = ctx.request().mapping().crossVcenter();
    String requestId = ctx.request().requestId();
    Map<String, String> ownMarks = new HashMap<>();
    HostScheduler.Load load =
        new HostScheduler.Load(
            placedByRequest(src, dst, ctx.vm().id(), requestId, ctx.destinationVcenter(), ownMarks),
            inFlightByHost(src, dst, ctx.vm().id(), ctx.destinationVcenter()));
    HostScheduler.Decision decision = HostScheduler.decide(hosts, demand, load);
    if (decision.ranked().isEmpty()) {
      return new Placed(null, null, decision);
    }
    // A VM already on a host that passes the filter stays there: no compute move at all.
    Optional<HostScheduler.Scored> stay =
        cross
            ? Optional.empty()
            : decision.ranked().stream()
                .filter(c -> c.host().id().equals(ctx.origin().host()))
                .findFirst();
    HostScheduler.Scored chosen = stay.orElseGet(() -> decision.best().orElseThrow());
    HostInfo host = chosen.host();
    if (requestId != null) {
      String mark =
          VsphereSupport.json(
              new PlacementMark(requestId, ctx.destinationVcenter(), host.id(), ctx.migrationId()));
      if (!mark.equals(ownMarks.get(ctx.vm().id()))) {
        VsphereSupport.run(
            () -> src.setCustomValue(ctx.vm().id(), MigrationAttributes.PLACEMENT, mark));
      }
    }
    return new Placed(
        host, HostScheduler.choice(requestId, chosen, decision, load, stay.isPresent()), decision);
  }

  /**
   * The mark SelectDestination leaves on a VM ({@link MigrationAttributes#PLACEMENT}).
   *
   * @param request the request that placed the VM
   * @param vcenter the destination vCenter
   * @param host the chosen host
   * @param migration the migration id
   */
  record PlacementMark(String request, String vcenter, String host, String migration) {}

  private static void requireRoom(
      Inventory to, Placement origin, List<DiskLocator> disks, boolean cross) {
    Map<String, Long> incoming = new LinkedHashMap<>();
    Map<Integer, VirtualDisk> byKey = new HashMap<>();
    origin.disks().forEach(d -> byKey.put(d.key(), d));
    for (DiskLocator l : disks) {
      VirtualDisk d = byKey.get(l.diskKey());
      if (d != null && !d.rdm() && (cross || !l.datastore().equals(d.datastore()))) {
        incoming.merge(l.datastore(), d.capacityBytes(), Long::sum);
      }
    }
    if (cross) {
      return; // Re-registration on shared storage moves no bytes.
    }
    for (var e : incoming.entrySet()) {
      DatastoreInfo ds = to.datastore(e.getKey()).orElseThrow();
      if (ds.freeBytes() < e.getValue()) {
        throw nonRetryable(
            FailureTypes.INSUFFICIENT_RESOURCES,
            "datastore "
                + ds.name()
                + " has "
                + ds.freeBytes()
                + " bytes free, the disks need "
                + e.getValue());
      }
    }
  }

  /**
   * How many VMs this request already placed on each host of the destination vCenter: the VMs whose
   * {@link MigrationAttributes#PLACEMENT} mark names the request, read in both vCenters, this VM
   * left out (so that a second run of the choice does not count its own first one). The VM's own
   * mark in the source vCenter goes to {@code own}.
   */
  private static Map<String, Integer> placedByRequest(
      VsphereGateway src,
      VsphereGateway dst,
      String ownVmId,
      String requestId,
      String destinationVcenter,
      Map<String, String> own) {
    Map<String, Integer> placed = new HashMap<>();
    if (requestId == null) {
      return placed;
    }
    for (VsphereGateway gw : gateways(src, dst)) {
      Map<String, String> marks = call(() -> gw.vmCustomValues(MigrationAttributes.PLACEMENT));
      marks.forEach(
          (vmId, json) -> {
            if (gw == src && vmId.equals(ownVmId)) {
              own.put(vmId, json);
              return;
            }
            VsphereSupport.parse(json, PlacementMark.class)
                .filter(m -> requestId.equals(m.request()))
                .filter(m -> destinationVcenter.equals(m.vcenter()))
                .ifPresent(m -> placed.merge(m.host(), 1, Integer::sum));
          });
    }
    return placed;
  }

  /** The source gateway, and the destination's when it is another vCenter. */
  private static List<VsphereGateway> gateways(VsphereGateway src, VsphereGateway dst) {
    return src.vcenterId().equals(dst.vcenterId()) ? List.of(src) : List.of(src, dst);
  }

  /**
   * How many other migrations are headed for each host: the VMs whose recorded destination names
   * it, read from one custom attribute of each VM in both vCenters (a VM bound for this vCenter may
   * still be registered in another). Only the source vCenter is read when they are the same.
   */
  private static Map<String, Integer> inFlightByHost(
      VsphereGateway src, VsphereGateway dst, String ownVmId, String destinationVcenter) {
    Map<String, Integer> load = new HashMap<>();
    for (VsphereGateway gw : gateways(src, dst)) {
      Map<String, String> recorded = call(() -> gw.vmCustomValues(MigrationAttributes.DESTINATION));
      recorded.forEach(
          (vmId, json) -> {
            if (gw == src && vmId.equals(ownVmId)) {
              return;
            }
            VsphereSupport.parse(json, Destination.class)
                .filter(d -> destinationVcenter.equals(d.vcenter()))
                .map(Destination::host)
                .ifPresent(h -> load.merge(h, 1, Integer::sum));
          });
    }
    return load;
  }

  private static String mapDatastore(MappingResolver resolver, String sourceId, String what) {
    Resolution<DatastoreInfo> ds = resolver.datastore(sourceId);
    if (ds.outcome() == Outcome.UNKNOWN_SOURCE) {
      throw noDestination(what + " is on an unknown datastore " + sourceId);
    }
    if (!ds.mapped()) {
      throw noDestination("datastore " + ds.sourceName() + " (" + what + ") is not mapped");
    }
    if (ds.destination() == null) {
      throw noDestination(
          "datastore "
              + ds.destinationName()
              + " (mapped from "
              + ds.sourceName()
              + ") does not exist");
    }
    return ds.destination().id();
  }

  /**
   * A network-only migration's destination: the VM's own host, pool, folder and datastores, with
   * the NICs whose network the mapping names moved to the mapped network. NICs on unmapped networks
   * stay where they are. No host is chosen, so no placement mark is written.
   */
  private Destination inPlace(MigrationContext ctx) {
    VsphereGateway src = vsphere.source(ctx);
    Placement origin = ctx.origin();
    Inventory inv = call(src::infrastructure);
    MappingResolver resolver = new MappingResolver(ctx.request().mapping(), inv, inv);
    String vmName = ctx.vm().name();
    List<NicBackingChange> nics = new ArrayList<>();
    for (VirtualNic n : origin.nics()) {
      Resolution<NetworkInfo> net = resolver.network(n.network());
      if (!net.mapped()) {
        continue;
      }
      if (net.destination() == null) {
        throw noDestination(
            "network "
                + net.destinationName()
                + " (mapped from "
                + net.sourceName()
                + ", "
                + n.label()
                + " of "
                + vmName
                + ") does not exist in "
                + ctx.sourceVcenter());
      }
      nics.add(new NicBackingChange(n.key(), net.destination().id()));
    }
    if (nics.isEmpty()) {
      throw noDestination(
          vmName
              + " has no NIC on a mapped network (its networks: "
              + AnalysisActivitiesImpl.networkNames(
                  inv,
                  origin.nics().stream()
                      .map(VirtualNic::network)
                      .filter(Objects::nonNull)
                      .collect(Collectors.toCollection(LinkedHashSet::new)))
              + ")");
    }
    List<DiskLocator> disks =
        origin.disks().stream().map(d -> new DiskLocator(d.key(), d.datastore())).toList();
    return new Destination(
        ctx.sourceVcenter(),
        origin.host(),
        origin.cluster(),
        origin.resourcePool(),
        origin.folder(),
        origin.vmxDatastore(),
        disks,
        nics,
        null);
  }

  private static io.temporal.failure.ApplicationFailure noDestination(String message) {
    return nonRetryable(FailureTypes.NO_DESTINATION, message);
  }
}

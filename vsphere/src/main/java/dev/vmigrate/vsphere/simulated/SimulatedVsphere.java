package dev.vmigrate.vsphere.simulated;

import dev.vmigrate.model.NicBackingChange;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.vsphere.DatastoreInfo;
import dev.vmigrate.vsphere.HostInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.MigrationMarks;
import dev.vmigrate.vsphere.RegisterSpec;
import dev.vmigrate.vsphere.RelocateCheck;
import dev.vmigrate.vsphere.RelocateSpec;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.TaskRef;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.simulated.SimEstate.Vm;
import dev.vmigrate.vsphere.simulated.SimTasks.Task;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * An in-process vCenter for tests, the demo and benchmarks. Thread-safe: every call runs under one
 * lock. Built with {@link #builder(String)}.
 *
 * <p>Tasks run in simulated time read from an injectable {@link Clock}: a data-moving task takes
 * bytes moved ÷ {@link Builder#bandwidth bandwidth}, its progress rises over that time and its
 * effect applies when it completes; every call first settles the tasks that have finished by then.
 * Zero bandwidth or zero bytes makes a task complete at once.
 *
 * <p>It enforces what vSphere enforces: a host must mount every datastore and see every network of
 * a VM placed on it; a disconnected host or one in maintenance mode takes no new VM; a powered-on
 * VM cannot be unregistered; a VM's resource pool belongs to its host's cluster, or to the host's
 * own compute resource when the host is standalone; datastores have finite space; names are unique
 * within a folder; instance UUIDs are unique in the vCenter; one task at a time per VM. An
 * unregistered VM's files stay in {@link SimulatedFiles}, so registering its .vmx brings it back
 * with the same UUIDs under a new managed object id (custom attributes, which live in vCenter's
 * database, are lost).
 *
 * <p>Like vCenter (and vcsim), a power operation towards the state the VM is already in, and a
 * registration of a missing .vmx or of one that is already registered, return a task that ends in
 * ERROR (InvalidPowerState, FileNotFound, AlreadyExists); unknown managed objects and a VM busy
 * with another task are refused by the call itself.
 *
 * <p>Test controls: {@link #failNext}, {@link #failAlways}, {@link #failTask}, {@link
 * #disconnectHost}, {@link #setMaintenanceMode}, {@link #deny} and call counters per operation and
 * entity ({@link #calls(String, String)}).
 */
public final class SimulatedVsphere implements VsphereGateway {
  private String vcenterId;
  private Duration latency = Duration.ZERO;

  // Collaborators without locks of their own: they are called only while holding this lock.
  final SimEstate estate = new SimEstate();
  final SimTasks tasks = new SimTasks(estate);
  final PlacementRules rules = new PlacementRules(estate);
  private final SimRecords records = new SimRecords(estate);
  private final SimOperations operations = new SimOperations(estate, rules, tasks);

  private final List<FaultRule> faults = new ArrayList<>();
  private final Map<String, Map<String, Integer>> calls = new TreeMap<>();
  private final Map<String, Set<String>> denied = new HashMap<>();

  private SimulatedVsphere(String vcenterId) {
    this.vcenterId = vcenterId;
  }

  /** A builder for a simulated vCenter with this connection id. */
  public static Builder builder(String vcenterId) {
    return new Builder(vcenterId);
  }

  /**
   * A builder for a simulated vCenter that starts as a copy of an inventory read from a real one
   * (e.g. {@code gateway.inventory()}): every managed object keeps its id, name and relations, so
   * that plans and migration records made against the original apply to the copy, and {@code
   * inventory()} reads back what was copied. Set the clock, bandwidth, {@link PhysicalModel} or
   * latency on the returned builder before {@link Builder#build()}; objects it creates later (VMs
   * registered again, builder additions) take ids above every copied one. The copy takes only the
   * value: nothing is read from or done to the vCenter it came from.
   *
   * <p>What the copy derives rather than stores, and so follows the simulation once it runs:
   * datastore free space (the space that the copied VMs' disks do not account for is held as used
   * by other files, negative with thin disks, so that free space reads as it was read), host memory
   * and CPU usage (the read usage less the configured size of the host's powered-on VMs is kept as
   * an offset), a VM's cluster (its host's) and its connection state (its host's, unless it was
   * read otherwise, e.g. "orphaned"), its disks' and .vmx's datastores (by the name in the file
   * path) and a network adapter's connection (changes at power-on and power-off).
   *
   * <p>Not in an inventory, so assumed: VMware Tools run in every guest; every privilege is granted
   * and no task has run (until {@link #deny} or the simulation's own); a standalone host's compute
   * resource is matched to a root resource pool by the pools of its VMs, by a pool owned by the
   * host, or else by pairing the hosts and pools left in the order of their ids when as many of
   * each are left (else it gets its own compute resource without pools); the datacenter of a
   * standalone host, datastore or network (only builder additions use it).
   *
   * <p>Does not round-trip: a disk or .vmx whose datastore shares its name with an earlier
   * datastore reads as that one's; a network adapter whose network is not in the inventory reads
   * without a network; free space above the capacity reads as the capacity, negative usage as 0.
   *
   * @throws IllegalArgumentException naming the entry when an id is missing or used twice, or a
   *     VM's .vmx or disk path is not a datastore path
   */
  public static Builder copyOf(String vcenterId, Inventory inventory) {
    Builder builder = new Builder(vcenterId);
    new InventoryCopy(builder.sim.estate).copy(inventory);
    return builder;
  }

  // ---------------------------------------------------------------- gateway: reads

  @Override
  public String vcenterId() {
    return vcenterId;
  }

  @Override
  public Inventory inventory() {
    enter("inventory", null, null);
    return snapshot(true);
  }

  @Override
  public Inventory infrastructure() {
    enter("infrastructure", null, null);
    return snapshot(false);
  }

  @Override
  public Map<String, String> vmCustomValues(String key) {
    enter("vmCustomValues", null, null);
    synchronized (this) {
      tasks.settle();
      Map<String, String> values = new LinkedHashMap<>();
      for (Vm vm : estate.vms.values()) {
        String value = vm.customValues.get(key);
        if (value != null && !value.isEmpty()) {
          values.put(vm.id, value);
        }
      }
      return values;
    }
  }

  @Override
  public MigrationMarks migrationMarks() {
    enter("migrationMarks", null, null);
    synchronized (this) {
      tasks.settle();
      List<MigrationMarks.MarkedVm> vms = new ArrayList<>();
      for (SimEstate.Vm vm : estate.vms.values()) {
        Map<String, String> marks = MigrationMarks.ofVmigrate(vm.customValues);
        if (!marks.isEmpty()) {
          VmInfo info = records.vmInfo(vm);
          vms.add(
              new MigrationMarks.MarkedVm(
                  info.id(),
                  info.name(),
                  info.instanceUuid(),
                  info.powerState(),
                  info.host(),
                  info.resourcePool(),
                  info.vmxDatastore(),
                  marks));
        }
      }
      List<MigrationMarks.MarkedDatastore> datastores = new ArrayList<>();
      for (SimEstate.Ds ds : estate.datastores.values()) {
        Map<String, String> marks = MigrationMarks.ofVmigrate(ds.customValues);
        if (!marks.isEmpty()) {
          datastores.add(new MigrationMarks.MarkedDatastore(ds.id, ds.name, marks));
        }
      }
      return new MigrationMarks(vcenterId(), vms, datastores);
    }
  }

  @Override
  public Optional<VmInfo> findVmInFolder(String folderId, String name) {
    enter("findVmInFolder", folderId, null);
    synchronized (this) {
      tasks.settle();
      return Optional.ofNullable(estate.vmsByFolder.getOrDefault(folderId, Map.of()).get(name))
          .map(records::vmInfo);
    }
  }

  private Inventory snapshot(boolean withVms) {
    synchronized (this) {
      tasks.settle();
      return records.inventory(withVms);
    }
  }

  @Override
  public VmInfo vm(String vmId) {
    enter("vm", vmId, null);
    synchronized (this) {
      tasks.settle();
      return records.vmInfo(estate.requireVm(vmId));
    }
  }

  @Override
  public Optional<VmInfo> findVmByInstanceUuid(String instanceUuid) {
    enter("findVmByInstanceUuid", instanceUuid, null);
    synchronized (this) {
      tasks.settle();
      return estate.findByUuid(instanceUuid).map(records::vmInfo);
    }
  }

  @Override
  public HostInfo host(String hostId) {
    enter("host", hostId, null);
    synchronized (this) {
      tasks.settle();
      return records.hostInfo(estate.requireHost(hostId));
    }
  }

  @Override
  public DatastoreInfo datastore(String datastoreId) {
    enter("datastore", datastoreId, null);
    synchronized (this) {
      tasks.settle();
      return records.datastoreInfo(estate.requireDatastore(datastoreId));
    }
  }

  @Override
  public Map<String, Set<String>> missingPrivileges(
      List<String> entityIds, Set<String> privileges) {
    enter("missingPrivileges", null, null);
    synchronized (this) {
      Map<String, Set<String>> result = new LinkedHashMap<>();
      for (String entity : entityIds) {
        Set<String> missing = new LinkedHashSet<>();
        for (String p : privileges) {
          if (denied.getOrDefault(entity, Set.of()).contains(p)
              || denied.getOrDefault("*", Set.of()).contains(p)) {
            missing.add(p);
          }
        }
        if (!missing.isEmpty()) {
          result.put(entity, missing);
        }
      }
      return result;
    }
  }

  @Override
  public TaskInfo task(TaskRef ref) {
    Task known;
    synchronized (this) {
      known = tasks.byId.get(ref.id());
    }
    enter("task", known == null ? ref.id() : known.entity, null);
    synchronized (this) {
      tasks.settle();
      return tasks.require(ref.id()).info(tasks.clock.instant());
    }
  }

  @Override
  public List<TaskInfo> recentTasks(String entityId) {
    enter("recentTasks", entityId, null);
    synchronized (this) {
      tasks.settle();
      if (!estate.entityExists(entityId)) {
        throw new VsphereException.NotFound(
            "ManagedObjectNotFound", "managed object " + entityId + " does not exist");
      }
      return tasks.recent(entityId);
    }
  }

  @Override
  public List<TaskInfo> taskHistory(String entityId, Instant since) {
    enter("taskHistory", entityId, null);
    synchronized (this) {
      tasks.settle();
      if (!estate.entityExists(entityId)) {
        throw new VsphereException.NotFound(
            "ManagedObjectNotFound", "managed object " + entityId + " does not exist");
      }
      List<TaskInfo> all = tasks.history(entityId, since);
      return all.subList(Math.max(0, all.size() - 100), all.size());
    }
  }

  @Override
  public boolean cancelTask(TaskRef ref) {
    enter("cancelTask", ref.id(), null);
    synchronized (this) {
      tasks.settle();
      return tasks.cancel(ref.id());
    }
  }

  // ---------------------------------------------------------------- gateway: operations

  @Override
  public TaskRef relocate(String vmId, RelocateSpec spec) {
    enter("relocate", vmId, null);
    synchronized (this) {
      tasks.settle();
      return operations.relocate(vmId, spec);
    }
  }

  @Override
  public Optional<RelocateCheck> checkRelocate(String vmId, RelocateSpec spec) {
    enter("checkRelocate", vmId, null);
    synchronized (this) {
      tasks.settle();
      return Optional.of(operations.checkRelocate(vmId, spec));
    }
  }

  @Override
  public void unregister(String vmId) {
    enter("unregister", vmId, null);
    synchronized (this) {
      tasks.settle();
      operations.unregister(vmId);
    }
  }

  @Override
  public TaskRef register(RegisterSpec spec) {
    enter("register", spec.vmPathName(), null);
    synchronized (this) {
      tasks.settle();
      return operations.register(spec);
    }
  }

  @Override
  public TaskRef reconfigureNics(String vmId, List<NicBackingChange> changes) {
    enter("reconfigureNics", vmId, null);
    synchronized (this) {
      tasks.settle();
      return operations.reconfigureNics(vmId, changes);
    }
  }

  @Override
  public TaskRef moveIntoFolder(String vmId, String folderId) {
    enter("moveIntoFolder", vmId, null);
    synchronized (this) {
      tasks.settle();
      return operations.moveIntoFolder(vmId, folderId);
    }
  }

  @Override
  public TaskRef powerOn(String vmId) {
    enter("powerOn", vmId, null);
    synchronized (this) {
      tasks.settle();
      return operations.powerOn(vmId);
    }
  }

  @Override
  public TaskRef powerOff(String vmId) {
    enter("powerOff", vmId, null);
    synchronized (this) {
      tasks.settle();
      return operations.powerOff(vmId);
    }
  }

  @Override
  public void shutdownGuest(String vmId) {
    enter("shutdownGuest", vmId, null);
    synchronized (this) {
      tasks.settle();
      operations.shutdownGuest(vmId);
    }
  }

  @Override
  public void setCustomValue(String entityId, String key, String value) {
    enter("setCustomValue", entityId, key);
    synchronized (this) {
      tasks.settle();
      operations.setCustomValue(entityId, key, value);
    }
  }

  // ---------------------------------------------------------------- controls for tests and demo

  /**
   * Fails the next {@code times} calls of a gateway operation (method name, e.g. "relocate");
   * narrow it with {@link FaultRule#on} and {@link FaultRule#key}, choose the fault with {@link
   * FaultRule#with} (default: retryable HostCommunication).
   */
  public synchronized FaultRule failNext(String operation, int times) {
    if (times <= 0) {
      throw new IllegalArgumentException("times must be positive");
    }
    FaultRule rule = new FaultRule(operation, times);
    faults.add(rule);
    return rule;
  }

  /** Fails every call of a gateway operation until {@link #clearFaults()}. */
  public synchronized FaultRule failAlways(String operation) {
    FaultRule rule = new FaultRule(operation, -1);
    faults.add(rule);
    return rule;
  }

  /**
   * Makes the next task started by a gateway operation (e.g. "relocate") on an entity (the VM; null
   * for any) reach {@code atPercent} of its duration and then end in ERROR with this fault, without
   * its effect.
   */
  public synchronized void failTask(
      String operation, String entityId, int atPercent, VsphereException fault) {
    tasks.taskFaults.add(
        new SimTasks.TaskFault(operation, entityId, Math.max(0, Math.min(99, atPercent)), fault));
  }

  /** Disarms every fault rule and task fault. */
  public synchronized void clearFaults() {
    faults.clear();
    tasks.taskFaults.clear();
  }

  /** Calls of an operation about one entity, failed ones included. */
  public synchronized int calls(String operation, String entityId) {
    return calls.getOrDefault(operation, Map.of()).getOrDefault(String.valueOf(entityId), 0);
  }

  /** Calls of an operation, all entities together. */
  public synchronized int calls(String operation) {
    return calls.getOrDefault(operation, Map.of()).values().stream().mapToInt(i -> i).sum();
  }

  public synchronized void resetCounters() {
    calls.clear();
  }

  /** Takes a host out of vCenter's reach ("disconnected"); its VMs read as disconnected. */
  public synchronized void disconnectHost(String hostId) {
    tasks.settle();
    estate.requireHost(hostId).connectionState = "disconnected";
  }

  /** Marks a host "notResponding", as when its management agent stops answering. */
  public synchronized void hostNotResponding(String hostId) {
    tasks.settle();
    estate.requireHost(hostId).connectionState = "notResponding";
  }

  public synchronized void reconnectHost(String hostId) {
    tasks.settle();
    estate.requireHost(hostId).connectionState = "connected";
  }

  public synchronized void setMaintenanceMode(String hostId, boolean inMaintenance) {
    tasks.settle();
    estate.requireHost(hostId).maintenance = inMaintenance;
  }

  /** Withholds privileges on an entity ("*" for every entity) from the session's user. */
  public synchronized void deny(String entityId, String... privileges) {
    denied.computeIfAbsent(entityId, k -> new HashSet<>()).addAll(List.of(privileges));
  }

  /** Grants every privilege again. */
  public synchronized void grantAll() {
    denied.clear();
  }

  /** Whether VMware Tools run in the guest, which a guest shutdown needs. */
  public synchronized void setToolsRunning(String vmId, boolean running) {
    estate.requireVm(vmId).toolsRunning = running;
  }

  /** Sets a power state directly, as if someone had used the vSphere client. */
  public synchronized void setPowerState(String vmId, PowerState state) {
    tasks.settle();
    estate.setPower(estate.requireVm(vmId), state);
  }

  public synchronized void setBandwidth(long bytesPerSecond) {
    tasks.bandwidthBytesPerSecond = bytesPerSecond;
  }

  /**
   * Switches the shared-bandwidth model on (or off with null) for the tasks that start from now on;
   * running tasks keep the resources they cross.
   */
  public synchronized void setPhysicalModel(PhysicalModel model) {
    tasks.settle();
    tasks.model = model;
  }

  /** A datastore's throughput under the physical model, where it differs from the model's. */
  public synchronized void setDatastoreThroughput(String datastoreName, long bytesPerSecond) {
    tasks.settle();
    tasks.datastoreThroughput.put(datastoreName, bytesPerSecond);
  }

  public synchronized void setLatency(Duration perCall) {
    this.latency = perCall;
  }

  public synchronized void setGuestShutdownDelay(Duration delay) {
    tasks.guestShutdownDelay = delay;
  }

  /**
   * The bottleneck over time under the {@link PhysicalModel}: a sample each time the most utilised
   * resource (a host's vMotion link or a datastore, by name), its utilisation or its number of
   * transfers changed, in time order, with a sample of no resource and utilisation 0 when the last
   * transfer ended. Empty without the model. One sample per change, whatever the number of
   * resources.
   */
  public synchronized List<ResourceSample> bottlenecks() {
    tasks.settle();
    return List.copyOf(tasks.bottlenecks);
  }

  /**
   * For each resource that has been the bottleneck, the seconds (of the simulator's clock, up to
   * now) during which it was, with some use; by the resource names of {@link #bottlenecks()}.
   */
  public synchronized Map<String, Double> bottleneckSeconds() {
    tasks.settle();
    return tasks.bottleneckSeconds();
  }

  /**
   * A lower bound, in seconds, on how long the bytes the tasks have moved so far needed under the
   * {@link PhysicalModel}, whatever the order and concurrency they ran in: each link and datastore
   * carrying all of its transfers' bytes at its full capacity, and no transfer faster than its
   * slowest resource alone. Benchmarks divide makespans by it. 0 without the model.
   */
  public synchronized double transferLowerBoundSeconds() {
    tasks.settle();
    return tasks.transferLowerBoundSeconds();
  }

  public synchronized Clock clock() {
    return tasks.clock;
  }

  /** The VM files, shareable with another simulated vCenter through {@link Builder#files}. */
  public SimulatedFiles files() {
    return estate.files;
  }

  /** A copy of the custom attributes of a VM, host or datastore. */
  public synchronized Map<String, String> customValues(String entityId) {
    return Map.copyOf(estate.customValuesOf(entityId));
  }

  public synchronized String vmId(String name) {
    return SimEstate.idByName(estate.vms.values(), v -> v.name, v -> v.id, name, "VM");
  }

  public synchronized String hostId(String name) {
    return SimEstate.idByName(estate.hosts.values(), h -> h.name, h -> h.id, name, "host");
  }

  public synchronized String datastoreId(String name) {
    return SimEstate.idByName(
        estate.datastores.values(), d -> d.name, d -> d.id, name, "datastore");
  }

  public synchronized String networkId(String name) {
    return SimEstate.idByName(estate.networks.values(), n -> n.name, n -> n.id, name, "network");
  }

  public synchronized String clusterId(String name) {
    return SimEstate.idByName(estate.clusters.values(), c -> c.name, c -> c.id, name, "cluster");
  }

  public synchronized String folderId(String name) {
    return SimEstate.idByName(estate.folders.values(), f -> f.name, f -> f.id, name, "folder");
  }

  public synchronized String datacenterId(String name) {
    return SimEstate.idByName(
        estate.datacenters.values(), d -> d.name, d -> d.id, name, "datacenter");
  }

  /**
   * A resource pool by name within a cluster, or within a standalone host's compute resource when
   * no cluster has that name ("Resources" is the root pool).
   */
  public synchronized String resourcePoolId(String clusterOrHostName, String poolName) {
    return estate.poolIdIn(
        estate.computeResourceId(clusterOrHostName), poolName, clusterOrHostName);
  }

  // ---------------------------------------------------------------- internals

  private void enter(String operation, String entity, String key) {
    Duration pause;
    synchronized (this) {
      calls
          .computeIfAbsent(operation, k -> new TreeMap<>())
          .merge(String.valueOf(entity), 1, Integer::sum);
      pause = latency;
      for (FaultRule rule : faults) {
        if (rule.fire(operation, entity, key)) {
          throw rule.fault();
        }
      }
    }
    if (!pause.isZero()) {
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new VsphereException.Transient("RequestCanceled", "interrupted", e);
      }
    }
  }

  /**
   * Builds a simulated vCenter's inventory top-down. Datacenter, cluster and host calls set the
   * "current" parent for what follows: datastores and networks belong to the current datacenter,
   * hosts and resource pools to the current cluster, or resource pools to the current standalone
   * host ({@link #standaloneHost}), which like vCenter's has its own compute resource and root pool
   * "Resources" and no cluster. A host that names no datastores (networks) mounts (sees) every
   * datastore (network) of its datacenter, including ones declared after it.
   *
   * <pre>{@code
   * SimulatedVsphere vc = SimulatedVsphere.builder("vc1")
   *     .clock(clock).bandwidth(100_000_000)
   *     .datacenter("dc1").datastore("ds-a", 2L << 40).network("VM Network")
   *     .portGroup("pg-db", "dvs-1")
   *     .cluster("prod").host("esx-01", h -> h.cpuVendor("intel")).resourcePool("apps")
   *     .folder("web")
   *     .vm("web01", v -> v.host("esx-01").folder("web").disk("ds-a", 40L << 30).nic("VM Network"))
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private final SimulatedVsphere sim;
    private final SimulatedVsphereBuilder inventory;

    private Builder(String vcenterId) {
      this.sim = new SimulatedVsphere(vcenterId);
      this.inventory = new SimulatedVsphereBuilder(sim, vcenterId);
    }

    public Builder vcenterId(String id) {
      sim.vcenterId = id;
      return this;
    }

    public Builder clock(Clock clock) {
      sim.tasks.clock = clock;
      return this;
    }

    /** Bytes per second that data-moving tasks copy; 0 completes every task at once. */
    public Builder bandwidth(long bytesPerSecond) {
      sim.tasks.bandwidthBytesPerSecond = bytesPerSecond;
      return this;
    }

    /**
     * Data-moving tasks share the hosts' vMotion links and the datastores they cross ({@link
     * PhysicalModel}); the bandwidth, if set too, caps each task on top.
     */
    public Builder physicalModel(PhysicalModel model) {
      sim.tasks.model = model;
      return this;
    }

    /** Real time each gateway call takes (default zero). */
    public Builder latency(Duration perCall) {
      sim.latency = perCall;
      return this;
    }

    /** How long a guest shutdown takes in simulated time (default zero). */
    public Builder guestShutdownDelay(Duration delay) {
      sim.tasks.guestShutdownDelay = delay;
      return this;
    }

    /**
     * Shares VM files with another simulated vCenter (shared storage); the files declared so far
     * (or copied) move there.
     */
    public Builder files(SimulatedFiles shared) {
      if (shared != sim.estate.files) {
        shared.adopt(sim.estate.files);
      }
      sim.estate.files = shared;
      return this;
    }

    public Builder datacenter(String name) {
      inventory.datacenter(name);
      return this;
    }

    public Builder datastore(String name, long capacityBytes) {
      return datastore(name, capacityBytes, 0);
    }

    /** A datastore of which {@code usedByOtherFiles} bytes hold files outside the simulation. */
    public Builder datastore(String name, long capacityBytes, long usedByOtherFiles) {
      inventory.datastore(name, capacityBytes, usedByOtherFiles);
      return this;
    }

    /** A standard port group network. */
    public Builder network(String name) {
      inventory.network(name);
      return this;
    }

    /** A distributed port group on the named distributed switch. */
    public Builder portGroup(String name, String switchName) {
      inventory.portGroup(name, switchName);
      return this;
    }

    /** A cluster in the current datacenter, with its root resource pool "Resources". */
    public Builder cluster(String name) {
      inventory.cluster(name);
      return this;
    }

    public Builder host(String name) {
      return host(name, h -> {});
    }

    /** A host in the current cluster. */
    public Builder host(String name, Consumer<SimulatedHostSpec> spec) {
      inventory.host(name, spec);
      return this;
    }

    public Builder standaloneHost(String name) {
      return standaloneHost(name, h -> {});
    }

    /**
     * A host outside any cluster in the current datacenter, as vcsim's DC0_H0: its own compute
     * resource owns its root pool "Resources"; its VMs have no cluster. It becomes the current
     * parent for resource pools and the default host of VMs, until the next cluster.
     */
    public Builder standaloneHost(String name, Consumer<SimulatedHostSpec> spec) {
      inventory.standaloneHost(name, spec);
      return this;
    }

    /** A resource pool under the root pool of the current cluster or standalone host. */
    public Builder resourcePool(String name) {
      inventory.resourcePool(name);
      return this;
    }

    /** A VM folder under the current datacenter's VM folder. */
    public Builder folder(String name) {
      inventory.folder(name);
      return this;
    }

    /**
     * A VM; by default powered on, on the current cluster's first host (or the current standalone
     * host), in its root pool.
     */
    public Builder vm(String name, Consumer<SimulatedVmSpec> spec) {
      inventory.vm(name, spec);
      return this;
    }

    /** Declares a VM's files without registering it, as left behind by an unregistration. */
    public Builder unregisteredVm(String name, Consumer<SimulatedVmSpec> spec) {
      inventory.unregisteredVm(name, spec);
      return this;
    }

    public SimulatedVsphere build() {
      return inventory.build();
    }
  }
}

package dev.vmigrate.vsphere.simulated;

import dev.vmigrate.model.DiskLocator;
import dev.vmigrate.model.DiskMode;
import dev.vmigrate.model.NicBackingChange;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VirtualNic;
import dev.vmigrate.vsphere.ClusterInfo;
import dev.vmigrate.vsphere.DatacenterInfo;
import dev.vmigrate.vsphere.DatastoreInfo;
import dev.vmigrate.vsphere.FolderInfo;
import dev.vmigrate.vsphere.HostInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.NetworkInfo;
import dev.vmigrate.vsphere.RegisterSpec;
import dev.vmigrate.vsphere.RelocateSpec;
import dev.vmigrate.vsphere.ResourcePoolInfo;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.TaskRef;
import dev.vmigrate.vsphere.TaskState;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.simulated.SimulatedFiles.DiskFile;
import dev.vmigrate.vsphere.simulated.SimulatedFiles.NicConfig;
import dev.vmigrate.vsphere.simulated.SimulatedFiles.VmConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

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
  private static final long MIB = 1024L * 1024L;

  private String vcenterId;
  private Clock clock = Clock.systemUTC();
  private long bandwidthBytesPerSecond;
  private Duration latency = Duration.ZERO;
  private Duration guestShutdownDelay = Duration.ZERO;
  private SimulatedFiles files = new SimulatedFiles();

  private int nextId = 1;
  private int nextTaskId = 1;
  private final Map<String, Dc> datacenters = new LinkedHashMap<>();
  private final Map<String, Cl> clusters = new LinkedHashMap<>();
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  private final Map<String, Ds> datastores = new LinkedHashMap<>();
  private final Map<String, Net> networks = new LinkedHashMap<>();
  private final Map<String, Pool> pools = new LinkedHashMap<>();
  private final Map<String, Folder> folders = new LinkedHashMap<>();
  private final Map<String, Vm> vms = new LinkedHashMap<>();
  private final Map<String, Vm> byUuid = new HashMap<>();
  private final Map<String, Vm> byVmxPath = new HashMap<>();
  private final Map<String, Map<String, Vm>> vmsByFolder = new HashMap<>();
  private final Set<Vm> shuttingDown = new LinkedHashSet<>();
  private final Map<String, String> datastoreIdByName = new HashMap<>();
  private final Map<String, String> networkIdByName = new HashMap<>();
  // In creation order: recentTasks lists a VM's tasks oldest first, as vCenter does.
  private final Map<String, Task> tasks = new LinkedHashMap<>();
  private final List<Task> running = new ArrayList<>();
  private final List<FaultRule> faults = new ArrayList<>();
  private final List<TaskFault> taskFaults = new ArrayList<>();
  private final Map<String, Map<String, Integer>> calls = new TreeMap<>();
  private final Map<String, Set<String>> denied = new HashMap<>();

  private SimulatedVsphere(String vcenterId) {
    this.vcenterId = vcenterId;
  }

  /** A builder for a simulated vCenter with this connection id. */
  public static Builder builder(String vcenterId) {
    return new Builder(vcenterId);
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
      settle();
      Map<String, String> values = new LinkedHashMap<>();
      for (Vm vm : vms.values()) {
        String value = vm.customValues.get(key);
        if (value != null && !value.isEmpty()) {
          values.put(vm.id, value);
        }
      }
      return values;
    }
  }

  @Override
  public Optional<VmInfo> findVmInFolder(String folderId, String name) {
    enter("findVmInFolder", folderId, null);
    synchronized (this) {
      settle();
      return Optional.ofNullable(vmsByFolder.getOrDefault(folderId, Map.of()).get(name))
          .map(this::vmInfo);
    }
  }

  private Inventory snapshot(boolean withVms) {
    synchronized (this) {
      settle();
      return new Inventory(
          datacenters.values().stream()
              .map(d -> new DatacenterInfo(d.id, d.name, d.vmFolder))
              .toList(),
          clusters.values().stream()
              .map(c -> new ClusterInfo(c.id, c.name, c.dc, c.rootPool, c.hosts))
              .toList(),
          hosts.values().stream().map(this::hostInfo).toList(),
          datastores.values().stream().map(this::datastoreInfo).toList(),
          networks.values().stream()
              .map(n -> new NetworkInfo(n.id, n.name, n.distributed, n.switchUuid, n.portgroupKey))
              .toList(),
          pools.values().stream()
              .map(p -> new ResourcePoolInfo(p.id, p.name, p.owner, p.parent))
              .toList(),
          folders.values().stream().map(f -> new FolderInfo(f.id, f.name, f.parent)).toList(),
          withVms ? vms.values().stream().map(this::vmInfo).toList() : List.of());
    }
  }

  @Override
  public VmInfo vm(String vmId) {
    enter("vm", vmId, null);
    synchronized (this) {
      settle();
      return vmInfo(requireVm(vmId));
    }
  }

  @Override
  public Optional<VmInfo> findVmByInstanceUuid(String instanceUuid) {
    enter("findVmByInstanceUuid", instanceUuid, null);
    synchronized (this) {
      settle();
      return findByUuid(instanceUuid).map(this::vmInfo);
    }
  }

  @Override
  public HostInfo host(String hostId) {
    enter("host", hostId, null);
    synchronized (this) {
      settle();
      return hostInfo(requireHost(hostId));
    }
  }

  @Override
  public DatastoreInfo datastore(String datastoreId) {
    enter("datastore", datastoreId, null);
    synchronized (this) {
      settle();
      return datastoreInfo(requireDatastore(datastoreId));
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
      known = tasks.get(ref.id());
    }
    enter("task", known == null ? ref.id() : known.entity, null);
    synchronized (this) {
      settle();
      return require(tasks, ref.id(), "task").info(clock.instant());
    }
  }

  @Override
  public List<TaskInfo> recentTasks(String entityId) {
    enter("recentTasks", entityId, null);
    synchronized (this) {
      settle();
      if (!entityExists(entityId)) {
        throw new VsphereException.NotFound(
            "ManagedObjectNotFound", "managed object " + entityId + " does not exist");
      }
      Instant now = clock.instant();
      // Every task is kept, where vCenter drops the finished ones after about ten minutes.
      return tasks.values().stream()
          .filter(t -> entityId.equals(t.entity))
          .map(t -> t.info(now))
          .toList();
    }
  }

  @Override
  public boolean cancelTask(TaskRef ref) {
    enter("cancelTask", ref.id(), null);
    synchronized (this) {
      settle();
      Task t = require(tasks, ref.id(), "task");
      if (t.state != TaskState.RUNNING) {
        return false;
      }
      t.progress = t.info(clock.instant()).progress();
      running.remove(t);
      t.state = TaskState.ERROR;
      t.error = new VsphereException.Transient("RequestCanceled", t.operation + " was cancelled");
      release(t);
      return true;
    }
  }

  // ---------------------------------------------------------------- gateway: operations

  @Override
  public TaskRef relocate(String vmId, RelocateSpec spec) {
    enter("relocate", vmId, null);
    synchronized (this) {
      settle();
      Vm vm = requireVm(vmId);
      requireIdle(vm);
      Host host = requireHost(spec.host() != null ? spec.host() : vm.host);
      boolean hostChange = !host.id.equals(vm.host);
      if (hostChange) {
        requireAcceptsVms(host);
      } else {
        requireConnected(host);
      }
      Pool pool = requirePool(spec.resourcePool() != null ? spec.resourcePool() : vm.pool);
      requirePoolOnHost(pool, host);
      Folder folder = requireFolder(spec.folder() != null ? spec.folder() : vm.folder);
      if (!folder.id.equals(vm.folder)) {
        requireNameFree(folder, vm.config.instanceUuid, vm.name);
      }
      Map<Integer, String> diskTargets = new LinkedHashMap<>();
      Map<Integer, String> locators = new HashMap<>();
      for (DiskLocator l : spec.disks()) {
        locators.put(l.diskKey(), requireDatastore(l.datastore()).name);
      }
      for (DiskFile d : vm.config.disks) {
        String current = SimulatedFiles.datastoreName(d.fileName);
        String target =
            locators.getOrDefault(
                d.key,
                spec.datastore() != null ? requireDatastore(spec.datastore()).name : current);
        diskTargets.put(d.key, target);
      }
      for (Integer key : locators.keySet()) {
        if (!diskTargets.containsKey(key)) {
          throw new VsphereException.InvalidRequest(
              "InvalidArgument", vm.name + " has no disk with key " + key);
        }
      }
      String vmxTarget =
          spec.datastore() != null
              ? requireDatastore(spec.datastore()).name
              : SimulatedFiles.datastoreName(vm.config.vmxPath);
      Set<String> targetDatastores = new LinkedHashSet<>(diskTargets.values());
      targetDatastores.add(vmxTarget);
      requireMounted(host, targetDatastores, vm.name);
      Map<Integer, String> nicTargets = nicTargets(vm, spec.nics());
      requireNetworksSeen(host, nicTargets.values(), vm.name);
      if (hostChange) {
        requireHardwareFits(vm, host);
        if (vm.power == PowerState.POWERED_ON) {
          Host from = hosts.get(vm.host);
          if (!from.cpuVendor.equalsIgnoreCase(host.cpuVendor)) {
            throw new VsphereException.InvalidRequest(
                "CpuIncompatible",
                "cannot migrate "
                    + vm.name
                    + " while powered on: CPU vendor of "
                    + host.name
                    + " ("
                    + host.cpuVendor
                    + ") differs from "
                    + from.name
                    + " ("
                    + from.cpuVendor
                    + ")");
          }
        }
      }
      Map<String, Long> incoming = incomingBytes(vm, diskTargets);
      requireSpace(incoming, vm.name);
      long bytes = incoming.values().stream().mapToLong(Long::longValue).sum();
      if (hostChange && vm.power == PowerState.POWERED_ON) {
        bytes += vm.config.memoryMb * MIB;
      }
      String hostId = host.id;
      String poolId = pool.id;
      String folderId = folder.id;
      return submit(
          "relocate",
          "RelocateVM_Task",
          vm.id,
          bytes,
          () -> {
            Vm v = requireVm(vmId);
            requireSpace(incomingBytes(v, diskTargets), v.name);
            v.host = hostId;
            v.pool = poolId;
            placeInFolder(v, folderId);
            for (DiskFile d : v.config.disks) {
              files.moveDisk(d, SimulatedFiles.onDatastore(diskTargets.get(d.key), d.fileName));
            }
            if (!vmxTarget.equals(SimulatedFiles.datastoreName(v.config.vmxPath))) {
              byVmxPath.remove(v.config.vmxPath);
              files.rename(v.config, SimulatedFiles.onDatastore(vmxTarget, v.config.vmxPath));
              byVmxPath.put(v.config.vmxPath, v);
            }
            applyNics(v, nicTargets);
            return null;
          });
    }
  }

  @Override
  public void unregister(String vmId) {
    enter("unregister", vmId, null);
    synchronized (this) {
      settle();
      Vm vm = requireVm(vmId);
      requireIdle(vm);
      if (vm.power != PowerState.POWERED_OFF) {
        throw new VsphereException.InvalidState(
            "InvalidPowerState",
            "cannot unregister " + vm.name + ": it is " + vm.power.name().toLowerCase(Locale.ROOT));
      }
      removeVm(vm);
    }
  }

  @Override
  public TaskRef register(RegisterSpec spec) {
    enter("register", spec.vmPathName(), null);
    synchronized (this) {
      settle();
      // The folder is the call's target: an unknown one is refused before any task exists.
      Folder folder = requireFolder(spec.folder());
      VmConfig config = files.get(spec.vmPathName());
      // vCenter and vcsim accept the call and fail its task for a missing or registered .vmx.
      VsphereException unusable =
          config == null
              ? new VsphereException.NotFound(
                  "FileNotFound", "file " + spec.vmPathName() + " was not found")
              : registrationConflict(config);
      if (unusable != null) {
        return submit(
            "register",
            "RegisterVM_Task",
            folder.id,
            0,
            () -> {
              throw unusable;
            });
      }
      requireNameFree(folder, config.instanceUuid, spec.name());
      Pool pool = requirePool(spec.resourcePool());
      Host host =
          spec.host() != null
              ? requireHost(spec.host())
              : hostsOfPool(pool).stream()
                  .filter(Host::acceptsVms)
                  .findFirst()
                  .orElseThrow(
                      () ->
                          new VsphereException.InvalidState(
                              "InvalidHostState", "no usable host owns the pool"));
      requireAcceptsVms(host);
      requirePoolOnHost(pool, host);
      Set<String> needed = new LinkedHashSet<>();
      needed.add(SimulatedFiles.datastoreName(config.vmxPath));
      config.disks.forEach(d -> needed.add(SimulatedFiles.datastoreName(d.fileName)));
      requireMounted(host, needed, spec.name());
      String hostId = host.id;
      String poolId = pool.id;
      String folderId = folder.id;
      return submit(
          "register",
          "RegisterVM_Task",
          folder.id,
          0,
          () -> {
            requireRegistrable(config);
            requireNameFree(folders.get(folderId), config.instanceUuid, spec.name());
            Vm vm = new Vm(newId("vm"), spec.name(), config);
            vm.host = hostId;
            vm.pool = poolId;
            vm.power = PowerState.POWERED_OFF;
            addVm(vm, folderId);
            return vm.id;
          });
    }
  }

  @Override
  public TaskRef reconfigureNics(String vmId, List<NicBackingChange> changes) {
    enter("reconfigureNics", vmId, null);
    synchronized (this) {
      settle();
      Vm vm = requireVm(vmId);
      requireIdle(vm);
      Map<Integer, String> targets = nicTargets(vm, changes);
      requireNetworksSeen(hosts.get(vm.host), targets.values(), vm.name);
      return submit(
          "reconfigureNics",
          "ReconfigVM_Task",
          vmId,
          0,
          () -> {
            applyNics(requireVm(vmId), targets);
            return null;
          });
    }
  }

  @Override
  public TaskRef moveIntoFolder(String vmId, String folderId) {
    enter("moveIntoFolder", vmId, null);
    synchronized (this) {
      settle();
      Vm vm = requireVm(vmId);
      Folder folder = requireFolder(folderId);
      if (!folder.id.equals(vm.folder)) {
        requireNameFree(folder, vm.config.instanceUuid, vm.name);
      }
      return submit(
          "moveIntoFolder",
          "MoveIntoFolder_Task",
          vmId,
          0,
          () -> {
            placeInFolder(requireVm(vmId), folderId);
            return null;
          });
    }
  }

  @Override
  public TaskRef powerOn(String vmId) {
    enter("powerOn", vmId, null);
    synchronized (this) {
      settle();
      Vm vm = requireVm(vmId);
      requireIdle(vm);
      Host host = hosts.get(vm.host);
      requireConnected(host);
      if (host.maintenance) {
        throw new VsphereException.InvalidState(
            "InvalidHostState", host.name + " is in maintenance mode");
      }
      return submit(
          "powerOn",
          "PowerOnVM_Task",
          vmId,
          0,
          () -> {
            Vm v = requireVm(vmId);
            // Checked when the task runs: vCenter fails the task, not the call.
            requirePowerStateOtherThan(v, PowerState.POWERED_ON);
            v.power = PowerState.POWERED_ON;
            v.shutdownAt = null;
            return null;
          });
    }
  }

  @Override
  public TaskRef powerOff(String vmId) {
    enter("powerOff", vmId, null);
    synchronized (this) {
      settle();
      Vm vm = requireVm(vmId);
      requireIdle(vm);
      requireConnected(hosts.get(vm.host));
      return submit(
          "powerOff",
          "PowerOffVM_Task",
          vmId,
          0,
          () -> {
            Vm v = requireVm(vmId);
            // Checked when the task runs: vCenter fails the task, not the call.
            requirePowerStateOtherThan(v, PowerState.POWERED_OFF);
            v.power = PowerState.POWERED_OFF;
            v.shutdownAt = null;
            return null;
          });
    }
  }

  @Override
  public void shutdownGuest(String vmId) {
    enter("shutdownGuest", vmId, null);
    synchronized (this) {
      settle();
      Vm vm = requireVm(vmId);
      if (vm.power != PowerState.POWERED_ON) {
        throw new VsphereException.InvalidState(
            "InvalidPowerState", vm.name + " is not powered on");
      }
      requireConnected(hosts.get(vm.host));
      if (vm.toolsRunning) {
        vm.shutdownAt = clock.instant().plus(guestShutdownDelay);
        shuttingDown.add(vm);
        settle();
      }
    }
  }

  @Override
  public void setCustomValue(String entityId, String key, String value) {
    enter("setCustomValue", entityId, key);
    synchronized (this) {
      settle();
      Map<String, String> values = customValuesOf(entityId);
      if (value == null || value.isEmpty()) {
        values.remove(key);
      } else {
        values.put(key, value);
      }
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
    taskFaults.add(new TaskFault(operation, entityId, Math.max(0, Math.min(99, atPercent)), fault));
  }

  /** Disarms every fault rule and task fault. */
  public synchronized void clearFaults() {
    faults.clear();
    taskFaults.clear();
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
    settle();
    requireHost(hostId).connectionState = "disconnected";
  }

  /** Marks a host "notResponding", as when its management agent stops answering. */
  public synchronized void hostNotResponding(String hostId) {
    settle();
    requireHost(hostId).connectionState = "notResponding";
  }

  public synchronized void reconnectHost(String hostId) {
    settle();
    requireHost(hostId).connectionState = "connected";
  }

  public synchronized void setMaintenanceMode(String hostId, boolean inMaintenance) {
    settle();
    requireHost(hostId).maintenance = inMaintenance;
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
    requireVm(vmId).toolsRunning = running;
  }

  /** Sets a power state directly, as if someone had used the vSphere client. */
  public synchronized void setPowerState(String vmId, PowerState state) {
    settle();
    requireVm(vmId).power = state;
  }

  public synchronized void setBandwidth(long bytesPerSecond) {
    this.bandwidthBytesPerSecond = bytesPerSecond;
  }

  public synchronized void setLatency(Duration perCall) {
    this.latency = perCall;
  }

  public synchronized void setGuestShutdownDelay(Duration delay) {
    this.guestShutdownDelay = delay;
  }

  public synchronized Clock clock() {
    return clock;
  }

  /** The VM files, shareable with another simulated vCenter through {@link Builder#files}. */
  public SimulatedFiles files() {
    return files;
  }

  /** A copy of the custom attributes of a VM, host or datastore. */
  public synchronized Map<String, String> customValues(String entityId) {
    return Map.copyOf(customValuesOf(entityId));
  }

  public synchronized String vmId(String name) {
    return idByName(vms.values(), v -> v.name, v -> v.id, name, "VM");
  }

  public synchronized String hostId(String name) {
    return idByName(hosts.values(), h -> h.name, h -> h.id, name, "host");
  }

  public synchronized String datastoreId(String name) {
    return idByName(datastores.values(), d -> d.name, d -> d.id, name, "datastore");
  }

  public synchronized String networkId(String name) {
    return idByName(networks.values(), n -> n.name, n -> n.id, name, "network");
  }

  public synchronized String clusterId(String name) {
    return idByName(clusters.values(), c -> c.name, c -> c.id, name, "cluster");
  }

  public synchronized String folderId(String name) {
    return idByName(folders.values(), f -> f.name, f -> f.id, name, "folder");
  }

  public synchronized String datacenterId(String name) {
    return idByName(datacenters.values(), d -> d.name, d -> d.id, name, "datacenter");
  }

  /**
   * A resource pool by name within a cluster, or within a standalone host's compute resource when
   * no cluster has that name ("Resources" is the root pool).
   */
  public synchronized String resourcePoolId(String clusterOrHostName, String poolName) {
    return poolIdIn(computeResourceId(clusterOrHostName), poolName, clusterOrHostName);
  }

  private String poolIdIn(String owner, String poolName, String ownerName) {
    return pools.values().stream()
        .filter(p -> p.name.equals(poolName) && owner.equals(ownerOfPool(p)))
        .map(p -> p.id)
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("no pool " + poolName + " in " + ownerName));
  }

  /** The compute resource (cluster, else standalone host's) of this name. */
  private String computeResourceId(String clusterOrHostName) {
    for (Cl c : clusters.values()) {
      if (c.name.equals(clusterOrHostName)) {
        return c.id;
      }
    }
    for (Host h : hosts.values()) {
      if (h.cluster == null && h.name.equals(clusterOrHostName)) {
        return h.computeResource;
      }
    }
    throw new IllegalArgumentException("no cluster or standalone host named " + clusterOrHostName);
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

  private TaskRef submit(
      String operation, String vsphereName, String entity, long bytes, Supplier<String> effect) {
    Instant now = clock.instant();
    Duration duration =
        bytes <= 0 || bandwidthBytesPerSecond <= 0
            ? Duration.ZERO
            : Duration.ofNanos((long) (bytes * 1e9 / bandwidthBytesPerSecond));
    Task task =
        new Task(new TaskRef("task-" + nextTaskId++), vsphereName, entity, now, now.plus(duration));
    task.effect = effect;
    for (var it = taskFaults.iterator(); it.hasNext(); ) {
      TaskFault f = it.next();
      if (f.operation.equals(operation) && (f.entityId == null || f.entityId.equals(entity))) {
        it.remove();
        task.failure = f.fault;
        task.failPercent = f.atPercent;
        task.failAt = now.plus(duration.multipliedBy(f.atPercent).dividedBy(100));
        break;
      }
    }
    Vm vm = vms.get(entity);
    if (vm != null) {
      vm.busyTask = task;
    }
    tasks.put(task.ref.id(), task);
    running.add(task);
    settle();
    return task.ref;
  }

  /** Applies every task and guest shutdown that has finished by now, in time order. */
  /** A task that has ended lets go of its effect and of its VM. */
  private void release(Task t) {
    t.effect = null;
    Vm vm = vms.get(t.entity);
    if (vm != null && vm.busyTask == t) {
      vm.busyTask = null;
    }
  }

  private void settle() {
    Instant now = clock.instant();
    if (!running.isEmpty()) {
      running.sort(Comparator.comparing(Task::finishAt));
      for (var it = running.iterator(); it.hasNext(); ) {
        Task t = it.next();
        if (t.finishAt().isAfter(now)) {
          break;
        }
        it.remove();
        if (t.failure != null) {
          t.state = TaskState.ERROR;
          t.error = t.failure;
          t.progress = t.failPercent;
        } else {
          try {
            t.result = t.effect.get();
            t.state = TaskState.SUCCESS;
            t.progress = 100;
          } catch (VsphereException e) {
            t.state = TaskState.ERROR;
            t.error = e;
          }
        }
        release(t);
      }
    }
    for (var it = shuttingDown.iterator(); it.hasNext(); ) {
      Vm vm = it.next();
      if (vm.shutdownAt == null) {
        it.remove();
      } else if (!vm.shutdownAt.isAfter(now)) {
        it.remove();
        vm.shutdownAt = null;
        vm.power = PowerState.POWERED_OFF;
      }
    }
  }

  private VmInfo vmInfo(Vm vm) {
    Host host = hosts.get(vm.host);
    VmConfig c = vm.config;
    List<VirtualDisk> disks =
        c.disks.stream()
            .map(
                d ->
                    new VirtualDisk(
                        d.key,
                        d.label,
                        datastoreIdByName(SimulatedFiles.datastoreName(d.fileName)),
                        d.fileName,
                        d.capacityBytes,
                        d.mode,
                        d.rdm))
            .toList();
    List<VirtualNic> nics =
        c.nics.stream()
            .map(n -> new VirtualNic(n.key, n.label, n.macAddress, networkIdByName(n.networkName)))
            .toList();
    return new VmInfo(
        vm.id,
        vm.name,
        c.instanceUuid,
        c.biosUuid,
        vm.power,
        "connected".equals(host.connectionState) ? "connected" : "disconnected",
        c.template,
        host.id,
        host.cluster,
        vm.pool,
        vm.folder,
        c.vmxPath,
        datastoreIdByName(SimulatedFiles.datastoreName(c.vmxPath)),
        c.hardwareVersion,
        c.guestId,
        c.cpus,
        c.memoryMb,
        disks,
        nics,
        c.cdromHostDevice,
        c.snapshots,
        vm.customValues);
  }

  private HostInfo hostInfo(Host h) {
    return new HostInfo(
        h.id,
        h.name,
        h.cluster,
        h.connectionState,
        h.maintenance,
        List.copyOf(h.datastores),
        List.copyOf(h.networks),
        h.cpuVendor,
        h.maxHardwareVersion,
        h.vmotionLinkMbps);
  }

  private DatastoreInfo datastoreInfo(Ds d) {
    long free = Math.max(0, d.capacity - d.otherUsed - files.usedBytes(d.name));
    return new DatastoreInfo(d.id, d.name, d.capacity, free, d.accessible, d.customValues);
  }

  private long freeBytes(String datastoreName) {
    Ds d = datastores.get(datastoreIdByName.get(datastoreName));
    return d.capacity - d.otherUsed - files.usedBytes(d.name);
  }

  private Map<String, Long> incomingBytes(Vm vm, Map<Integer, String> diskTargets) {
    Map<String, Long> incoming = new LinkedHashMap<>();
    for (DiskFile d : vm.config.disks) {
      String target = diskTargets.get(d.key);
      if (!d.rdm && !target.equals(SimulatedFiles.datastoreName(d.fileName))) {
        incoming.merge(target, d.capacityBytes, Long::sum);
      }
    }
    return incoming;
  }

  private void requireSpace(Map<String, Long> incoming, String vmName) {
    for (var e : incoming.entrySet()) {
      long free = freeBytes(e.getKey());
      if (e.getValue() > free) {
        throw new VsphereException.InsufficientResources(
            "InsufficientDisk",
            "datastore "
                + e.getKey()
                + " has "
                + free
                + " bytes free, moving "
                + vmName
                + " needs "
                + e.getValue());
      }
    }
  }

  private Map<Integer, String> nicTargets(Vm vm, List<NicBackingChange> changes) {
    Map<Integer, String> targets = new LinkedHashMap<>();
    for (NicConfig n : vm.config.nics) {
      targets.put(n.key, n.networkName);
    }
    for (NicBackingChange c : changes) {
      if (!targets.containsKey(c.nicKey())) {
        throw new VsphereException.InvalidRequest(
            "InvalidArgument", vm.name + " has no network adapter with key " + c.nicKey());
      }
      Net net = networks.get(c.network());
      if (net == null) {
        throw new VsphereException.NotFound(
            "ManagedObjectNotFound", "network " + c.network() + " does not exist");
      }
      targets.put(c.nicKey(), net.name);
    }
    return targets;
  }

  private void applyNics(Vm vm, Map<Integer, String> targets) {
    for (NicConfig n : vm.config.nics) {
      n.networkName = targets.getOrDefault(n.key, n.networkName);
    }
  }

  private void requireMounted(Host host, Set<String> datastoreNames, String vmName) {
    for (String name : datastoreNames) {
      String id = datastoreIdByName(name);
      if (id == null || !host.datastores.contains(id)) {
        throw new VsphereException.InvalidRequest(
            "DatastoreNotWritableOnHost",
            "host " + host.name + " does not mount datastore " + name + " needed by " + vmName);
      }
    }
  }

  private void requireNetworksSeen(Host host, Iterable<String> networkNames, String vmName) {
    for (String name : networkNames) {
      if (name == null) {
        continue;
      }
      String id = networkIdByName(name);
      if (id == null || !host.networks.contains(id)) {
        throw new VsphereException.InvalidRequest(
            "InvalidNetworkResource",
            "host " + host.name + " does not see network " + name + " needed by " + vmName);
      }
    }
  }

  private void requireHardwareFits(Vm vm, Host host) {
    if (hardwareVersion(vm.config.hardwareVersion) > hardwareVersion(host.maxHardwareVersion)) {
      throw new VsphereException.InvalidRequest(
          "NotSupportedHost",
          host.name
              + " runs hardware up to "
              + host.maxHardwareVersion
              + ", "
              + vm.name
              + " is "
              + vm.config.hardwareVersion);
    }
  }

  static int hardwareVersion(String v) {
    try {
      return v == null ? 0 : Integer.parseInt(v.replaceAll("\\D", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private void requireConnected(Host host) {
    if (!"connected".equals(host.connectionState)) {
      throw new VsphereException.Transient(
          "HostNotConnected", "host " + host.name + " is " + host.connectionState);
    }
  }

  private void requireAcceptsVms(Host host) {
    requireConnected(host);
    if (host.maintenance) {
      throw new VsphereException.InvalidState(
          "InvalidHostState", "host " + host.name + " is in maintenance mode");
    }
  }

  private void requirePoolOnHost(Pool pool, Host host) {
    if (!host.owner().equals(ownerOfPool(pool))) {
      throw new VsphereException.InvalidRequest(
          "InvalidArgument",
          "resource pool "
              + pool.name
              + " is not in the "
              + (host.cluster == null ? "compute resource of standalone" : "cluster of")
              + " host "
              + host.name);
    }
  }

  private void requireNameFree(Folder folder, String instanceUuid, String name) {
    Vm other = vmsByFolder.getOrDefault(folder.id, Map.of()).get(name);
    if (other != null && !other.config.instanceUuid.equalsIgnoreCase(instanceUuid)) {
      throw new VsphereException.InvalidRequest(
          "DuplicateName", "the name " + name + " already exists in folder " + folder.name);
    }
  }

  private void addVm(Vm vm, String folderId) {
    vms.put(vm.id, vm);
    byUuid.put(vm.config.instanceUuid.toLowerCase(Locale.ROOT), vm);
    byVmxPath.put(vm.config.vmxPath, vm);
    placeInFolder(vm, folderId);
  }

  private void removeVm(Vm vm) {
    vms.remove(vm.id);
    byUuid.remove(vm.config.instanceUuid.toLowerCase(Locale.ROOT));
    byVmxPath.remove(vm.config.vmxPath);
    vmsByFolder.getOrDefault(vm.folder, new HashMap<>()).remove(vm.name);
    shuttingDown.remove(vm);
  }

  private void placeInFolder(Vm vm, String folderId) {
    if (vm.folder != null) {
      vmsByFolder.getOrDefault(vm.folder, new HashMap<>()).remove(vm.name);
    }
    vm.folder = folderId;
    vmsByFolder.computeIfAbsent(folderId, k -> new HashMap<>()).put(vm.name, vm);
  }

  private void requireRegistrable(VmConfig config) {
    VsphereException conflict = registrationConflict(config);
    if (conflict != null) {
      throw conflict;
    }
  }

  /** Why these files cannot be registered now (AlreadyExists), or null when they can. */
  private VsphereException registrationConflict(VmConfig config) {
    Vm samePath = byVmxPath.get(config.vmxPath);
    if (samePath != null && vms.containsKey(samePath.id)) {
      return new VsphereException.InvalidRequest(
          "AlreadyExists", config.vmxPath + " is already registered as " + samePath.name);
    }
    Vm sameUuid = byUuid.get(config.instanceUuid.toLowerCase(Locale.ROOT));
    if (sameUuid != null) {
      return new VsphereException.InvalidRequest(
          "AlreadyExists",
          "a VM with instance UUID " + config.instanceUuid + " exists: " + sameUuid.name);
    }
    return null;
  }

  private static void requirePowerStateOtherThan(Vm vm, PowerState already) {
    if (vm.power == already) {
      throw new VsphereException.InvalidState(
          "InvalidPowerState",
          vm.name
              + " is already "
              + (already == PowerState.POWERED_ON ? "powered on" : "powered off"));
    }
  }

  private void requireIdle(Vm vm) {
    if (vm.busyTask != null) {
      throw new VsphereException.Transient(
          "TaskInProgress", vm.name + " is busy with " + vm.busyTask.ref.id());
    }
  }

  private Vm requireVm(String id) {
    Vm vm = id == null ? null : vms.get(id);
    if (vm == null) {
      throw new VsphereException.NotFound(
          "ManagedObjectNotFound", "virtual machine " + id + " does not exist");
    }
    return vm;
  }

  private Host requireHost(String id) {
    return require(hosts, id, "host");
  }

  private Ds requireDatastore(String id) {
    return require(datastores, id, "datastore");
  }

  private Pool requirePool(String id) {
    return require(pools, id, "resource pool");
  }

  private Folder requireFolder(String id) {
    return require(folders, id, "folder");
  }

  private static <T> T require(Map<String, T> map, String id, String what) {
    T t = id == null ? null : map.get(id);
    if (t == null) {
      throw new VsphereException.NotFound(
          "ManagedObjectNotFound", what + " " + id + " does not exist");
    }
    return t;
  }

  private Map<String, String> customValuesOf(String entityId) {
    if (vms.containsKey(entityId)) {
      return vms.get(entityId).customValues;
    }
    if (hosts.containsKey(entityId)) {
      return hosts.get(entityId).customValues;
    }
    if (datastores.containsKey(entityId)) {
      return datastores.get(entityId).customValues;
    }
    throw new VsphereException.NotFound(
        "ManagedObjectNotFound", "entity " + entityId + " does not exist or has no custom values");
  }

  private boolean entityExists(String id) {
    return vms.containsKey(id)
        || hosts.containsKey(id)
        || datastores.containsKey(id)
        || folders.containsKey(id)
        || pools.containsKey(id)
        || clusters.containsKey(id)
        || datacenters.containsKey(id)
        || networks.containsKey(id);
  }

  private Optional<Vm> findByUuid(String uuid) {
    return Optional.ofNullable(uuid == null ? null : byUuid.get(uuid.toLowerCase(Locale.ROOT)));
  }

  /** The cluster or standalone compute resource whose pool tree holds this pool. */
  private String ownerOfPool(Pool pool) {
    Pool p = pool;
    while (p.parent != null) {
      p = pools.get(p.parent);
    }
    return p.owner;
  }

  private List<Host> hostsOfPool(Pool pool) {
    String owner = ownerOfPool(pool);
    return hosts.values().stream().filter(h -> h.owner().equals(owner)).toList();
  }

  private String datastoreIdByName(String name) {
    return datastoreIdByName.get(name);
  }

  private String networkIdByName(String name) {
    return networkIdByName.get(name);
  }

  private static <T> String idByName(
      Iterable<T> items,
      Function<T, String> name,
      Function<T, String> id,
      String wanted,
      String what) {
    for (T t : items) {
      if (name.apply(t).equals(wanted)) {
        return id.apply(t);
      }
    }
    throw new IllegalArgumentException("no " + what + " named " + wanted);
  }

  private String newId(String prefix) {
    return prefix + "-" + nextId++;
  }

  // ---------------------------------------------------------------- entities

  private static final class Dc {
    String id;
    String name;
    String vmFolder;
  }

  private static final class Cl {
    String id;
    String name;
    String dc;
    String rootPool;
    final List<String> hosts = new ArrayList<>();
  }

  private static final class Host {
    String id;
    String name;
    String cluster;
    // A standalone host's own compute resource ("domain-s..", owner of its root pool) and root
    // pool.
    String computeResource;
    String rootPool;
    String dc;
    String connectionState = "connected";
    boolean maintenance;
    final Set<String> datastores = new LinkedHashSet<>();
    final Set<String> networks = new LinkedHashSet<>();
    String cpuVendor = "intel";
    String maxHardwareVersion = "vmx-21";
    long vmotionLinkMbps = 10_000;
    final Map<String, String> customValues = new HashMap<>();

    boolean acceptsVms() {
      return "connected".equals(connectionState) && !maintenance;
    }

    /** The compute resource that owns the host's pools: its cluster, or its own when standalone. */
    String owner() {
      return cluster != null ? cluster : computeResource;
    }
  }

  private static final class Ds {
    String id;
    String name;
    String dc;
    long capacity;
    long otherUsed;
    boolean accessible = true;
    final Map<String, String> customValues = new HashMap<>();
  }

  private static final class Net {
    String id;
    String name;
    String dc;
    boolean distributed;
    String switchUuid;
    String portgroupKey;
  }

  private static final class Pool {
    String id;
    String name;
    String owner;
    String parent;
  }

  private static final class Folder {
    String id;
    String name;
    String parent;
  }

  private static final class Vm {
    final String id;
    final String name;
    final VmConfig config;
    String host;
    String pool;
    String folder;
    PowerState power = PowerState.POWERED_ON;
    boolean toolsRunning = true;
    Instant shutdownAt;
    Task busyTask;
    final Map<String, String> customValues = new HashMap<>();

    Vm(String id, String name, VmConfig config) {
      this.id = id;
      this.name = name;
      this.config = config;
      this.toolsRunning = config.toolsInstalled;
    }
  }

  private static final class Task {
    final TaskRef ref;
    final String operation;
    final String entity;
    final Instant start;
    final Instant end;
    Supplier<String> effect;
    VsphereException failure;
    int failPercent;
    Instant failAt;
    TaskState state = TaskState.RUNNING;
    int progress;
    String result;
    VsphereException error;

    Task(TaskRef ref, String operation, String entity, Instant start, Instant end) {
      this.ref = ref;
      this.operation = operation;
      this.entity = entity;
      this.start = start;
      this.end = end;
    }

    Instant finishAt() {
      return failure != null ? failAt : end;
    }

    TaskInfo info(Instant now) {
      int pct = progress;
      if (state == TaskState.RUNNING) {
        long total = Duration.between(start, end).toNanos();
        long done = Duration.between(start, now).toNanos();
        pct = total <= 0 ? 0 : (int) Math.min(99, done * 100 / total);
        if (failure != null) {
          pct = Math.min(pct, failPercent);
        }
      }
      return new TaskInfo(ref, operation, entity, state, pct, result, error);
    }
  }

  private record TaskFault(
      String operation, String entityId, int atPercent, VsphereException fault) {}

  // ---------------------------------------------------------------- builder

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
    private final Random random;
    private final Map<String, HostSpec> pendingHosts = new LinkedHashMap<>();
    private Dc dc;
    private Cl cluster;
    private Host standalone;
    private int macCounter = 1;

    private Builder(String vcenterId) {
      this.sim = new SimulatedVsphere(vcenterId);
      this.random = new Random(vcenterId.hashCode());
    }

    public Builder vcenterId(String id) {
      sim.vcenterId = id;
      return this;
    }

    public Builder clock(Clock clock) {
      sim.clock = clock;
      return this;
    }

    /** Bytes per second that data-moving tasks copy; 0 completes every task at once. */
    public Builder bandwidth(long bytesPerSecond) {
      sim.bandwidthBytesPerSecond = bytesPerSecond;
      return this;
    }

    /** Real time each gateway call takes (default zero). */
    public Builder latency(Duration perCall) {
      sim.latency = perCall;
      return this;
    }

    /** How long a guest shutdown takes in simulated time (default zero). */
    public Builder guestShutdownDelay(Duration delay) {
      sim.guestShutdownDelay = delay;
      return this;
    }

    /** Shares VM files with another simulated vCenter (shared storage). */
    public Builder files(SimulatedFiles shared) {
      sim.files = shared;
      return this;
    }

    public Builder datacenter(String name) {
      Dc d = new Dc();
      d.id = "datacenter-" + sim.nextId++;
      d.name = name;
      Folder vmFolder = new Folder();
      vmFolder.id = "group-v" + sim.nextId++;
      vmFolder.name = "vm";
      vmFolder.parent = d.id;
      sim.folders.put(vmFolder.id, vmFolder);
      d.vmFolder = vmFolder.id;
      sim.datacenters.put(d.id, d);
      dc = d;
      cluster = null;
      standalone = null;
      return this;
    }

    public Builder datastore(String name, long capacityBytes) {
      return datastore(name, capacityBytes, 0);
    }

    /** A datastore of which {@code usedByOtherFiles} bytes hold files outside the simulation. */
    public Builder datastore(String name, long capacityBytes, long usedByOtherFiles) {
      requireDc();
      Ds d = new Ds();
      d.id = "datastore-" + sim.nextId++;
      d.name = name;
      d.dc = dc.id;
      d.capacity = capacityBytes;
      d.otherUsed = usedByOtherFiles;
      sim.datastores.put(d.id, d);
      sim.datastoreIdByName.putIfAbsent(name, d.id);
      return this;
    }

    /** A standard port group network. */
    public Builder network(String name) {
      requireDc();
      Net n = new Net();
      n.id = "network-" + sim.nextId++;
      n.name = name;
      n.dc = dc.id;
      sim.networks.put(n.id, n);
      sim.networkIdByName.putIfAbsent(name, n.id);
      return this;
    }

    /** A distributed port group on the named distributed switch. */
    public Builder portGroup(String name, String switchName) {
      requireDc();
      Net n = new Net();
      n.id = "dvportgroup-" + sim.nextId++;
      n.name = name;
      n.dc = dc.id;
      n.distributed = true;
      n.switchUuid = UUID.nameUUIDFromBytes(switchName.getBytes()).toString();
      n.portgroupKey = n.id;
      sim.networks.put(n.id, n);
      sim.networkIdByName.putIfAbsent(name, n.id);
      return this;
    }

    /** A cluster in the current datacenter, with its root resource pool "Resources". */
    public Builder cluster(String name) {
      requireDc();
      Cl c = new Cl();
      c.id = "domain-c" + sim.nextId++;
      c.name = name;
      c.dc = dc.id;
      Pool root = new Pool();
      root.id = "resgroup-" + sim.nextId++;
      root.name = "Resources";
      root.owner = c.id;
      sim.pools.put(root.id, root);
      c.rootPool = root.id;
      sim.clusters.put(c.id, c);
      cluster = c;
      standalone = null;
      return this;
    }

    public Builder host(String name) {
      return host(name, h -> {});
    }

    /** A host in the current cluster. */
    public Builder host(String name, Consumer<HostSpec> spec) {
      if (cluster == null) {
        throw new IllegalStateException("declare a cluster before host " + name);
      }
      Host h = newHost(name, spec);
      h.cluster = cluster.id;
      cluster.hosts.add(h.id);
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
    public Builder standaloneHost(String name, Consumer<HostSpec> spec) {
      requireDc();
      Host h = newHost(name, spec);
      h.computeResource = "domain-s" + sim.nextId++;
      Pool root = new Pool();
      root.id = "resgroup-" + sim.nextId++;
      root.name = "Resources";
      root.owner = h.computeResource;
      sim.pools.put(root.id, root);
      h.rootPool = root.id;
      cluster = null;
      standalone = h;
      return this;
    }

    private Host newHost(String name, Consumer<HostSpec> spec) {
      requireDc();
      HostSpec s = new HostSpec();
      spec.accept(s);
      Host h = new Host();
      h.id = "host-" + sim.nextId++;
      h.name = name;
      h.dc = dc.id;
      h.connectionState = s.connectionState;
      h.maintenance = s.maintenance;
      h.cpuVendor = s.cpuVendor;
      h.maxHardwareVersion = s.maxHardwareVersion;
      h.vmotionLinkMbps = s.vmotionLinkMbps;
      sim.hosts.put(h.id, h);
      pendingHosts.put(h.id, s);
      return h;
    }

    /** A resource pool under the root pool of the current cluster or standalone host. */
    public Builder resourcePool(String name) {
      if (cluster == null && standalone == null) {
        throw new IllegalStateException("declare a cluster or standalone host before pool " + name);
      }
      Pool p = new Pool();
      p.id = "resgroup-" + sim.nextId++;
      p.name = name;
      p.owner = cluster != null ? cluster.id : standalone.computeResource;
      p.parent = cluster != null ? cluster.rootPool : standalone.rootPool;
      sim.pools.put(p.id, p);
      return this;
    }

    /** A VM folder under the current datacenter's VM folder. */
    public Builder folder(String name) {
      requireDc();
      Folder f = new Folder();
      f.id = "group-v" + sim.nextId++;
      f.name = name;
      f.parent = dc.vmFolder;
      sim.folders.put(f.id, f);
      return this;
    }

    /**
     * A VM; by default powered on, on the current cluster's first host (or the current standalone
     * host), in its root pool.
     */
    public Builder vm(String name, Consumer<VmSpec> spec) {
      requireDc();
      VmSpec s = new VmSpec();
      spec.accept(s);
      Host host;
      if (s.host != null) {
        host = sim.hosts.get(sim.hostId(s.host));
      } else if (cluster != null && !cluster.hosts.isEmpty()) {
        host = sim.hosts.get(cluster.hosts.get(0));
      } else if (standalone != null) {
        host = standalone;
      } else {
        throw new IllegalStateException("VM " + name + " needs a host");
      }
      String pool =
          s.pool == null
              ? host.cluster != null ? sim.clusters.get(host.cluster).rootPool : host.rootPool
              : sim.poolIdIn(host.owner(), s.pool, host.name);
      Dc hostDc = sim.datacenters.get(host.dc);
      String folder = s.folder == null ? hostDc.vmFolder : sim.folderId(s.folder);

      VmConfig c = new VmConfig();
      String vmxDs =
          s.vmxDatastore != null
              ? s.vmxDatastore
              : !s.disks.isEmpty()
                  ? s.disks.get(0).datastore
                  : sim.datastores.values().stream()
                      .filter(d -> d.dc.equals(hostDc.id))
                      .findFirst()
                      .orElseThrow(() -> new IllegalStateException("no datastore for " + name))
                      .name;
      c.vmxPath = "[" + vmxDs + "] " + name + "/" + name + ".vmx";
      c.instanceUuid = s.instanceUuid != null ? s.instanceUuid : uuid("50");
      c.biosUuid = s.biosUuid != null ? s.biosUuid : uuid("42");
      c.hardwareVersion = s.hardwareVersion;
      c.guestId = s.guestId;
      c.cpus = s.cpus;
      c.memoryMb = s.memoryMb;
      c.template = s.template;
      c.cdromHostDevice = s.cdromHostDevice;
      c.toolsInstalled = s.tools;
      int key = 2000;
      for (int i = 0; i < s.disks.size(); i++) {
        DiskDecl d = s.disks.get(i);
        String file =
            "[" + d.datastore + "] " + name + "/" + name + (i == 0 ? "" : "_" + i) + ".vmdk";
        c.disks.add(new DiskFile(key + i, "Hard disk " + (i + 1), file, d.bytes, d.mode, d.rdm));
      }
      for (int i = 0; i < s.nics.size(); i++) {
        String[] n = s.nics.get(i);
        String mac =
            n[1] != null
                ? n[1]
                : String.format(
                    "00:50:56:%02x:%02x:%02x",
                    (macCounter >> 16) & 0xff, (macCounter >> 8) & 0xff, macCounter & 0xff);
        macCounter++;
        c.nics.add(new NicConfig(4000 + i, "Network adapter " + (i + 1), mac, n[0]));
      }
      c.snapshots.addAll(s.snapshots);
      if (sim.findByUuid(c.instanceUuid).isPresent()) {
        throw new IllegalArgumentException("instance UUID " + c.instanceUuid + " is already used");
      }
      Folder f = sim.folders.get(folder);
      sim.requireNameFree(f, c.instanceUuid, name);
      sim.files.put(c);
      Vm vm = new Vm("vm-" + sim.nextId++, name, c);
      vm.host = host.id;
      vm.pool = pool;
      vm.power = s.power;
      sim.addVm(vm, folder);
      return this;
    }

    /** Declares a VM's files without registering it, as left behind by an unregistration. */
    public Builder unregisteredVm(String name, Consumer<VmSpec> spec) {
      vm(name, spec);
      sim.removeVm(sim.vms.get(sim.vmId(name)));
      return this;
    }

    public SimulatedVsphere build() {
      for (var e : pendingHosts.entrySet()) {
        Host h = sim.hosts.get(e.getKey());
        HostSpec s = e.getValue();
        for (Ds d : sim.datastores.values()) {
          if (s.datastores == null ? d.dc.equals(h.dc) : s.datastores.contains(d.name)) {
            h.datastores.add(d.id);
          }
        }
        for (Net n : sim.networks.values()) {
          if (s.networks == null ? n.dc.equals(h.dc) : s.networks.contains(n.name)) {
            h.networks.add(n.id);
          }
        }
      }
      pendingHosts.clear();
      return sim;
    }

    private String uuid(String prefix) {
      String u = new UUID(random.nextLong(), random.nextLong()).toString();
      return prefix + u.substring(2);
    }

    private void requireDc() {
      if (dc == null) {
        throw new IllegalStateException("declare a datacenter first");
      }
    }
  }

  /** A host's settings; defaults: connected, intel, vmx-21, 10 GbE vMotion link. */
  public static final class HostSpec {
    private Set<String> datastores;
    private Set<String> networks;
    private String connectionState = "connected";
    private boolean maintenance;
    private String cpuVendor = "intel";
    private String maxHardwareVersion = "vmx-21";
    private long vmotionLinkMbps = 10_000;

    /** The datastores it mounts, by name (default: all of its datacenter). */
    public HostSpec datastores(String... names) {
      datastores = new LinkedHashSet<>(List.of(names));
      return this;
    }

    /** The networks it sees, by name (default: all of its datacenter). */
    public HostSpec networks(String... names) {
      networks = new LinkedHashSet<>(List.of(names));
      return this;
    }

    public HostSpec connectionState(String state) {
      connectionState = state;
      return this;
    }

    public HostSpec maintenanceMode() {
      maintenance = true;
      return this;
    }

    public HostSpec cpuVendor(String vendor) {
      cpuVendor = vendor;
      return this;
    }

    public HostSpec maxHardwareVersion(String version) {
      maxHardwareVersion = version;
      return this;
    }

    public HostSpec vmotionLinkMbps(long mbps) {
      vmotionLinkMbps = mbps;
      return this;
    }
  }

  private record DiskDecl(String datastore, long bytes, DiskMode mode, boolean rdm) {}

  /** A VM's settings; defaults: powered on, vmx-19, 2 vCPU, 4 GiB, tools running. */
  public static final class VmSpec {
    private String host;
    private String pool;
    private String folder;
    private String vmxDatastore;
    private final List<DiskDecl> disks = new ArrayList<>();
    private final List<String[]> nics = new ArrayList<>();
    private final List<String> snapshots = new ArrayList<>();
    private PowerState power = PowerState.POWERED_ON;
    private String instanceUuid;
    private String biosUuid;
    private boolean template;
    private boolean cdromHostDevice;
    private boolean tools = true;
    private String hardwareVersion = "vmx-19";
    private String guestId = "otherLinux64Guest";
    private int cpus = 2;
    private long memoryMb = 4096;

    /** The host by name (default: the current cluster's first host). */
    public VmSpec host(String name) {
      host = name;
      return this;
    }

    /** The resource pool by name in the host's cluster (default: the root pool). */
    public VmSpec pool(String name) {
      pool = name;
      return this;
    }

    /** The VM folder by name (default: the datacenter's VM folder). */
    public VmSpec folder(String name) {
      folder = name;
      return this;
    }

    /** The datastore of the .vmx (default: the first disk's). */
    public VmSpec vmxDatastore(String name) {
      vmxDatastore = name;
      return this;
    }

    public VmSpec disk(String datastore, long bytes) {
      return disk(datastore, bytes, DiskMode.PERSISTENT);
    }

    public VmSpec disk(String datastore, long bytes, DiskMode mode) {
      disks.add(new DiskDecl(datastore, bytes, mode, false));
      return this;
    }

    /** A raw device mapping whose mapping file lives on the datastore. */
    public VmSpec rdmDisk(String datastore, long bytes) {
      disks.add(new DiskDecl(datastore, bytes, DiskMode.INDEPENDENT_PERSISTENT, true));
      return this;
    }

    public VmSpec nic(String network) {
      return nic(network, null);
    }

    public VmSpec nic(String network, String macAddress) {
      nics.add(new String[] {network, macAddress});
      return this;
    }

    public VmSpec snapshots(String... names) {
      snapshots.addAll(List.of(names));
      return this;
    }

    public VmSpec poweredOff() {
      power = PowerState.POWERED_OFF;
      return this;
    }

    public VmSpec powerState(PowerState state) {
      power = state;
      return this;
    }

    public VmSpec instanceUuid(String uuid) {
      instanceUuid = uuid;
      return this;
    }

    public VmSpec biosUuid(String uuid) {
      biosUuid = uuid;
      return this;
    }

    public VmSpec template() {
      template = true;
      power = PowerState.POWERED_OFF;
      return this;
    }

    public VmSpec cdromHostDevice() {
      cdromHostDevice = true;
      return this;
    }

    /** No VMware Tools: a guest shutdown request is accepted but the guest never goes down. */
    public VmSpec withoutTools() {
      tools = false;
      return this;
    }

    public VmSpec hardwareVersion(String version) {
      hardwareVersion = version;
      return this;
    }

    public VmSpec guestId(String id) {
      guestId = id;
      return this;
    }

    public VmSpec cpus(int n) {
      cpus = n;
      return this;
    }

    public VmSpec memoryMb(long mb) {
      memoryMb = mb;
      return this;
    }
  }
}

package dev.vmigrate.vsphere.simulated;

import dev.vmigrate.model.PowerState;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.TaskRef;
import dev.vmigrate.vsphere.TaskState;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.simulated.SimEstate.Vm;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The task engine of a {@link SimulatedVsphere}: simulated time read from its clock, tasks that
 * move bytes, armed task faults, and settling of the tasks and guest shutdowns that have finished
 * by now. Without shared resources a task moves its bytes at the bandwidth set when it started
 * (bytes ÷ bandwidth); with the {@link PhysicalModel} it shares the resources it crosses (their
 * capacities from the hosts' vMotion links and the datastores) with the other running tasks,
 * max-min fair, recomputed whenever a task starts or ends. Not thread-safe on its own: it is used
 * only while holding the lock of the {@link SimulatedVsphere} that owns it.
 */
final class SimTasks {
  static final long UNKNOWN_LINK_MBPS = 1_000;
  private final SimEstate estate;
  Clock clock = Clock.systemUTC();
  long bandwidthBytesPerSecond;
  Duration guestShutdownDelay = Duration.ZERO;
  // The shared-bandwidth model, or null: then every task runs at the bandwidth alone.
  PhysicalModel model;
  // Throughput of single datastores, by name, where it differs from the model's.
  final Map<String, Long> datastoreThroughput = new HashMap<>();
  // The instant up to which the running tasks' remaining bytes are accounted.
  private Instant accountedTo;

  private int nextTaskId = 1;
  // In creation order: recentTasks lists a VM's tasks oldest first, as vCenter does.
  final Map<String, Task> byId = new LinkedHashMap<>();
  private final List<Task> running = new ArrayList<>();
  final List<TaskFault> taskFaults = new ArrayList<>();
  // The bottleneck over time: one sample per change of the most utilised resource.
  final List<ResourceSample> bottlenecks = new ArrayList<>();

  SimTasks(SimEstate estate) {
    this.estate = estate;
  }

  TaskRef submit(
      String operation, String vsphereName, String entity, long bytes, Supplier<String> effect) {
    return submit(operation, vsphereName, entity, bytes, List.of(), effect);
  }

  /**
   * Starts a task that moves {@code bytes} across {@code resources} (shared with the other running
   * tasks where a resource has a capacity) and then applies {@code effect}.
   */
  TaskRef submit(
      String operation,
      String vsphereName,
      String entity,
      long bytes,
      List<String> resources,
      Supplier<String> effect) {
    settle();
    Task task =
        new Task(
            new TaskRef("task-" + nextTaskId++),
            vsphereName,
            entity,
            Math.max(0, bytes),
            bandwidthBytesPerSecond,
            resources);
    task.effect = effect;
    task.queued = clock.instant();
    for (var it = taskFaults.iterator(); it.hasNext(); ) {
      TaskFault f = it.next();
      if (f.operation.equals(operation) && (f.entityId == null || f.entityId.equals(entity))) {
        it.remove();
        task.failure = f.fault;
        task.failPercent = f.atPercent;
        break;
      }
    }
    Vm vm = estate.vms.get(entity);
    if (vm != null) {
      vm.busyTask = task;
    }
    byId.put(task.ref.id(), task);
    running.add(task);
    settle();
    return task.ref;
  }

  /** A task that has ended lets go of its effect and of its VM. */
  private void release(Task t) {
    t.effect = null;
    Vm vm = estate.vms.get(t.entity);
    if (vm != null && vm.busyTask == t) {
      vm.busyTask = null;
    }
  }

  /** Ends a task that reached its end or its armed fault: its effect applies, or its fault. */
  private void end(Task t) {
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

  /**
   * Applies every task and guest shutdown that has finished by now, in time order: the running
   * tasks' bytes are accounted event by event (a task ending changes the others' shares).
   */
  void settle() {
    Instant now = clock.instant();
    if (accountedTo == null || running.isEmpty()) {
      accountedTo = now;
    }
    while (true) {
      shareResources();
      if (running.isEmpty()) {
        break;
      }
      Task next = null;
      long nextInNanos = Long.MAX_VALUE;
      for (Task t : running) {
        long in = t.nanosToEvent();
        if (in < nextInNanos) {
          next = t;
          nextInNanos = in;
        }
      }
      if (next == null || accountedTo.plusNanos(nextInNanos).isAfter(now)) {
        break;
      }
      advance(nextInNanos);
      accountedTo = accountedTo.plusNanos(nextInNanos);
      running.remove(next);
      next.remaining = next.eventRemaining();
      end(next);
    }
    if (!running.isEmpty() && now.isAfter(accountedTo)) {
      advance(Duration.between(accountedTo, now).toNanos());
    }
    accountedTo = now;
    for (var it = estate.shuttingDown.iterator(); it.hasNext(); ) {
      Vm vm = it.next();
      if (vm.shutdownAt == null) {
        it.remove();
      } else if (!vm.shutdownAt.isAfter(now)) {
        it.remove();
        vm.shutdownAt = null;
        estate.setPower(vm, PowerState.POWERED_OFF);
      }
    }
  }

  /** The resource a relocate crosses on a host: its vMotion link. */
  static String link(String hostId) {
    return "link:" + hostId;
  }

  /** The resource a disk copy crosses on a datastore, by the datastore's name. */
  static String datastore(String name) {
    return "datastore:" + name;
  }

  /** A resource's bytes per second under the model, or null when it limits nothing. */
  private Long capacity(String resource) {
    if (model == null) {
      return null;
    }
    if (resource.startsWith("link:")) {
      SimEstate.Host h = estate.hosts.get(resource.substring("link:".length()));
      // A link of unknown speed (0: the host reported no physical NIC speed) counts as 1 GbE, as
      // admission control's cost model counts it; an unlimited link would hide a bottleneck.
      return h == null
          ? null
          : model.linkBytesPerSecond(h.vmotionLinkMbps > 0 ? h.vmotionLinkMbps : UNKNOWN_LINK_MBPS);
    }
    if (resource.startsWith("datastore:")) {
      String name = resource.substring("datastore:".length());
      return datastoreThroughput.getOrDefault(name, model.datastoreBytesPerSecond());
    }
    return null;
  }

  /**
   * The bytes a hot migration sends for the guest's memory between two hosts: all of it once
   * without the model, the pre-copy passes at the slower link's rate with it.
   */
  long memoryBytes(long memory, String fromHost, String toHost) {
    if (model == null) {
      return memory;
    }
    long rate = Math.min(capacityOrMax(link(fromHost)), capacityOrMax(link(toHost)));
    if (bandwidthBytesPerSecond > 0) {
      rate = Math.min(rate, bandwidthBytesPerSecond);
    }
    return model.precopyBytes(memory, rate);
  }

  /**
   * A lower bound, in seconds, on the time the bytes moved so far needed under the model, however
   * they had been scheduled: every resource carries its transfers' bytes at its full capacity, and
   * no transfer goes faster than its slowest resource. 0 without the model.
   */
  double transferLowerBoundSeconds() {
    Map<String, Double> perResource = new HashMap<>();
    double longestAlone = 0;
    for (Task t : byId.values()) {
      double moved = t.bytes - Math.max(0, t.remaining);
      if (moved <= 0) {
        continue;
      }
      double slowest = Double.POSITIVE_INFINITY;
      for (String r : new HashSet<>(t.resources)) {
        Long c = capacity(r);
        if (c != null && c > 0) {
          perResource.merge(r, moved / c, Double::sum);
          slowest = Math.min(slowest, c);
        }
      }
      if (!Double.isInfinite(slowest)) {
        longestAlone = Math.max(longestAlone, moved / slowest);
      }
    }
    double busiest = perResource.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return Math.max(busiest, longestAlone);
  }

  private long capacityOrMax(String resource) {
    Long c = capacity(resource);
    return c == null ? Long.MAX_VALUE : c;
  }

  /** Moves every running task's bytes on by {@code nanos} at its current rate. */
  private void advance(long nanos) {
    double seconds = nanos / 1e9;
    for (Task t : running) {
      if (Double.isInfinite(t.rate)) {
        t.remaining = t.eventRemaining();
      } else {
        t.remaining = Math.max(t.eventRemaining(), t.remaining - t.rate * seconds);
      }
    }
  }

  /**
   * Records the most utilised resource now (at {@code accountedTo}) when it, its utilisation or its
   * transfer count differs from the last sample; a zero sample once nothing runs any more.
   */
  private void sampleBottleneck(Map<String, Long> capacities) {
    String top = null;
    double topUse = 0;
    int topTransfers = 0;
    Map<String, Double> rates = new HashMap<>();
    Map<String, Integer> transfers = new HashMap<>();
    for (Task t : running) {
      for (String r : t.resources) {
        if (capacities.containsKey(r) && !Double.isInfinite(t.rate)) {
          rates.merge(r, t.rate, Double::sum);
          transfers.merge(r, 1, Integer::sum);
        }
      }
    }
    for (var e : rates.entrySet()) {
      long capacity = capacities.get(e.getKey());
      double use = capacity <= 0 ? 1 : Math.min(1, e.getValue() / capacity);
      int n = transfers.get(e.getKey());
      String name = displayName(e.getKey());
      int cmp =
          top == null
              ? 1
              : Math.abs(use - topUse) > 1e-9
                  ? Double.compare(use, topUse)
                  : n != topTransfers ? Integer.compare(n, topTransfers) : top.compareTo(name);
      if (cmp > 0) {
        top = name;
        topUse = use;
        topTransfers = n;
      }
    }
    ResourceSample last = bottlenecks.isEmpty() ? null : bottlenecks.get(bottlenecks.size() - 1);
    if (last == null && top == null) {
      return;
    }
    if (last != null
        && Objects.equals(last.resource(), top)
        && Math.abs(last.utilisation() - topUse) <= 1e-9
        && last.transfers() == topTransfers) {
      return;
    }
    ResourceSample sample = new ResourceSample(accountedTo, top, topUse, topTransfers);
    if (last != null && last.at().equals(accountedTo)) {
      // Several changes at one instant (tasks starting together): the last one stands.
      bottlenecks.set(bottlenecks.size() - 1, sample);
      ResourceSample before =
          bottlenecks.size() > 1 ? bottlenecks.get(bottlenecks.size() - 2) : null;
      if (before == null ? top == null : sameState(before, sample)) {
        bottlenecks.remove(bottlenecks.size() - 1);
      }
    } else {
      bottlenecks.add(sample);
    }
  }

  private static boolean sameState(ResourceSample a, ResourceSample b) {
    return Objects.equals(a.resource(), b.resource())
        && Math.abs(a.utilisation() - b.utilisation()) <= 1e-9
        && a.transfers() == b.transfers();
  }

  /** A resource as operators know it: a link by its host's name, a datastore by its name. */
  private String displayName(String resource) {
    if (resource.startsWith("link:")) {
      SimEstate.Host h = estate.hosts.get(resource.substring("link:".length()));
      return h == null ? resource : "link:" + h.name;
    }
    return resource;
  }

  /**
   * Seconds during which each resource was the bottleneck with some use, up to now, by the names of
   * {@link ResourceSample#resource()}.
   */
  Map<String, Double> bottleneckSeconds() {
    Map<String, Double> seconds = new TreeMap<>();
    Instant now = clock.instant();
    for (int i = 0; i < bottlenecks.size(); i++) {
      ResourceSample s = bottlenecks.get(i);
      Instant end = i + 1 < bottlenecks.size() ? bottlenecks.get(i + 1).at() : now;
      if (s.resource() != null && s.utilisation() > 0 && end.isAfter(s.at())) {
        seconds.merge(s.resource(), Duration.between(s.at(), end).toNanos() / 1e9, Double::sum);
      }
    }
    return seconds;
  }

  /**
   * Sets every running task's rate: max-min fair shares of the resources with a capacity, each task
   * also capped by the bandwidth set when it started (if any). Progressive filling: the resource
   * whose remaining capacity per unfixed task is smallest fixes its tasks at that share, which is
   * taken from the other resources they cross; a task whose own cap is below every share is fixed
   * at its cap first.
   */
  private void shareResources() {
    Map<String, Double> left = new HashMap<>();
    Map<String, Long> capacities = new HashMap<>();
    List<Task> open = new ArrayList<>();
    for (Task t : running) {
      t.rate = t.cap > 0 ? t.cap : Double.POSITIVE_INFINITY;
      boolean shared = false;
      for (String r : t.resources) {
        Long c = capacity(r);
        if (c != null) {
          left.putIfAbsent(r, (double) c);
          capacities.putIfAbsent(r, c);
          shared = true;
        }
      }
      if (shared) {
        open.add(t);
      }
    }
    while (!open.isEmpty()) {
      Map<String, Integer> users = new HashMap<>();
      for (Task t : open) {
        for (String r : t.sharedResources(left.keySet())) {
          users.merge(r, 1, Integer::sum);
        }
      }
      String bottleneck = null;
      double share = Double.POSITIVE_INFINITY;
      for (var e : users.entrySet()) {
        double s = Math.max(0, left.get(e.getKey())) / e.getValue();
        if (s < share) {
          share = s;
          bottleneck = e.getKey();
        }
      }
      Task capped = null;
      for (Task t : open) {
        if (t.cap > 0 && t.cap < share && (capped == null || t.cap < capped.cap)) {
          capped = t;
        }
      }
      List<Task> fixed = new ArrayList<>();
      if (capped != null) {
        capped.rate = capped.cap;
        fixed.add(capped);
      } else {
        for (Task t : open) {
          if (t.resources.contains(bottleneck)) {
            t.rate = share;
            fixed.add(t);
          }
        }
      }
      for (Task t : fixed) {
        for (String r : t.sharedResources(left.keySet())) {
          left.merge(r, -t.rate, Double::sum);
        }
      }
      open.removeAll(fixed);
    }
    sampleBottleneck(capacities);
  }

  Task require(String id) {
    return SimEstate.require(byId, id, "task");
  }

  /** The tasks of an entity, oldest first. */
  List<TaskInfo> recent(String entityId) {
    Instant now = clock.instant();
    // Every task is kept, where vCenter drops the finished ones after about ten minutes.
    return byId.values().stream()
        .filter(t -> entityId.equals(t.entity))
        .map(t -> t.info(now))
        .toList();
  }

  /**
   * The tasks on the entity queued at or after {@code since}, oldest first, whatever their state.
   */
  List<TaskInfo> history(String entityId, Instant since) {
    Instant now = clock.instant();
    return byId.values().stream()
        .filter(t -> entityId.equals(t.entity) && !t.queued.isBefore(since))
        .map(t -> t.info(now))
        .toList();
  }

  /** Cancels a running task; false when it has already ended. */
  boolean cancel(String id) {
    Task t = require(id);
    if (t.state != TaskState.RUNNING) {
      return false;
    }
    t.progress = t.info(clock.instant()).progress();
    running.remove(t);
    shareResources();
    t.state = TaskState.ERROR;
    t.error = new VsphereException.Transient("RequestCanceled", t.operation + " was cancelled");
    release(t);
    return true;
  }

  // ---------------------------------------------------------------- tasks

  static final class Task {
    final TaskRef ref;
    final String operation;
    final String entity;
    final long bytes;
    // The bandwidth when it started (0: none), and the resources its bytes cross.
    final double cap;
    final List<String> resources;
    Supplier<String> effect;
    VsphereException failure;
    int failPercent;
    Instant queued;
    TaskState state = TaskState.RUNNING;
    int progress;
    String result;
    VsphereException error;
    double remaining;
    double rate;

    Task(
        TaskRef ref,
        String operation,
        String entity,
        long bytes,
        long cap,
        List<String> resources) {
      this.ref = ref;
      this.operation = operation;
      this.entity = entity;
      this.bytes = bytes;
      this.cap = cap;
      this.resources = List.copyOf(resources);
      this.remaining = bytes;
    }

    /** The resources of this task that have a capacity. */
    Set<String> sharedResources(Set<String> withCapacity) {
      Set<String> out = new HashSet<>(resources);
      out.retainAll(withCapacity);
      return out;
    }

    /** The remaining bytes at which this task's next event (its end or its fault) happens. */
    double eventRemaining() {
      return failure == null ? 0 : bytes * (100 - failPercent) / 100.0;
    }

    /** Nanoseconds until this task's next event at its current rate. */
    long nanosToEvent() {
      double toGo = remaining - eventRemaining();
      if (toGo <= 0 || Double.isInfinite(rate)) {
        return 0;
      }
      if (rate <= 0) {
        return Long.MAX_VALUE;
      }
      return (long) (toGo * 1e9 / rate);
    }

    TaskInfo info(Instant now) {
      int pct = progress;
      if (state == TaskState.RUNNING) {
        pct = bytes <= 0 ? 0 : (int) Math.min(99, (bytes - remaining) * 100 / bytes);
        if (failure != null) {
          pct = Math.min(pct, failPercent);
        }
      }
      return new TaskInfo(ref, operation, entity, state, pct, result, error, queued);
    }
  }

  record TaskFault(String operation, String entityId, int atPercent, VsphereException fault) {}
}

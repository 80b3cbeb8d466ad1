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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The task engine of a {@link SimulatedVsphere}: simulated time read from its clock, tasks that
 * take bytes moved ÷ bandwidth, armed task faults, and settling of the tasks and guest shutdowns
 * that have finished by now. Not thread-safe on its own: it is used only while holding the lock of
 * the {@link SimulatedVsphere} that owns it.
 */
final class SimTasks {
  private final SimEstate estate;
  Clock clock = Clock.systemUTC();
  long bandwidthBytesPerSecond;
  Duration guestShutdownDelay = Duration.ZERO;

  private int nextTaskId = 1;
  // In creation order: recentTasks lists a VM's tasks oldest first, as vCenter does.
  final Map<String, Task> byId = new LinkedHashMap<>();
  private final List<Task> running = new ArrayList<>();
  final List<TaskFault> taskFaults = new ArrayList<>();

  SimTasks(SimEstate estate) {
    this.estate = estate;
  }

  TaskRef submit(
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

  /** Applies every task and guest shutdown that has finished by now, in time order. */
  void settle() {
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
    for (var it = estate.shuttingDown.iterator(); it.hasNext(); ) {
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

  /** Cancels a running task; false when it has already ended. */
  boolean cancel(String id) {
    Task t = require(id);
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

  // ---------------------------------------------------------------- tasks

  static final class Task {
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

  record TaskFault(String operation, String entityId, int atPercent, VsphereException fault) {}
}

package dev.vmigrate.activity.impl;

import static dev.vmigrate.activity.impl.Failures.call;
import static dev.vmigrate.activity.impl.Failures.failure;
import static dev.vmigrate.activity.impl.Failures.nonRetryable;

import dev.vmigrate.model.DiskProgress;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.vsphere.RelocateSpec;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.TaskPolling;
import dev.vmigrate.vsphere.TaskRef;
import dev.vmigrate.vsphere.TaskState;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for and follows vCenter tasks: short tasks without heartbeat details of their own, and
 * data-moving tasks that re-attach on retry, heartbeat {@link TaskProgress}, signal disk progress
 * and are cancelled in vCenter when their activity is.
 */
final class TaskFollower {
  private static final Logger log = LoggerFactory.getLogger(TaskFollower.class);

  /** How long a cancelled activity waits for the vCenter task it cancelled to end. */
  private static final Duration CANCEL_WAIT = Duration.ofSeconds(30);

  private final ActivitySettings settings;

  TaskFollower(ActivitySettings settings) {
    this.settings = settings;
  }

  /**
   * The wait between two reads of a task: from {@link ActivitySettings#pollInitial()}, growing by
   * {@link #next}; an interrupted wait fails the activity as transient.
   */
  TaskPolling polling() {
    return TaskPolling.starting(settings.pollInitial(), this::next, e -> Failures.interrupted())
        .in(settings.pace());
  }

  /** Waits for a short task (power, folder, register) without heartbeat details of its own. */
  TaskInfo await(VsphereGateway gw, TaskRef ref) {
    TaskPolling polling = polling();
    while (true) {
      TaskInfo t = call(() -> gw.task(ref));
      if (t.state().finished()) {
        if (t.state() == TaskState.ERROR) {
          throw failure(errorOf(t));
        }
        return t;
      }
      heartbeatIfActive(new TaskProgress(ref.id(), t.progress()));
      polling.pause();
    }
  }

  /**
   * Sends one change that vCenter runs as a task and waits for it, exactly once whatever the
   * retries, late replies and dead workers: an earlier attempt's task that is still queued or
   * running is followed, one that succeeded is taken as the result (see {@link #earlier}), and only
   * otherwise is {@code submit} called, its task recorded in the heartbeat details at once.
   *
   * @param entityId the task's entity: the VM for relocate, reconfigure and power; the folder for
   *     MoveIntoFolder_Task and RegisterVM_Task
   * @param searchEntity whether the entity's tasks identify this change (a VM's do); when false
   *     only the task recorded in the heartbeat details is rejoined, and the caller's check of the
   *     VM's state must cover the rest
   */
  TaskInfo once(
      VsphereGateway gw,
      String entityId,
      String operation,
      boolean searchEntity,
      Supplier<TaskRef> submit) {
    ActivityExecutionContext ec;
    try {
      ec = Activity.getExecutionContext();
    } catch (IllegalStateException notInActivity) {
      return await(gw, call(submit));
    }
    TaskRef ref = earlier(gw, ec, entityId, operation, searchEntity);
    if (ref == null) {
      ref = call(submit);
      ec.heartbeat(new TaskProgress(ref.id(), 0));
    }
    return await(gw, ref);
  }

  /** Relocates a VM through {@link #follow}: at most one RelocateVM_Task, whatever the retries. */
  TaskInfo relocate(VsphereGateway gw, String vmId, RelocateSpec spec, List<VirtualDisk> disks) {
    return follow(gw, vmId, TaskInfo.RELOCATE, () -> gw.relocate(vmId, spec), disks);
  }

  /**
   * Follows a data-moving task that runs {@code operation} on {@code entityId}: re-attaches to the
   * task of an earlier attempt when it is queued, running or succeeded ({@link #earlier}: the
   * heartbeat details, else the entity's recent tasks and task history), else submits a new one and
   * records it at once; heartbeats progress and, when {@code disks} is not empty, signals the
   * workflow's per-disk progress at most every 10 percentage points.
   */
  private TaskInfo follow(
      VsphereGateway gw,
      String entityId,
      String operation,
      Supplier<TaskRef> submit,
      List<VirtualDisk> disks) {
    ActivityExecutionContext ec = Activity.getExecutionContext();
    TaskRef ref = earlier(gw, ec, entityId, operation, true);
    if (ref == null) {
      ref = call(submit);
      ec.heartbeat(new TaskProgress(ref.id(), 0));
    }
    int lastSignalled = -10;
    long diskBytes = disks.stream().mapToLong(VirtualDisk::capacityBytes).sum();
    // What an earlier attempt following this same task already counted (its last heartbeat).
    TaskRef followed = ref;
    int counted =
        ec.getHeartbeatDetails(TaskProgress.class)
            .filter(p -> followed.id().equals(p.task()))
            .map(TaskProgress::percent)
            .orElse(0);
    TaskPolling polling = polling();
    while (true) {
      TaskRef current = ref;
      TaskInfo t = call(() -> gw.task(current));
      int percent = t.state() == TaskState.SUCCESS ? 100 : t.progress();
      try {
        ec.heartbeat(new TaskProgress(ref.id(), percent));
      } catch (ActivityCanceledException cancelled) {
        // The workflow is rolling back or cancelling: stop the move itself rather than leave it
        // running for hours under a compensation that would have to wait for it and undo it.
        cancelTask(gw, current);
        throw cancelled;
      }
      if (!disks.isEmpty()
          && t.state() != TaskState.ERROR
          && (percent >= lastSignalled + 10 || (percent == 100 && lastSignalled < 100))) {
        lastSignalled = percent;
        signalDiskProgress(ec, disks, percent);
      }
      if (diskBytes > 0 && t.state() != TaskState.ERROR && percent > counted) {
        countBytesMoved(ec, diskBytes, counted, percent);
        counted = percent;
      }
      if (t.state() == TaskState.ERROR) {
        throw followedTaskFailure(t, ec.getInfo().getAttempt());
      }
      if (t.state() == TaskState.SUCCESS) {
        return t;
      }
      polling.pause();
    }
  }

  /**
   * How far before this activity's first scheduling a task found in vCenter may have been queued
   * and still count as this activity's: the clocks of vCenter and of the Temporal service differ
   * (both are expected to run NTP).
   */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(1);

  /**
   * The task of an earlier attempt of this activity to follow instead of submitting one, or null:
   * one that is queued, running or has SUCCEEDED (its result is read, nothing is sent again). A
   * task that ended in error is not rejoined: the change did not happen and is sent again. The task
   * recorded in the heartbeat details comes first; on a retry without one (the attempt died, or its
   * reply came too late, before a heartbeat got through), the entity's recent tasks and then its
   * task history since the activity was first scheduled are searched for the last task of {@code
   * operation} on {@code entityId}, unless {@code searchEntity} is false (an entity such as a
   * folder that other migrations' tasks act on too).
   */
  private TaskRef earlier(
      VsphereGateway gw,
      ActivityExecutionContext ec,
      String entityId,
      String operation,
      boolean searchEntity) {
    Optional<TaskProgress> previous = ec.getHeartbeatDetails(TaskProgress.class);
    if (previous.isPresent() && previous.get().task() != null) {
      TaskRef known = new TaskRef(previous.get().task());
      try {
        TaskInfo t = gw.task(known);
        if (operation.equals(t.operation()) && entityId.equals(t.entity())) {
          if (t.state() != TaskState.ERROR) {
            log.info("re-attached to {} ({}, {})", known.id(), operation, t.state());
            return known;
          }
          return null;
        }
      } catch (VsphereException.NotFound e) {
        log.info("{} is gone from vCenter", known.id());
      } catch (VsphereException e) {
        throw failure(e);
      }
    }
    if (!searchEntity) {
      return null;
    }
    // A task of this operation still queued or running on the entity: an attempt that submitted it
    // and died (or still waits for its reply) before its heartbeat reached Temporal.
    List<TaskInfo> recent = call(() -> gw.recentTasks(entityId));
    TaskInfo found = null;
    for (int i = recent.size() - 1; i >= 0 && found == null; i--) {
      if (recent.get(i).inFlight(operation, entityId)) {
        found = recent.get(i);
      }
    }
    if (found == null && ec.getInfo().getAttempt() > 1) {
      // A finished one counts only if this activity started it: queued since it was first
      // scheduled. recentTask first (vCenter keeps tasks there for minutes), then the history.
      Instant since = Instant.ofEpochMilli(ec.getInfo().getScheduledTimestamp()).minus(CLOCK_SKEW);
      found = last(recent, operation, entityId, since);
      if (found == null) {
        found = last(call(() -> gw.taskHistory(entityId, since)), operation, entityId, since);
      }
    }
    if (found == null || found.state() == TaskState.ERROR) {
      return null;
    }
    log.info(
        "re-attached to {}, a {} of {} ({}) that an earlier attempt started but did not record",
        found.ref().id(),
        operation,
        entityId,
        found.state());
    ec.heartbeat(new TaskProgress(found.ref().id(), found.progress()));
    return found.ref();
  }

  private static TaskInfo last(
      List<TaskInfo> tasks, String operation, String entityId, Instant since) {
    for (int i = tasks.size() - 1; i >= 0; i--) {
      if (tasks.get(i).startedBy(operation, entityId, since)) {
        return tasks.get(i);
      }
    }
    return null;
  }

  /**
   * Asks vCenter to cancel the task and waits a bounded time for it to end, so that the
   * compensation that follows finds the VM settled; best effort, the compensation retries anyway.
   */
  private void cancelTask(VsphereGateway gw, TaskRef ref) {
    try {
      boolean accepted = gw.cancelTask(ref);
      log.info(
          "activity cancelled: {} {}",
          ref.id(),
          accepted ? "cancelled in vCenter" : "could not be cancelled and runs to its end");
      TaskPolling polling = polling().within(CANCEL_WAIT);
      while (!gw.task(ref).state().finished() && !polling.expired()) {
        polling.pause();
      }
    } catch (VsphereException e) {
      log.warn("cancelling {} failed: {}", ref.id(), e.getMessage());
    }
  }

  /** The counter of disk bytes copied, in the worker's metrics (see docs/operations.md). */
  static final String BYTES_MOVED = "vmigrate_bytes_moved";

  /**
   * Adds the disk bytes the task copied between two progress readings to the worker's metrics,
   * through the activity's Temporal metrics scope (tagged with the activity type and task queue).
   */
  private static void countBytesMoved(
      ActivityExecutionContext ec, long diskBytes, int fromPercent, int toPercent) {
    long delta = diskBytes * toPercent / 100 - diskBytes * fromPercent / 100;
    try {
      ec.getMetricsScope().counter(BYTES_MOVED).inc(delta);
    } catch (RuntimeException e) {
      log.debug("bytes moved not counted: {}", e.toString());
    }
  }

  private static void signalDiskProgress(
      ActivityExecutionContext ec, List<VirtualDisk> disks, int percent) {
    try {
      List<DiskProgress> progress =
          disks.stream()
              .map(d -> new DiskProgress(d.key(), d.label(), d.capacityBytes(), percent))
              .toList();
      ec.getWorkflowClient()
          .newWorkflowStub(VmMigrationWorkflow.class, ec.getInfo().getWorkflowId())
          .diskProgress(progress);
    } catch (RuntimeException e) {
      // Best effort: progress is cosmetic and must never fail the move itself.
      log.debug("diskProgress signal not delivered: {}", e.toString());
    }
  }

  /**
   * A data-moving task that ended in error. One cancelled in vCenter while this activity followed
   * it was cancelled by a person (vmigrate cancels only when its activity is cancelled, and then
   * stops following): not retried, so that the failure policy decides rather than vmigrate starting
   * the move again behind the administrator's back. A retryable fault is not retried once the
   * attempt is {@link ActivitySettings#taskFaultAttempts()} or later: vCenter ran the task and
   * failed it, so the failure policy decides within seconds, and the status has shown each
   * attempt's fault meanwhile.
   */
  private ApplicationFailure followedTaskFailure(TaskInfo t, int attempt) {
    VsphereException e = errorOf(t);
    if ("RequestCanceled".equals(e.fault())) {
      return nonRetryable(
          FailureTypes.INVALID_STATE,
          t.operation()
              + " "
              + t.ref().id()
              + " was cancelled in vCenter, not by vmigrate; resume to run it again");
    }
    int limit = settings.taskFaultAttempts();
    if (e.retryable() && limit > 0 && attempt >= limit) {
      return nonRetryable(
          FailureTypes.TASK_FAILED,
          Failures.message(e)
              + " (vCenter failed "
              + t.operation()
              + " on attempt "
              + attempt
              + "; not retried further: fix the cause, then resume)");
    }
    return failure(e);
  }

  private static VsphereException errorOf(TaskInfo t) {
    return t.error() != null
        ? t.error()
        : new VsphereException.Transient("SystemError", t.operation() + " failed without a fault");
  }

  private static void heartbeatIfActive(Object details) {
    try {
      Activity.getExecutionContext().heartbeat(details);
    } catch (IllegalStateException notInActivity) {
      // Called outside an activity (e.g. from a local helper): nothing to heartbeat.
    }
  }

  private Duration next(Duration wait) {
    Duration doubled = wait.multipliedBy(2);
    return doubled.compareTo(settings.pollMax()) > 0 ? settings.pollMax() : doubled;
  }
}

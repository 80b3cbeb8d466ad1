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

  /** Relocates a VM through {@link #follow}: at most one RelocateVM_Task, whatever the retries. */
  TaskInfo relocate(VsphereGateway gw, String vmId, RelocateSpec spec, List<VirtualDisk> disks) {
    return follow(gw, vmId, TaskInfo.RELOCATE, () -> gw.relocate(vmId, spec), disks);
  }

  /**
   * Follows a data-moving task that runs {@code operation} on {@code entityId}: re-attaches to the
   * task recorded in the heartbeat details when it is still running or queued, else to one that
   * vCenter lists as running or queued on the entity (an earlier attempt submitted it and died
   * before its heartbeat reached Temporal), else submits a new one and records it at once;
   * heartbeats progress and, when {@code disks} is not empty, signals the workflow's per-disk
   * progress at most every 10 percentage points.
   */
  private TaskInfo follow(
      VsphereGateway gw,
      String entityId,
      String operation,
      Supplier<TaskRef> submit,
      List<VirtualDisk> disks) {
    ActivityExecutionContext ec = Activity.getExecutionContext();
    TaskRef ref = reattach(gw, ec, entityId, operation);
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

  /** The unfinished task of an earlier attempt to follow instead of submitting one, or null. */
  private TaskRef reattach(
      VsphereGateway gw, ActivityExecutionContext ec, String entityId, String operation) {
    Optional<TaskProgress> previous = ec.getHeartbeatDetails(TaskProgress.class);
    if (previous.isPresent() && previous.get().task() != null) {
      TaskRef known = new TaskRef(previous.get().task());
      try {
        TaskInfo t = gw.task(known);
        if (!t.state().finished()) {
          log.info("re-attached to {}", known.id());
          return known;
        }
      } catch (VsphereException.NotFound e) {
        log.info("{} is gone from vCenter", known.id());
      } catch (VsphereException e) {
        throw failure(e);
      }
    }
    // No heartbeat names a running task, yet an attempt that died right after submitting leaves
    // one running in vCenter: find it on the entity rather than start a second one.
    List<TaskInfo> recent = call(() -> gw.recentTasks(entityId));
    for (int i = recent.size() - 1; i >= 0; i--) {
      TaskInfo t = recent.get(i);
      if (t.inFlight(operation, entityId)) {
        log.info(
            "re-attached to {}, a {} of {} that vCenter runs but no heartbeat recorded",
            t.ref().id(),
            operation,
            entityId);
        ec.heartbeat(new TaskProgress(t.ref().id(), t.progress()));
        return t.ref();
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

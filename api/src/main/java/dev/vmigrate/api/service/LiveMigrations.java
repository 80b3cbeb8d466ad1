package dev.vmigrate.api.service;

import dev.vmigrate.api.db.RequestVmRow;
import dev.vmigrate.api.web.Dtos.LiveUnavailable;
import dev.vmigrate.api.web.Dtos.LiveView;
import dev.vmigrate.api.web.Dtos.TaskProgress;
import dev.vmigrate.api.web.Dtos.TaskView;
import dev.vmigrate.model.Destination;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.model.PendingAction;
import dev.vmigrate.model.PrecheckFinding;
import dev.vmigrate.model.RequestState;
import dev.vmigrate.request.RequestProgress;
import dev.vmigrate.request.VmTaskState;
import dev.vmigrate.workflow.PendingActions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.TemporalFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live side of a request's tasks: each started VM's status query and pending activity, read
 * side by side within the status query timeout, so a migration that no worker answers, or a
 * Temporal that is slow, never hangs a status call; what does not answer in time is left out.
 */
final class LiveMigrations {
  private static final Logger LOG = LoggerFactory.getLogger(LiveMigrations.class);

  /** Reads of many migrations run side by side; their threads never keep the process alive. */
  private static final ExecutorService READS =
      Executors.newFixedThreadPool(
          8,
          r -> {
            Thread t = new Thread(r, "live-migration-read");
            t.setDaemon(true);
            return t;
          });

  private final WorkflowClient temporal;
  private final long timeoutMillis;

  LiveMigrations(WorkflowClient temporal, long timeoutMillis) {
    this.temporal = temporal;
    this.timeoutMillis = timeoutMillis;
  }

  /** One migration as its workflow answers, with its pending activities (empty if unknown). */
  private record Live(MigrationStatus status, List<PendingAction> pending) {}

  /**
   * The request's tasks, started VMs with their live status.
   *
   * @param autoConfirms whether VERIFYING confirms itself, so a VM in it is not waiting for anyone
   */
  List<TaskView> tasks(
      String requestId, String sourceVcenter, List<RequestVmRow> vms, boolean autoConfirms) {
    Map<String, CompletableFuture<MigrationStatus>> statuses = new LinkedHashMap<>();
    Map<String, CompletableFuture<List<PendingAction>>> pending = new LinkedHashMap<>();
    for (RequestVmRow v : vms) {
      if (started(v)) {
        String id = v.migrationId();
        statuses.put(id, CompletableFuture.supplyAsync(() -> status(id), READS));
        pending.put(id, CompletableFuture.supplyAsync(() -> pending(id), READS));
      }
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    List<TaskView> tasks = new ArrayList<>();
    LiveUnavailable why = null;
    for (RequestVmRow v : vms) {
      Live live = null;
      LiveUnavailable unavailable = null;
      if (started(v)) {
        MigrationStatus s = await(statuses.get(v.migrationId()), deadline, v.migrationId());
        List<PendingAction> p = await(pending.get(v.migrationId()), deadline, v.migrationId());
        live = s == null ? null : new Live(s, p == null ? List.of() : p);
        if (live == null) {
          // Asked once per request: the same workers serve all of its migrations.
          if (why == null) {
            why =
                TaskQueuePollers.why(
                    temporal,
                    MigrationIds.taskQueue(sourceVcenter),
                    timeoutMillis,
                    v.updatedAt(),
                    Instant.now());
          }
          unavailable =
              why.since() == null || why.reason().startsWith("no worker")
                  ? why
                  : new LiveUnavailable(why.reason(), v.updatedAt());
        }
      }
      tasks.add(task(requestId, v, live, unavailable, autoConfirms));
    }
    return tasks;
  }

  /**
   * Sends an operator action to a migration as the Temporal Update of that name and returns the
   * migration's answer. The workflow's validator refuses an action that does not apply to its state
   * (nothing is recorded then), which is a Conflict naming the VM and the workflow's reason.
   *
   * @throws ServiceException.Conflict when refused, or when the migration has finished
   * @throws ServiceException.Unavailable when the migration's worker does not answer within the
   *     status timeout (the action may still be taken once it does)
   */
  String operate(String migrationId, String vmName, String action) {
    WorkflowStub stub = temporal.newUntypedWorkflowStub(migrationId);
    CompletableFuture<String> sent =
        CompletableFuture.supplyAsync(() -> stub.update(action, String.class), READS);
    try {
      return sent.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceException.Unavailable("signal", "signal: interrupted sending " + action);
    } catch (TimeoutException e) {
      sent.cancel(true);
      throw new ServiceException.Unavailable(
          "signal",
          "signal: VM '"
              + vmName
              + "': its migration's worker did not answer "
              + action
              + " within "
              + timeoutMillis
              + " ms; it may still take it once a worker runs (see vmigrate vm status)");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof WorkflowNotFoundException) {
        throw new ServiceException.Conflict(
            "vmId", "vmId: migration " + migrationId + " is not running");
      }
      if (cause instanceof WorkflowUpdateException) {
        throw new ServiceException.Conflict(
            "signal", "signal: VM '" + vmName + "': " + reason(cause));
      }
      LOG.warn("{} to {} failed: {}", action, migrationId, cause.toString());
      throw new ServiceException.Unavailable(
          "signal", "signal: " + action + " to VM '" + vmName + "' not sent: " + cause);
    }
  }

  /** The validator's own words: the innermost failure's message without Temporal's wrapping. */
  private static String reason(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof TemporalFailure tf && tf.getOriginalMessage() != null) {
      return tf.getOriginalMessage();
    }
    return t.getMessage();
  }

  /**
   * The state the request workflow itself reports (its {@code progress} query), or null when it
   * does not answer within the status query timeout (not started yet, no worker, Temporal slow).
   */
  RequestState requestState(String workflowId) {
    RequestProgress p =
        await(
            CompletableFuture.supplyAsync(
                () ->
                    temporal
                        .newUntypedWorkflowStub(workflowId)
                        .query("progress", RequestProgress.class),
                READS),
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis),
            workflowId);
    return p == null ? null : p.state();
  }

  /**
   * Why the request workflow in {@code state} would ignore {@code signal}, or null when it takes it
   * (or its state is unknown). Pausing a paused request or resuming an active one changes nothing,
   * and a cancelling request takes nothing more.
   */
  static String requestRefusal(String requestId, RequestState state, String signal) {
    if (state == null) {
      return null;
    }
    List<String> accepted =
        switch (state) {
          case ACTIVE -> List.of("pause", "cancel");
          case PAUSED -> List.of("resume", "cancel");
          default -> List.of();
        };
    if (accepted.contains(signal)) {
      return null;
    }
    return "signal: request "
        + requestId
        + " is "
        + state.value()
        + ", which ignores "
        + signal
        + (accepted.isEmpty()
            ? "; it accepts no signal"
            : "; it accepts " + String.join(", ", accepted));
  }

  private static boolean started(RequestVmRow v) {
    return v.state().equals(VmTaskState.STARTED.name()) && v.migrationId() != null;
  }

  private MigrationStatus status(String migrationId) {
    return temporal.newUntypedWorkflowStub(migrationId).query("status", MigrationStatus.class);
  }

  private List<PendingAction> pending(String migrationId) {
    return PendingActions.describe(
        temporal.getWorkflowServiceStubs(),
        temporal.getOptions().getNamespace(),
        migrationId,
        Duration.ofMillis(timeoutMillis));
  }

  private static <T> T await(CompletableFuture<T> f, long deadline, String migrationId) {
    try {
      return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      f.cancel(true);
      LOG.debug("live status of {} not read: {}", migrationId, e.toString());
      return null;
    }
  }

  private static TaskView task(
      String requestId,
      RequestVmRow v,
      Live live,
      LiveUnavailable unavailable,
      boolean autoConfirms) {
    int vmPct = v.vmMigratePercent();
    int diskPct = v.diskMigratePercent();
    String state = null;
    LiveView view = null;
    if (live != null) {
      MigrationStatus s = live.status();
      vmPct = s.percent();
      diskPct =
          s.disks() == null || s.disks().isEmpty()
              ? diskPct
              : (int) s.disks().stream().mapToInt(d -> d.percent()).average().orElse(0);
      state = s.state() == null ? null : s.state().name();
      view = s.state() == null ? null : view(requestId, v.vmId(), live, autoConfirms);
    }
    return new TaskView(
        v.vmId(),
        v.name(),
        v.instanceUuid(),
        v.state().toLowerCase(Locale.ROOT),
        v.proposal(),
        v.reason(),
        v.migrationId(),
        state,
        v.message(),
        new TaskProgress(vmPct, diskPct),
        v.deliveredAt(),
        v.updatedAt(),
        view,
        unavailable);
  }

  /** The Temporal UI's current details of one migration, as data. */
  private static LiveView view(String requestId, String vmId, Live live, boolean autoConfirms) {
    MigrationStatus s = live.status();
    List<PrecheckFinding> findings = new ArrayList<>();
    findings.addAll(nullToEmpty(s.blocking()));
    findings.addAll(nullToEmpty(s.warnings()));
    return new LiveView(
        s.state().name(),
        s.currentAction() == null ? null : s.currentAction().activityName(),
        live.pending().isEmpty() ? null : live.pending().get(0),
        s.lastError(),
        findings,
        held(s, autoConfirms),
        s.state().nextSignals().stream()
            .map(signal -> "vmigrate vm " + signal + " " + requestId + " " + vmId)
            .toList(),
        destination(s.destination()),
        s.destination() == null || s.destination().choice() == null
            ? null
            : s.destination().choice().describe());
  }

  /** "esx-02-03 (host-17)", or null before SelectDestination has run. */
  private static String destination(Destination d) {
    return d == null || d.host() == null ? null : d.hostLabel();
  }

  /** Why the migration waits for an operator, or null while it can progress on its own. */
  static String held(MigrationStatus s, boolean autoConfirms) {
    return switch (s.state()) {
      case FAILED_WAITING ->
          nullToEmpty(s.blocking()).isEmpty()
              ? "failed: " + s.lastError()
              : "held by blocking prechecks: "
                  + String.join(
                      "; ",
                      s.blocking().stream().map(f -> "[" + f.code() + "] " + f.message()).toList());
      case PAUSED -> "paused";
      case VERIFYING -> autoConfirms ? null : "waiting for confirm";
      default -> null;
    };
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}

package dev.vmigrate.api.service;

import dev.vmigrate.api.db.RequestRepository;
import dev.vmigrate.api.db.RequestRow;
import dev.vmigrate.api.db.RequestVmRepository;
import dev.vmigrate.api.db.RequestVmRow;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.RequestState;
import dev.vmigrate.request.VmTaskState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.context.annotation.Value;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the ledger in line with Temporal, whose workflows are the truth: an open request whose
 * request workflow has closed (completed, failed, terminated, timed out, cancelled) or that
 * Temporal does not know is finished in the ledger with status {@code reconciled} and the reason;
 * each VM still in play follows its migration workflow (completed, rolled back or failed), stays as
 * it is while that still runs, or is freed (skipped) when none exists. Runs at start, every {@code
 * vmigrate.reconcile.interval}, and at once when an operator's command meets a request workflow
 * that does not run. Every write is conditional (a row moves only from the state read, a request
 * finishes only if still open), so two API processes on one database may run it at once, and so may
 * a late ledger write: whichever comes first stands.
 */
@Singleton
public class RequestReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(RequestReconciler.class);
  static final String STATUS = "reconciled";

  /** migration_request.message holds 4000 characters. */
  private static final int MESSAGE_COLUMN = 4000;

  /** What reconciliation did to one request; empty {@link #corrections()} when nothing. */
  public record Outcome(String requestId, String workflowStatus, List<String> corrections) {
    public boolean corrected() {
      return !corrections.isEmpty();
    }
  }

  private final RequestRepository requests;
  private final RequestVmRepository rows;
  private final WorkflowClient temporal;
  private final long timeoutMillis;
  private final Duration grace;

  public RequestReconciler(
      RequestRepository requests,
      RequestVmRepository rows,
      WorkflowClient temporal,
      @Value("${vmigrate.reconcile.temporal-timeout-millis:5000}") long timeoutMillis,
      @Value("${vmigrate.reconcile.grace:1m}") Duration grace) {
    this.requests = requests;
    this.rows = rows;
    this.temporal = temporal;
    this.timeoutMillis = timeoutMillis;
    this.grace = grace;
  }

  /** Every open request; a Temporal that does not answer stops the round, changing nothing. */
  public List<Outcome> reconcileAll() {
    List<Outcome> out = new ArrayList<>();
    for (RequestRow r : requests.openWithWorkflow()) {
      try {
        reconcile(r).filter(Outcome::corrected).ifPresent(out::add);
      } catch (StatusRuntimeException e) {
        LOG.warn(
            "reconciliation paused: Temporal does not answer ({}); the ledger is unchanged",
            e.getStatus().getCode());
        break;
      }
    }
    return out;
  }

  /**
   * Reconciles one request; empty when its workflow runs (or it is finished, or too new to judge).
   *
   * @throws StatusRuntimeException when Temporal does not answer; nothing was changed
   */
  public Optional<Outcome> reconcile(RequestRow req) {
    if (req.state() == RequestState.FINISHED || req.workflowId() == null) {
      return Optional.empty();
    }
    Optional<WorkflowExecutionInfo> wf = describe(req.workflowId());
    if (wf.isPresent()
        && wf.get().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      return Optional.empty();
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    // A request approved a moment ago may not have started its workflow yet.
    if (wf.isEmpty() && req.updatedAt().plus(grace).isAfter(now)) {
      return Optional.empty();
    }
    String status = wf.map(i -> statusName(i.getStatus())).orElse("not found");
    List<String> corrections = new ArrayList<>();
    for (RequestVmRow r : rows.findByRequestIdOrderByPosition(req.id())) {
      VmTaskState state = VmTaskState.valueOf(r.state());
      if (state.finished()) {
        continue;
      }
      followMigration(req, r, state, now).ifPresent(corrections::add);
    }
    String message =
        "reconciled: request workflow "
            + req.workflowId()
            + " "
            + (wf.isPresent() ? "is " + status + " in Temporal" : "is not known to Temporal")
            + " while the ledger had the request "
            + req.requestState()
            + (corrections.isEmpty() ? "" : "; " + String.join("; ", corrections));
    String shown =
        message.length() > MESSAGE_COLUMN ? message.substring(0, MESSAGE_COLUMN) : message;
    if (requests.finishIfOpen(req.id(), STATUS, shown, now) == 0) {
      // A ledger write or another API process finished it meanwhile; theirs stands.
      return Optional.empty();
    }
    LOG.info("request {} {}", req.id(), message);
    corrections.add(0, "request finished: workflow " + status);
    return Optional.of(new Outcome(req.id(), status, corrections));
  }

  /** One VM's row set to what its migration workflow says, or freed; empty when unchanged. */
  private Optional<String> followMigration(
      RequestRow req, RequestVmRow r, VmTaskState state, Instant now) {
    String id =
        r.migrationId() != null
            ? r.migrationId()
            : MigrationIds.forVm(req.sourceVcenter(), r.instanceUuid());
    // A VM never started has no migration of this request: an older run under the same id is not
    // its own.
    Optional<WorkflowExecutionInfo> m =
        state == VmTaskState.STARTED ? describe(id) : Optional.empty();
    if (m.isPresent()
        && r.deliveredAt() != null
        && toInstant(m.get()).isBefore(r.deliveredAt().minus(Duration.ofMinutes(5)))) {
      m = Optional.empty();
    }
    VmTaskState next;
    String why;
    if (m.isEmpty()) {
      next = VmTaskState.SKIPPED;
      why = "freed: no migration workflow " + id + " (reconciled)";
    } else {
      WorkflowExecutionStatus s = m.get().getStatus();
      if (s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        return Optional.empty();
      }
      next = s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED ? result(id) : null;
      if (next == null) {
        next = VmTaskState.FAILED;
      }
      why =
          "migration workflow "
              + id
              + " is "
              + statusName(s)
              + (s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
                  ? " (" + next.name().toLowerCase(Locale.ROOT) + ")"
                  : "")
              + " (reconciled)";
    }
    if (rows.reconcileState(req.id(), r.vmId(), r.state(), next.name(), why, now) == 0) {
      return Optional.empty();
    }
    return Optional.of(
        r.name()
            + " "
            + r.state().toLowerCase(Locale.ROOT)
            + " -> "
            + next.name().toLowerCase(Locale.ROOT));
  }

  /** The ledger state of a completed migration from its result; null when it cannot be read. */
  private VmTaskState result(String migrationId) {
    try {
      MigrationState s =
          temporal
              .newUntypedWorkflowStub(migrationId)
              .getResult(timeoutMillis, TimeUnit.MILLISECONDS, MigrationResult.class)
              .state();
      return switch (s) {
        case COMPLETED -> VmTaskState.COMPLETED;
        case ROLLED_BACK -> VmTaskState.ROLLED_BACK;
        default -> VmTaskState.FAILED;
      };
    } catch (Exception e) {
      LOG.warn(
          "migration {}: result unreadable ({}); recorded as failed", migrationId, e.toString());
      return null;
    }
  }

  /** The workflow's latest run, empty when Temporal answers NOT_FOUND. */
  private Optional<WorkflowExecutionInfo> describe(String workflowId) {
    WorkflowServiceStubs stubs = temporal.getWorkflowServiceStubs();
    try {
      return Optional.of(
          stubs
              .blockingStub()
              .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(temporal.getOptions().getNamespace())
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                      .build())
              .getWorkflowExecutionInfo());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static Instant toInstant(WorkflowExecutionInfo i) {
    return Instant.ofEpochSecond(i.getStartTime().getSeconds(), i.getStartTime().getNanos());
  }

  static String statusName(WorkflowExecutionStatus s) {
    return s.name().replaceFirst("^WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT);
  }
}

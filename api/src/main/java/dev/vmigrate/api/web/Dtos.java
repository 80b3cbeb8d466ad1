package dev.vmigrate.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.HookFailure;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.PendingAction;
import dev.vmigrate.model.PrecheckFinding;
import dev.vmigrate.model.TargetPowerState;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Request and response bodies of the REST API. */
public final class Dtos {
  private Dtos() {}

  /**
   * A vCenter connection as written by a client. There is deliberately no password field: {@code
   * credentialsRef} points at the secret ("config:KEY" for a configured credential, "file:/path"
   * for a secret file).
   */
  @Introspected
  public record VcenterBody(
      @Nullable @Size(max = Bounds.VCENTER_ID) String id,
      @Nullable @Size(max = Bounds.LOCATION) String url,
      @Nullable @Size(max = Bounds.THUMBPRINT) String thumbprint,
      @Nullable @Size(max = Bounds.LOCATION) String trustStore,
      @Nullable Boolean insecure,
      @Nullable @Size(max = Bounds.LOCATION) String credentialsRef) {}

  /**
   * A vCenter connection as answered; never contains a secret.
   *
   * @param connection whether this deployment's configuration (where the credentials are) has a
   *     connection for the id: "configured", "configured for another endpoint: URL", "not
   *     configured: ..." or "unknown: ..." in a process without vSphere access
   */
  @Introspected
  public record VcenterView(
      String id,
      String url,
      String thumbprint,
      String trustStore,
      boolean insecure,
      String credentialsRef,
      String connection,
      Instant createdAt,
      Instant updatedAt) {}

  /** An infrastructure mapping as written by a client. */
  @Introspected
  public record MappingBody(
      @Nullable @Size(max = Bounds.NAME) String name,
      @Nullable @Size(max = Bounds.VCENTER_ID) String sourceVcenter,
      @Nullable @Size(max = Bounds.VCENTER_ID) String destinationVcenter,
      @Nullable @Size(max = Bounds.CLUSTERS) List<@Valid ClusterBody> clusters,
      @Nullable @Size(max = Bounds.MAPPING_ENTRIES)
          Map<@Size(max = Bounds.NAME) String, @Size(max = Bounds.NAME) String> datastores,
      @Nullable @Size(max = Bounds.MAPPING_ENTRIES)
          Map<@Size(max = Bounds.NAME) String, @Size(max = Bounds.NAME) String> networks) {}

  /**
   * One cluster entry of a mapping as written by a client (see {@link ClusterMapping}).
   *
   * @param source source cluster name
   * @param destination destination cluster name
   * @param resourcePool destination resource pool name; absent: the cluster's root pool
   * @param folder destination VM folder name; absent: the VM keeps its folder (same vCenter) or the
   *     datacenter's VM folder (other vCenter)
   */
  @Introspected
  public record ClusterBody(
      @Nullable @Size(max = Bounds.NAME) String source,
      @Nullable @Size(max = Bounds.NAME) String destination,
      @Nullable @Size(max = Bounds.NAME) String resourcePool,
      @Nullable @Size(max = Bounds.NAME) String folder) {

    public ClusterMapping toModel() {
      return new ClusterMapping(source, destination, resourcePool, folder);
    }
  }

  /** An infrastructure mapping as answered. */
  @Introspected
  public record MappingView(
      String id,
      String name,
      String sourceVcenter,
      String destinationVcenter,
      List<ClusterMapping> clusters,
      Map<String, String> datastores,
      Map<String, String> networks,
      Instant createdAt,
      Instant updatedAt) {}

  /**
   * A VM named by its instance UUID, managed object id, BIOS (SMBIOS) UUID or name; the first one
   * given in that order is used to find it.
   */
  @Introspected
  public record VmRef(
      @Nullable @Size(max = Bounds.NAME) String name,
      @Nullable @Size(max = Bounds.VM_KEY) String moref,
      @Nullable @Size(max = Bounds.VM_KEY) String instanceUuid,
      @Nullable @Size(max = Bounds.VM_KEY) String biosUuid,
      @Nullable Boolean remigrate) {

    /** A VM that is skipped when it was already migrated. */
    public VmRef(String name, String moref, String instanceUuid, String biosUuid) {
      this(name, moref, instanceUuid, biosUuid, null);
    }
  }

  /**
   * Plan options.
   *
   * @param migrationType auto, hot, cold, or network (NICs only, the VM stays where it is)
   * @param failurePolicy hold or rollback
   * @param verify stop in VERIFYING until confirmed
   * @param autoConfirmAfter ISO-8601 duration after which VERIFYING confirms itself
   * @param targetPowerState same, on or off
   * @param preMigrationHooks webhook URLs called before each VM moves
   * @param postMigrationHooks webhook URLs called by each VM's migration workflow once the VM is
   *     migrated, retried, with an idempotency key
   * @param concurrencyLimit the plan's own concurrency limit (0 = none)
   * @param windowStart start of the time window the plan may run in
   * @param windowEnd end of that window; VMs that cannot finish before it are deferred
   * @param remigrate order VMs again that were already migrated (default: skip them)
   * @param postRollbackHooks webhook URLs called by each VM's migration workflow once its rollback
   *     has finished, retried, with an idempotency key
   * @param hookFailure hold (default) or ignore: what a post hook that still fails after its
   *     retries does
   * @param admissionPolicy vmigrate (default: vCenter's cost model, the bottleneck's work first,
   *     with backfilling) or fifo (a baseline to compare against: the plan's VMs in order, at most
   *     fifoThrottle at once, the first waiting VM holding back every VM behind it)
   * @param fifoThrottle how many VMs the fifo policy migrates at once, 1 to 1000; required with
   *     admissionPolicy fifo and refused otherwise
   * @param hookAuth the credentials the worker sends every hook of the plan, by reference: the name
   *     of a secret in the worker's configuration, never the secret itself
   */
  @Introspected
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PlanOptions(
      @Nullable MigrationType migrationType,
      @Nullable FailurePolicy failurePolicy,
      @Nullable Boolean verify,
      @Nullable @Schema(type = "string", format = "duration", example = "PT1H")
          Duration autoConfirmAfter,
      @Nullable TargetPowerState targetPowerState,
      @Nullable @Size(max = Bounds.HOOKS)
          List<@Size(max = Bounds.HOOK_URL) String> preMigrationHooks,
      @Nullable @Size(max = Bounds.HOOKS)
          List<@Size(max = Bounds.HOOK_URL) String> postMigrationHooks,
      @Nullable @Min(0) @Max(Bounds.CONCURRENCY) Integer concurrencyLimit,
      @Nullable Instant windowStart,
      @Nullable Instant windowEnd,
      @Nullable Boolean remigrate,
      @Nullable @Size(max = Bounds.HOOKS)
          List<@Size(max = Bounds.HOOK_URL) String> postRollbackHooks,
      @Nullable HookFailure hookFailure,
      @Nullable @Size(max = Bounds.WORD) String admissionPolicy,
      @Nullable @Min(1) @Max(Bounds.FIFO_THROTTLE) Integer fifoThrottle,
      @Nullable @Valid HookAuth hookAuth) {

    public static PlanOptions empty() {
      return new PlanOptions(
          null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
          null);
    }
  }

  /**
   * A hook's credentials by reference.
   *
   * @param secret the name of the secret in the worker's configuration ({@code
   *     vmigrate.hooks.secrets.NAME.token-file}, or {@code .username} and {@code .password-file}):
   *     1 to 64 letters, digits, '-' and '_'
   */
  @Introspected
  public record HookAuth(
      @NotNull @Size(min = 1, max = 64) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
          String secret) {}

  /**
   * A plan as written by a client.
   *
   * @param mapping the mapping's id or name
   * @param approvalPolicy "auto" (default) or "manual"
   */
  @Introspected
  public record PlanBody(
      @Nullable @Size(max = Bounds.NAME) String name,
      @Nullable @Size(max = Bounds.NAME) String mapping,
      @Nullable @Size(max = Bounds.WORD) String approvalPolicy,
      @Nullable @Valid PlanOptions options,
      @Nullable @Size(max = Bounds.PLAN_VMS) List<@Valid VmRef> vms) {}

  /**
   * One VM of a plan with its status from the plan's latest request that included it.
   *
   * @param status planned, approved, started, completed, failed, rolled_back or skipped
   */
  @Introspected
  public record PlanVmView(
      String vmId,
      String instanceUuid,
      String name,
      String status,
      String requestId,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Boolean remigrate) {}

  /**
   * A plan as answered.
   *
   * @param archivedAt when the plan was deleted after it had been ordered and kept, archived, for
   *     its requests; absent while it is live
   */
  @Introspected
  public record PlanView(
      String id,
      String name,
      String mappingId,
      String approvalPolicy,
      PlanOptions options,
      List<PlanVmView> vms,
      Instant createdAt,
      Instant updatedAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant archivedAt) {}

  /**
   * A plan in a list, without its VMs.
   *
   * @param archivedAt when it was archived; absent while it is live
   */
  @Introspected
  public record PlanSummary(
      String id,
      String name,
      String mappingId,
      String approvalPolicy,
      int vmCount,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant archivedAt) {}

  /**
   * The answer to an import. From an RVTools workbook it also says what the vDisk and vNetwork
   * sheets list for the imported VMs (left out for other files and for missing sheets).
   */
  @Introspected
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ImportResult(
      int imported,
      int total,
      @Nullable List<String> networks,
      @Nullable Integer disks,
      @Nullable Long diskCapacityMib) {
    public ImportResult(int imported, int total) {
      this(imported, total, null, null, null);
    }
  }

  /** The answer to an order: 202 Accepted. */
  @Introspected
  public record OrderAccepted(String requestId, String approvalState, String location) {}

  /**
   * The optional body of an order.
   *
   * @param allowConcurrent order although the plan has an open request (default false: such an
   *     order is refused with 409 naming the open request)
   */
  @Introspected
  public record OrderBody(@Nullable Boolean allowConcurrent) {}

  /** The body of a deny. */
  @Introspected
  public record DenyBody(@Nullable @Size(max = Bounds.REASON) String reason) {}

  /** ManageIQ-style progress of one VM. */
  @Introspected
  public record TaskProgress(
      @JsonProperty("vm_migrate") int vmMigrate, @JsonProperty("disk_migrate") int diskMigrate) {}

  /**
   * One VM of a request.
   *
   * @param state planned, approved, started, completed, failed, rolled_back or skipped
   * @param proposal what the approval policy proposes: approve or skip
   * @param reason why the policy proposes to skip
   * @param migrationState the live lifecycle state from the migration workflow, when reachable
   * @param live what the migration workflow and Temporal say of the started VM now, when reachable
   *     within the status query timeout
   * @param liveUnavailable set when a started VM's live state could not be read: the migration
   *     state and progress shown are then the ledger's last record, not the present
   */
  @Introspected
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TaskView(
      String vmId,
      String name,
      String instanceUuid,
      String state,
      String proposal,
      String reason,
      String migrationId,
      String migrationState,
      String message,
      TaskProgress progress,
      @JsonProperty("delivered_on") Instant deliveredOn,
      @JsonProperty("updated_on") Instant updatedOn,
      @Nullable LiveView live,
      @Nullable LiveUnavailable liveUnavailable) {}

  /**
   * Why a started VM's live state could not be read, and since when it is known to be stale.
   *
   * @param reason no worker polls the migration task queue, Temporal is unreachable, or the status
   *     query did not answer within the timeout
   * @param since the last time a worker polled the task queue, else the ledger's last record of the
   *     VM
   */
  @Introspected
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LiveUnavailable(String reason, @Nullable Instant since) {}

  /**
   * What the Temporal UI's current details show of a started VM's migration, read from its status
   * query and its pending activity.
   *
   * @param state the lifecycle state
   * @param currentAction the action running or, when paused or held, the one at the head of the
   *     queue
   * @param pendingAction the attempt, last failure and next attempt of the action Temporal runs or
   *     retries; absent when none is pending
   * @param lastError the last error the workflow recorded, which held it
   * @param findings precheck findings: the blocking ones that hold it, and the warnings
   * @param held why nothing happens to the VM until an operator acts; absent while it progresses
   * @param nextCommands the exact commands an operator can run next
   * @param destination the host SelectDestination chose, by name and id; absent before it ran
   * @param placement why that host: its score, what it already has, the hosts filtered out
   */
  @Introspected
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record LiveView(
      String state,
      @Nullable String currentAction,
      @Nullable PendingAction pendingAction,
      @Nullable String lastError,
      List<PrecheckFinding> findings,
      @Nullable String held,
      List<String> nextCommands,
      @Nullable String destination,
      @Nullable String placement) {}

  /** A request with its per-VM tasks. */
  @Introspected
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RequestView(
      String id,
      String planId,
      String planName,
      @JsonProperty("approval_state") String approvalState,
      @JsonProperty("request_state") String requestState,
      String status,
      String message,
      String workflowId,
      Map<String, Integer> counts,
      List<TaskView> tasks,
      Instant createdAt,
      Instant updatedAt) {}

  /**
   * The answer to an operator action: the workflow it went to, the action, and for a VM's migration
   * the workflow's own answer (what it will do); null for a request's signals.
   */
  @Introspected
  public record SignalSent(String migrationId, String signal, String answer) {
    public SignalSent(String migrationId, String signal) {
      this(migrationId, signal, null);
    }
  }

  /** The body of a close: why the operator closes the request. */
  @Introspected
  public record CloseBody(@Nullable @Size(max = Bounds.REASON) String reason) {}

  /**
   * What a close found of one VM that was still in play in vCenter and Temporal, and what it
   * recorded in the VM's ledger row. Close only reads vCenter: nothing here was changed there.
   *
   * @param previousState the ledger row's state before the close: planned, approved or started
   * @param state the ledger row's state after the close: failed
   * @param registered whether a vCenter (the source, else the destination) has a VM with this
   *     instance UUID
   * @param vcenter the vCenter it is registered in
   * @param host the name of the host it is on
   * @param powerState "powered on", "powered off" or "suspended"
   * @param lockedBy the migration id in the VM's lock attribute, when vmigrate's lock is set
   * @param originVcenter the vCenter of the origin recorded on the VM, when one is recorded
   * @param originHost the name of the host of that origin
   * @param atOrigin whether the VM is on the vCenter, host and datastore of its recorded origin;
   *     absent when no origin is recorded or the VM is not registered
   * @param migrationId the id of the VM's own migration workflow
   * @param migrationWorkflow what Temporal knows of that workflow: "not found" or its status
   *     ("running", "completed", "failed", "canceled", "terminated", "timed_out", ...)
   * @param message what the close recorded in the ledger row
   * @param action what the operator has to do by hand, because vmigrate cannot finish this VM;
   *     absent when nothing is left to do
   */
  @Introspected
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record VmFinding(
      String vmId,
      String name,
      String instanceUuid,
      String previousState,
      String state,
      boolean registered,
      @Nullable String vcenter,
      @Nullable String host,
      @Nullable String powerState,
      @Nullable String lockedBy,
      @Nullable String originVcenter,
      @Nullable String originHost,
      @Nullable Boolean atOrigin,
      String migrationId,
      String migrationWorkflow,
      String message,
      @Nullable String action) {}

  /**
   * The answer to a close; a second close of the same request answers the same.
   *
   * @param requestState always finished
   * @param status always closed
   * @param reason the operator's reason, if given
   * @param vms the VMs that were still in play, with what was found of each
   */
  @Introspected
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CloseResult(
      String requestId,
      String workflowId,
      @JsonProperty("request_state") String requestState,
      String status,
      @Nullable String reason,
      String message,
      Instant closedAt,
      List<VmFinding> vms) {}
}

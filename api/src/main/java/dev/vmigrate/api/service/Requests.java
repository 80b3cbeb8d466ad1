package dev.vmigrate.api.service;

import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.api.db.OrderKeyRepository;
import dev.vmigrate.api.db.OrderKeyRow;
import dev.vmigrate.api.db.PlanRow;
import dev.vmigrate.api.db.RequestRepository;
import dev.vmigrate.api.db.RequestRow;
import dev.vmigrate.api.db.RequestVmRepository;
import dev.vmigrate.api.db.RequestVmRow;
import dev.vmigrate.api.web.Dtos.PlanOptions;
import dev.vmigrate.api.web.Dtos.RequestView;
import dev.vmigrate.api.web.Dtos.SignalSent;
import dev.vmigrate.api.web.Dtos.TaskView;
import dev.vmigrate.model.ApprovalState;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationSearchAttributes;
import dev.vmigrate.model.RequestState;
import dev.vmigrate.model.TemporalEndpoint;
import dev.vmigrate.request.PlanRequestWorkflow;
import dev.vmigrate.request.RequestInput;
import dev.vmigrate.request.VmTaskState;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orders, approval and execution of plans. Ordering validates everything first (nothing is stored
 * or started on bad input), then stores the request with the policy's proposal per VM; approval
 * (automatic or manual) writes the approved VMs into the ledger and starts the request workflow.
 */
@Singleton
public class Requests {
  private static final Logger LOG = LoggerFactory.getLogger(Requests.class);
  private static final Set<String> SIGNALS = Set.of("pause", "resume", "rollback", "confirm");

  /**
   * Whether vmigrate's search attributes are registered on the namespace, so runs can carry them.
   */
  private final boolean searchAttributes;

  private final PlanCatalog plans;
  private final MappingCatalog mappings;
  private final OrderProposals proposals;
  private final RequestRepository requests;
  private final RequestVmRepository rows;
  private final WorkflowClient temporal;
  private final Webhooks webhooks;
  private final long bandwidth;
  private final LiveMigrations live;
  private final OrderKeyRepository orderKeys;
  private final long queryTimeoutMillis;
  private final RequestReconciler reconciler;

  public Requests(
      PlanCatalog plans,
      MappingCatalog mappings,
      OrderProposals proposals,
      RequestRepository requests,
      RequestVmRepository rows,
      WorkflowClient temporal,
      Webhooks webhooks,
      OrderKeyRepository orderKeys,
      RequestReconciler reconciler,
      @Value("${vmigrate.approval.bandwidth-bytes-per-second:125000000}") long bandwidth,
      @Value("${vmigrate.status.query-timeout-millis:2000}") long queryTimeoutMillis,
      @Value("${vmigrate.temporal.search-attributes:false}") boolean searchAttributes) {
    this.searchAttributes = searchAttributes;
    this.plans = plans;
    this.mappings = mappings;
    this.proposals = proposals;
    this.requests = requests;
    this.rows = rows;
    this.temporal = temporal;
    this.webhooks = webhooks;
    this.bandwidth = bandwidth;
    this.live = new LiveMigrations(temporal, queryTimeoutMillis);
    this.orderKeys = orderKeys;
    this.queryTimeoutMillis = queryTimeoutMillis;
    this.reconciler = reconciler;
  }

  /** The longest Idempotency-Key an order may carry (the {@code order_key} column). */
  public static final int MAX_IDEMPOTENCY_KEY = 255;

  /**
   * How a plan is ordered.
   *
   * @param allowConcurrent order although the plan has an open (not finished) request; without it
   *     such an order is refused naming the open request
   * @param idempotencyKey the client's key for this order, or null: an order with a key that an
   *     earlier order of the plan carried answers that order's request and creates nothing
   */
  public record OrderOptions(boolean allowConcurrent, @Nullable String idempotencyKey) {
    /** One open request per plan, no key. */
    public static final OrderOptions DEFAULT = new OrderOptions(false, null);
  }

  /**
   * What an order answers.
   *
   * @param request the request the order created, or the one an earlier order with the same key
   *     created
   * @param replayed whether an earlier order with the same key created it (nothing was created now)
   */
  public record Ordered(RequestRow request, boolean replayed) {}

  /**
   * Orders a plan with one open request per plan and no key; see {@link #order(String,
   * OrderOptions)}.
   */
  public RequestRow order(String planIdOrName) {
    return order(planIdOrName, OrderOptions.DEFAULT).request();
  }

  /**
   * Orders a plan: validates, stores the request with proposals, approves it when automatic. The
   * database decides the races: of concurrent orders of one plan only one gets its open-request
   * slot (unless they allow concurrent requests), and of concurrent orders with one key only one
   * stores it; the others answer the winner's request (same key) or 409 naming it.
   */
  public Ordered order(String planIdOrName, OrderOptions options) {
    String key = idempotencyKey(options.idempotencyKey());
    PlanRow plan = plans.planRow(planIdOrName, "id");
    if (key != null) {
      Optional<RequestRow> earlier = ordered(key, plan);
      if (earlier.isPresent()) {
        return new Ordered(earlier.get(), true);
      }
    }
    if (!options.allowConcurrent()) {
      // A finished request's slot is released in its own transaction, before the order claims it.
      requests.releaseFinishedSlot(plan.id());
    }
    RequestRow created;
    try {
      created = createRequest(plan.id(), options.allowConcurrent(), key);
    } catch (RuntimeException e) {
      // A racing order with the same key may have won: its request is the answer.
      Optional<RequestRow> earlier = key == null ? Optional.empty() : ordered(key, plan);
      if (earlier.isPresent()) {
        return new Ordered(earlier.get(), true);
      }
      if (DatabaseErrors.UNIQUE_VIOLATION.equals(DatabaseErrors.sqlState(e))) {
        LOG.info("plan {}: a concurrent order stored its request first", plan.id());
        throw openRequest(plan, requests.slotHolder(plan.id()));
      }
      throw e;
    }
    webhooks.publish("request.created", event(created), List.of());
    if (plan.approvalPolicy().equals("auto")) {
      return new Ordered(approve(created.id()), false);
    }
    return new Ordered(created, false);
  }

  /** The key as stored, or null for none; refused when blank, too long or not printable ASCII. */
  private static String idempotencyKey(@Nullable String key) {
    if (key == null) {
      return null;
    }
    String field = "Idempotency-Key";
    Columns.requireFits(field, key, MAX_IDEMPOTENCY_KEY);
    if (key.isBlank() || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new ServiceException.Invalid(
          field, field + ": must be 1 to " + MAX_IDEMPOTENCY_KEY + " printable ASCII characters");
    }
    return key;
  }

  /**
   * The request an earlier order with this key created; Conflict when the key ordered another plan.
   */
  private Optional<RequestRow> ordered(String key, PlanRow plan) {
    Optional<OrderKeyRow> row = orderKeys.findById(key);
    if (row.isEmpty()) {
      return Optional.empty();
    }
    if (!row.get().planId().equals(plan.id())) {
      throw new ServiceException.Conflict(
          "Idempotency-Key",
          "Idempotency-Key: '"
              + key
              + "' was used for request "
              + row.get().requestId()
              + " of another plan; use a new key for each order");
    }
    return requests.findById(row.get().requestId());
  }

  /** The refusal of an order while the plan has an open request. */
  private static ServiceException openRequest(PlanRow plan, List<RequestRow> open) {
    String which =
        open.isEmpty()
            ? "an open request"
            : "open request " + open.get(0).id() + " (" + open.get(0).requestState() + ")";
    return new ServiceException.Conflict(
        "id",
        "id: plan '"
            + plan.name()
            + "' has "
            + which
            + "; wait for it to finish (or deny or cancel it), or order with allowConcurrent");
  }

  /**
   * Stores a request of the plan with the policy's proposal for each VM, after checking that every
   * VM can be ordered: none is in another open request, each still exists and the mapping covers
   * what it uses. VMs an earlier request (or another vmigrate) already migrated are skipped, unless
   * the plan's {@code remigrate} option or the VM's own flag orders them again.
   */
  @Transactional
  public RequestRow createRequest(String planIdOrName) {
    return createRequest(planIdOrName, true, null);
  }

  /**
   * {@link #createRequest(String)}, refused while the plan has an open request unless {@code
   * allowConcurrent}, and storing the order's idempotency key (if any) with the request.
   */
  @Transactional
  public RequestRow createRequest(
      String planIdOrName, boolean allowConcurrent, @Nullable String idempotencyKey) {
    PlanRow plan = plans.planRow(planIdOrName, "id");
    OrderProposals.requireLive(plan);
    if (!allowConcurrent) {
      List<RequestRow> open = requests.openOfPlan(plan.id());
      if (!open.isEmpty()) {
        throw openRequest(plan, open);
      }
    }
    OrderProposals.Proposed proposed = proposals.propose(proposals.setup(plan));
    RequestRow req = store(proposed);
    if (!allowConcurrent) {
      // The unique index on the slot refuses a racing order's claim (after this one commits).
      requests.claimOpenSlot(req.id(), plan.id());
    }
    if (idempotencyKey != null) {
      orderKeys.save(new OrderKeyRow(idempotencyKey, plan.id(), req.id(), req.createdAt()));
    }
    return req;
  }

  /** Stores the request and one ledger row per VM of the plan, in the plan's order. */
  private RequestRow store(OrderProposals.Proposed proposed) {
    PlanRow plan = proposed.setup().plan();
    Instant now = Instant.now();
    RequestRow req =
        RequestRow.ordered(
            UUID.randomUUID().toString(),
            plan.id(),
            plan.name(),
            proposed.setup().mapping().sourceVcenter(),
            now);
    requests.save(req);
    rows.saveAll(OrderProposals.ledgerRows(proposed, req.id(), now));
    return req;
  }

  /** Applies the proposals, stores the approved VMs in ledger order, starts the workflow. */
  public RequestRow approve(String requestId) {
    RequestRow req = applyApproval(requestId);
    webhooks.publish("request.approved", event(req), List.of());
    if (req.approvedVms() == 0) {
      requests.updateState(
          req.id(), RequestState.FINISHED, "Warn", "no VM was approved", Instant.now());
      RequestRow fin = request(req.id());
      webhooks.publish("request.finished", event(fin), List.of());
      return fin;
    }
    PlanRow plan = plans.planRow(req.planId(), "id");
    InfrastructureMapping m = mappings.mapping(mappings.mappingRow(plan.mappingId(), "mapping"));
    PlanOptions o = plans.options(plan);
    startWorkflow(req, plan, m, o);
    String msg =
        o.windowStart() != null && o.windowStart().isAfter(Instant.now())
            ? "waits for its window, starts at " + o.windowStart()
            : "running " + req.approvedVms() + " VMs";
    // The workflow may have recorded active, paused or even finished already: keep its word.
    requests.activateIfPending(req.id(), "Ok", msg, Instant.now());
    RequestRow started = request(req.id());
    webhooks.publish("request.started", event(started), List.of());
    return started;
  }

  /**
   * The Temporal frontend and namespace this API talks to, which the commands in the migrations'
   * details name; the address is null for an in-process test server, which no CLI can reach.
   */
  private TemporalEndpoint endpoint() {
    String target = temporal.getWorkflowServiceStubs().getOptions().getTarget();
    return TemporalEndpoint.ofTarget(target, temporal.getOptions().getNamespace());
  }

  /**
   * Starts the request workflow, which waits on a durable timer until the plan's time window opens
   * (a running workflow answers cancel and pause meanwhile, which a start delay would not); when
   * Temporal refuses, the request finishes with an error and the caller gets Unavailable.
   */
  private void startWorkflow(RequestRow req, PlanRow plan, InfrastructureMapping m, PlanOptions o) {
    RequestInput input =
        new RequestInput(
            req.id(),
            plan.name(),
            m,
            migrationOptions(o),
            limits(o),
            req.approvedVms(),
            null,
            o.windowStart(),
            endpoint());
    String workflowId = "request-" + req.id();
    try {
      WorkflowOptions.Builder wo =
          WorkflowOptions.newBuilder()
              .setWorkflowId(workflowId)
              .setTaskQueue(MigrationIds.taskQueue(m.sourceVcenter()))
              .setStaticSummary(
                  "Plan "
                      + plan.name()
                      + ", request "
                      + req.id()
                      + ": "
                      + req.approvedVms()
                      + " VMs");
      if (searchAttributes) {
        wo.setTypedSearchAttributes(MigrationSearchAttributes.forRequest(plan.name(), req.id()));
      }
      PlanRequestWorkflow wf = temporal.newWorkflowStub(PlanRequestWorkflow.class, wo.build());
      WorkflowClient.start(wf::run, input);
    } catch (RuntimeException e) {
      LOG.error("request {}: cannot start workflow {}", req.id(), workflowId, e);
      requests.updateState(
          req.id(),
          RequestState.FINISHED,
          "Error",
          "could not start the request workflow: " + e.getMessage(),
          Instant.now());
      throw new ServiceException.Unavailable(
          "temporal", "temporal: could not start the request workflow: " + e.getMessage());
    }
  }

  static MigrationOptions migrationOptions(PlanOptions o) {
    return new MigrationOptions(
        o.migrationType(),
        o.failurePolicy(),
        Boolean.TRUE.equals(o.verify()),
        o.autoConfirmAfter(),
        o.targetPowerState(),
        o.preMigrationHooks(),
        List.of(),
        null,
        // Called durably by each VM's migration workflow, no longer by the ledger.
        o.postMigrationHooks(),
        o.postRollbackHooks(),
        o.hookFailure(),
        // Only the secret's name: the worker reads the secret from its own configuration.
        o.hookAuth() == null ? null : o.hookAuth().secret());
  }

  /**
   * vSphere's default limits with the plan's own concurrency limit, the configured bandwidth and
   * the plan's admission policy (vmigrate's unless the plan asks for the fifo baseline).
   */
  AdmissionLimits limits(PlanOptions o) {
    AdmissionLimits base =
        AdmissionLimits.vsphereDefaults(o.concurrencyLimit() == null ? 0 : o.concurrencyLimit());
    boolean fifo = AdmissionLimits.FIFO.equals(o.admissionPolicy());
    return new AdmissionLimits(
        base.hostLimit(),
        base.network10gLimit(),
        base.network1gLimit(),
        base.datastoreLimit(),
        base.vcenterLimit(),
        base.planLimit(),
        bandwidth,
        fifo ? AdmissionLimits.FIFO : AdmissionLimits.VMIGRATE,
        fifo ? o.fifoThrottle() : 0);
  }

  @Transactional
  public RequestRow applyApproval(String requestId) {
    RequestRow req = request(requestId);
    Instant now = Instant.now();
    if (requests.claimApproval(requestId, ApprovalState.APPROVED, now) == 0) {
      throw new ServiceException.Conflict(
          "approval_state",
          "approval_state: request "
              + requestId
              + " is already "
              + request(requestId).approvalState());
    }
    int approved = 0;
    for (RequestVmRow r : rows.findByRequestIdOrderByPosition(requestId)) {
      if (!r.state().equals(VmTaskState.PLANNED.name())) {
        continue;
      }
      if (r.proposal().equals("approve")) {
        rows.decide(r.id(), VmTaskState.APPROVED.name(), "approve", null, approved++, now);
      } else {
        rows.decide(r.id(), VmTaskState.SKIPPED.name(), "skip", r.reason(), null, now);
        rows.recordState(
            requestId,
            r.vmId(),
            VmTaskState.SKIPPED.name(),
            null,
            "skipped: " + r.reason(),
            0,
            0,
            null,
            now);
      }
    }
    RequestRow updated =
        req.approved(
            approved,
            approved > 0 ? "request-" + req.id() : null,
            "approved " + approved + " VMs",
            now);
    requests.update(updated);
    return updated;
  }

  /** Denies a pending request: nothing runs. */
  @Transactional
  public RequestRow deny(String requestId, String reason) {
    Columns.requireFits("reason", reason, Columns.REASON);
    RequestRow req = request(requestId);
    Instant now = Instant.now();
    if (requests.claimApproval(requestId, ApprovalState.DENIED, now) == 0) {
      throw new ServiceException.Conflict(
          "approval_state",
          "approval_state: request "
              + requestId
              + " is already "
              + request(requestId).approvalState());
    }
    String why = reason == null || reason.isBlank() ? "denied" : "denied: " + reason;
    for (RequestVmRow r : rows.findByRequestIdOrderByPosition(requestId)) {
      if (r.state().equals(VmTaskState.PLANNED.name())) {
        rows.decide(r.id(), VmTaskState.SKIPPED.name(), r.proposal(), r.reason(), null, now);
        rows.recordState(
            requestId, r.vmId(), VmTaskState.SKIPPED.name(), null, why, 0, 0, null, now);
      }
    }
    RequestRow denied = req.denied(why, now);
    requests.update(denied);
    webhooks.publish("request.denied", event(denied), List.of());
    return denied;
  }

  public RequestRow request(String id) {
    return requests
        .findById(id)
        .orElseThrow(() -> new ServiceException.NotFound("id", "id: no request '" + id + "'"));
  }

  public List<RequestView> list(String planIdOrName) {
    List<RequestRow> list =
        planIdOrName == null
            ? requests.listOrderByCreatedAtDesc()
            : requests.findByPlanIdOrderByCreatedAtDesc(plans.planRow(planIdOrName, "plan").id());
    return list.stream().map(r -> view(r, false)).toList();
  }

  /**
   * A request with its tasks; started VMs show live progress from their workflow when reachable.
   */
  public RequestView view(RequestRow r, boolean withTasks) {
    List<RequestVmRow> vms = rows.findByRequestIdOrderByPosition(r.id());
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (VmTaskState s : VmTaskState.values()) {
      counts.put(s.name().toLowerCase(Locale.ROOT), 0);
    }
    vms.forEach(v -> counts.merge(v.state().toLowerCase(Locale.ROOT), 1, Integer::sum));
    List<TaskView> tasks = null;
    if (withTasks) {
      tasks = live.tasks(r.id(), r.sourceVcenter(), vms, autoConfirms(r));
    }
    return new RequestView(
        r.id(),
        r.planId(),
        r.planName(),
        r.approvalState(),
        r.requestState(),
        r.status(),
        r.message(),
        r.workflowId(),
        counts,
        tasks,
        r.createdAt(),
        r.updatedAt());
  }

  /** Whether the request's plan confirms a verified VM by itself after a window. */
  private boolean autoConfirms(RequestRow r) {
    try {
      return plans.options(plans.planRow(r.planId(), "id")).autoConfirmAfter() != null;
    } catch (ServiceException.NotFound gone) {
      return false;
    }
  }

  /**
   * Sends pause, resume or cancel to the request workflow; 409 unless the request is active or
   * paused. The workflow records paused and active in the ledger itself when it acts on the signal.
   */
  public String steer(String requestId, String action) {
    RequestRow req = request(requestId);
    boolean running = req.state() == RequestState.ACTIVE || req.state() == RequestState.PAUSED;
    if (!running || req.workflowId() == null) {
      throw new ServiceException.Conflict(
          "request_state",
          "request_state: request "
              + requestId
              + " is "
              + req.requestState()
              + ", not active or paused");
    }
    String refused =
        LiveMigrations.requestRefusal(requestId, live.requestState(req.workflowId()), action);
    if (refused != null) {
      // As for a VM's signal: a 202 for a signal the workflow ignores would be a promise not kept.
      throw new ServiceException.Conflict("signal", refused);
    }
    try {
      temporal.newUntypedWorkflowStub(req.workflowId()).signal(action);
    } catch (WorkflowNotFoundException e) {
      // Temporal says the workflow does not run: bring the ledger in line now, not in a minute.
      String reconciled = "";
      try {
        reconciled =
            reconciler
                .reconcile(req)
                .map(
                    o ->
                        "; the ledger was reconciled: request finished (workflow "
                            + o.workflowStatus()
                            + ")")
                .orElse("");
      } catch (RuntimeException unreachable) {
        // Temporal went away between the two calls; the periodic reconciliation catches up.
      }
      throw new ServiceException.Conflict(
          "request_state",
          "request_state: workflow " + req.workflowId() + " is not running" + reconciled);
    }
    return req.workflowId();
  }

  /**
   * The ledger row of the request's VM named by {@code ref}: its managed object id, else its
   * instance UUID (any case), else its name. NotFound naming the reference when none matches;
   * Conflict listing the candidates when the name is shared by several VMs of the request.
   */
  public RequestVmRow vmOf(String requestId, String ref) {
    List<RequestVmRow> all = rows.findByRequestIdOrderByPosition(requestId);
    Optional<RequestVmRow> exact =
        all.stream()
            .filter(r -> r.vmId().equals(ref))
            .findFirst()
            .or(() -> all.stream().filter(r -> r.instanceUuid().equalsIgnoreCase(ref)).findFirst());
    if (exact.isPresent()) {
      return exact.get();
    }
    List<RequestVmRow> named = all.stream().filter(r -> r.name().equals(ref)).toList();
    if (named.isEmpty()) {
      throw new ServiceException.NotFound(
          "vmId",
          "vmId: request "
              + requestId
              + " has no VM '"
              + ref
              + "' (by managed object id, instance UUID or name)");
    }
    if (named.size() > 1) {
      throw new ServiceException.Conflict(
          "vmId",
          "vmId: "
              + named.size()
              + " VMs of request "
              + requestId
              + " are named '"
              + ref
              + "': "
              + String.join(
                  ", ",
                  named.stream()
                      .map(r -> r.vmId() + " (instance UUID " + r.instanceUuid() + ")")
                      .toList())
              + "; name one by its managed object id or instance UUID");
    }
    return named.get(0);
  }

  /**
   * Sends pause, resume, rollback or confirm to one VM's migration workflow; the VM is named by its
   * managed object id, instance UUID or name ({@link #vmOf}).
   */
  public SignalSent signal(String requestId, String vmRef, String signal) {
    if (!SIGNALS.contains(signal)) {
      throw new ServiceException.NotFound(
          "signal", "signal: '" + signal + "' is not one of pause, resume, rollback, confirm");
    }
    RequestRow req = request(requestId);
    RequestVmRow row = vmOf(requestId, vmRef);
    String migrationId =
        row.migrationId() != null
            ? row.migrationId()
            : MigrationIds.forVm(req.sourceVcenter(), row.instanceUuid());
    if (!row.state().equals(VmTaskState.STARTED.name())) {
      throw new ServiceException.Conflict(
          "vmId",
          "vmId: VM '"
              + row.name()
              + "' is "
              + row.state().toLowerCase(Locale.ROOT)
              + ", not started");
    }
    // An Update, so that one the migration's state does not take is refused with its reason
    // rather than accepted and ignored.
    return new SignalSent(migrationId, signal, live.operate(migrationId, row.name(), signal));
  }

  static Map<String, Object> event(RequestRow r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requestId", r.id());
    m.put("planId", r.planId());
    m.put("planName", r.planName());
    m.put("approvalState", r.approvalState());
    m.put("requestState", r.requestState());
    m.put("status", r.status());
    m.put("message", r.message());
    return m;
  }
}

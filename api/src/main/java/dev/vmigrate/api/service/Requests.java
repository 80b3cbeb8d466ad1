package dev.vmigrate.api.service;

import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.api.db.MappingRow;
import dev.vmigrate.api.db.PlanRow;
import dev.vmigrate.api.db.PlanVmRepository;
import dev.vmigrate.api.db.PlanVmRow;
import dev.vmigrate.api.db.RequestRepository;
import dev.vmigrate.api.db.RequestRow;
import dev.vmigrate.api.db.RequestVmRepository;
import dev.vmigrate.api.db.RequestVmRow;
import dev.vmigrate.api.web.ApiException;
import dev.vmigrate.api.web.Dtos.PlanOptions;
import dev.vmigrate.api.web.Dtos.RequestView;
import dev.vmigrate.api.web.Dtos.TaskProgress;
import dev.vmigrate.api.web.Dtos.TaskView;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationSearchAttributes;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.request.PlanRequestWorkflow;
import dev.vmigrate.request.RequestInput;
import dev.vmigrate.request.VmTaskState;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.VmInfo;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.annotation.Transactional;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

  private final Catalog catalog;
  private final Inventories inventories;
  private final PlanVmRepository planVms;
  private final RequestRepository requests;
  private final RequestVmRepository rows;
  private final WorkflowClient temporal;
  private final Webhooks webhooks;
  private final long bandwidth;
  private final long queryTimeoutMillis;

  public Requests(
      Catalog catalog,
      Inventories inventories,
      PlanVmRepository planVms,
      RequestRepository requests,
      RequestVmRepository rows,
      WorkflowClient temporal,
      Webhooks webhooks,
      @Value("${vmigrate.approval.bandwidth-bytes-per-second:125000000}") long bandwidth,
      @Value("${vmigrate.status.query-timeout-millis:2000}") long queryTimeoutMillis,
      @Value("${vmigrate.temporal.search-attributes:false}") boolean searchAttributes) {
    this.searchAttributes = searchAttributes;
    this.catalog = catalog;
    this.inventories = inventories;
    this.planVms = planVms;
    this.requests = requests;
    this.rows = rows;
    this.temporal = temporal;
    this.webhooks = webhooks;
    this.bandwidth = bandwidth;
    this.queryTimeoutMillis = queryTimeoutMillis;
  }

  /** Orders a plan: validates, stores the request with proposals, approves it when automatic. */
  public RequestRow order(String planIdOrName) {
    RequestRow created = createRequest(planIdOrName);
    PlanRow plan = catalog.planRow(created.planId(), "id");
    webhooks.publish("request.created", event(created), List.of());
    if (plan.approvalPolicy().equals("auto")) {
      return approve(created.id());
    }
    return created;
  }

  @Transactional
  public RequestRow createRequest(String planIdOrName) {
    PlanRow plan = catalog.planRow(planIdOrName, "id");
    MappingRow mrow = catalog.mappingRow(plan.mappingId(), "mapping");
    InfrastructureMapping m = catalog.mapping(mrow);
    PlanOptions options = catalog.options(plan);
    List<PlanVmRow> vms = planVms.findByPlanIdOrderByPosition(plan.id());
    if (vms.isEmpty()) {
      throw ApiException.badRequest("vms", "vms: plan '" + plan.name() + "' has no VMs");
    }
    Map<String, RequestVmRow> open = new HashMap<>();
    rows.openRows().forEach(r -> open.put(key(r.instanceUuid()), r));
    Map<String, RequestVmRow> done = new HashMap<>();
    rows.completedInPlan(plan.id()).forEach(r -> done.put(key(r.instanceUuid()), r));

    Inventory src = inventories.inventory(m.sourceVcenter(), "mapping.sourceVcenter");
    Inventory dst =
        m.crossVcenter()
            ? inventories.inventory(m.destinationVcenter(), "mapping.destinationVcenter")
            : src;

    List<VmInfo> candidates = new ArrayList<>();
    Map<String, String> preSkipped = new LinkedHashMap<>(); // instance UUID -> reason
    Map<String, VmInfo> preSkippedVm = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < vms.size(); i++) {
      PlanVmRow pv = vms.get(i);
      String at = "vms[" + i + "]";
      RequestVmRow busy = open.get(key(pv.instanceUuid()));
      if (busy != null) {
        throw ApiException.conflict(
            at, at + ": VM '" + pv.name() + "' is already in open request " + busy.requestId());
      }
      if (done.containsKey(key(pv.instanceUuid()))) {
        preSkipped.put(
            pv.instanceUuid(),
            "already migrated by request " + done.get(key(pv.instanceUuid())).requestId());
        continue;
      }
      Optional<VmInfo> vm = src.vmByInstanceUuid(pv.instanceUuid());
      if (vm.isEmpty()) {
        // A VM moved to another vCenter is gone from the source; its own attribute still tells.
        Optional<VmInfo> moved =
            dst.vmByInstanceUuid(pv.instanceUuid())
                .filter(v -> ApprovalPolicy.alreadyMigrated(v).isPresent());
        if (moved.isPresent()) {
          preSkipped.put(pv.instanceUuid(), "already migrated (found at the destination)");
          preSkippedVm.put(pv.instanceUuid(), moved.get());
          continue;
        }
        throw ApiException.badRequest(
            at,
            at
                + ": VM '"
                + pv.name()
                + "' (instance UUID "
                + pv.instanceUuid()
                + ") no longer exists in vCenter '"
                + m.sourceVcenter()
                + "'");
      }
      List<String> gaps = Inventories.mappingGaps(vm.get(), src, m);
      if (!gaps.isEmpty()) {
        problems.add(at + ": VM '" + pv.name() + "' uses " + String.join(", ", gaps));
      }
      candidates.add(vm.get());
    }
    if (!problems.isEmpty()) {
      throw ApiException.badRequest(
          "mapping",
          "mapping: '"
              + mrow.name()
              + "' has no destination for what these VMs use: "
              + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
              + (problems.size() > 5 ? "; and " + (problems.size() - 5) + " more" : ""));
    }
    List<ApprovalPolicy.Proposal> proposals =
        ApprovalPolicy.propose(candidates, m, src, dst, options, bandwidth, Instant.now());

    Instant now = Instant.now();
    String id = UUID.randomUUID().toString();
    RequestRow req =
        new RequestRow(
            id,
            plan.id(),
            plan.name(),
            m.sourceVcenter(),
            "pending",
            "pending",
            "Ok",
            "awaiting approval",
            0,
            null,
            now,
            now);
    requests.save(req);
    Map<String, ApprovalPolicy.Proposal> byUuid = new HashMap<>();
    proposals.forEach(p -> byUuid.put(key(p.vm().instanceUuid()), p));
    List<RequestVmRow> out = new ArrayList<>();
    for (int i = 0; i < vms.size(); i++) {
      PlanVmRow pv = vms.get(i);
      ApprovalPolicy.Proposal p = byUuid.get(key(pv.instanceUuid()));
      if (p == null) {
        out.add(
            new RequestVmRow(
                UUID.randomUUID().toString(),
                id,
                i,
                null,
                pv.vmId(),
                pv.instanceUuid(),
                pv.name(),
                VmTaskState.SKIPPED.name(),
                "skip",
                preSkipped.get(pv.instanceUuid()),
                null,
                "skipped: " + preSkipped.get(pv.instanceUuid()),
                100,
                100,
                0,
                0,
                false,
                null,
                "",
                "",
                false,
                0,
                null,
                now));
      } else {
        out.add(
            new RequestVmRow(
                UUID.randomUUID().toString(),
                id,
                i,
                null,
                p.vm().id(),
                pv.instanceUuid(),
                p.vm().name(),
                VmTaskState.PLANNED.name(),
                p.approve() ? "approve" : "skip",
                p.reason(),
                null,
                null,
                0,
                0,
                p.diskBytes(),
                p.memoryBytes(),
                p.vm().powerState() == dev.vmigrate.model.PowerState.POWERED_ON,
                p.sourceHost(),
                String.join(",", p.sourceDatastores()),
                String.join(",", p.destinationDatastores()),
                p.storageChange(),
                p.vmotionLinkMbps(),
                null,
                now));
      }
    }
    rows.saveAll(out);
    return req;
  }

  /** Applies the proposals, stores the approved VMs in ledger order, starts the workflow. */
  public RequestRow approve(String requestId) {
    RequestRow req = applyApproval(requestId);
    webhooks.publish("request.approved", event(req), List.of());
    if (req.approvedVms() == 0) {
      requests.updateState(req.id(), "finished", "Warn", "no VM was approved", Instant.now());
      RequestRow fin = request(req.id());
      webhooks.publish("request.finished", event(fin), List.of());
      return fin;
    }
    PlanRow plan = catalog.planRow(req.planId(), "id");
    InfrastructureMapping m = catalog.mapping(catalog.mappingRow(plan.mappingId(), "mapping"));
    PlanOptions o = catalog.options(plan);
    MigrationOptions mo =
        new MigrationOptions(
            o.migrationType(),
            o.failurePolicy(),
            Boolean.TRUE.equals(o.verify()),
            o.autoConfirmAfter(),
            o.targetPowerState(),
            o.preMigrationHooks(),
            List.of(),
            null);
    AdmissionLimits base =
        AdmissionLimits.vsphereDefaults(o.concurrencyLimit() == null ? 0 : o.concurrencyLimit());
    AdmissionLimits limits =
        new AdmissionLimits(
            base.hostLimit(),
            base.network10gLimit(),
            base.network1gLimit(),
            base.datastoreLimit(),
            base.vcenterLimit(),
            base.planLimit(),
            bandwidth);
    RequestInput input =
        new RequestInput(req.id(), plan.name(), m, mo, limits, req.approvedVms(), null);
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
      if (o.windowStart() != null && o.windowStart().isAfter(Instant.now())) {
        // Temporal holds the first run until the window opens; nothing polls meanwhile.
        wo.setStartDelay(java.time.Duration.between(Instant.now(), o.windowStart()));
      }
      PlanRequestWorkflow wf = temporal.newWorkflowStub(PlanRequestWorkflow.class, wo.build());
      WorkflowClient.start(wf::run, input);
    } catch (RuntimeException e) {
      LOG.error("request {}: cannot start workflow {}", req.id(), workflowId, e);
      requests.updateState(
          req.id(),
          "finished",
          "Error",
          "could not start the request workflow: " + e.getMessage(),
          Instant.now());
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "temporal",
          "temporal: could not start the request workflow: " + e.getMessage());
    }
    String msg =
        o.windowStart() != null && o.windowStart().isAfter(Instant.now())
            ? "waiting for the time window to open at " + o.windowStart()
            : "running " + req.approvedVms() + " VMs";
    requests.updateState(req.id(), "active", "Ok", msg, Instant.now());
    RequestRow started = request(req.id());
    webhooks.publish("request.started", event(started), List.of());
    return started;
  }

  @Transactional
  public RequestRow applyApproval(String requestId) {
    RequestRow req = request(requestId);
    Instant now = Instant.now();
    if (requests.claimApproval(requestId, "approved", now) == 0) {
      throw ApiException.conflict(
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
        new RequestRow(
            req.id(),
            req.planId(),
            req.planName(),
            req.sourceVcenter(),
            "approved",
            "pending",
            "Ok",
            "approved " + approved + " VMs",
            approved,
            approved > 0 ? "request-" + req.id() : null,
            req.createdAt(),
            now);
    requests.update(updated);
    return updated;
  }

  /** Denies a pending request: nothing runs. */
  @Transactional
  public RequestRow deny(String requestId, String reason) {
    RequestRow req = request(requestId);
    Instant now = Instant.now();
    if (requests.claimApproval(requestId, "denied", now) == 0) {
      throw ApiException.conflict(
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
    RequestRow denied =
        new RequestRow(
            req.id(),
            req.planId(),
            req.planName(),
            req.sourceVcenter(),
            "denied",
            "finished",
            "Warn",
            why,
            0,
            null,
            req.createdAt(),
            now);
    requests.update(denied);
    webhooks.publish("request.denied", event(denied), List.of());
    return denied;
  }

  public RequestRow request(String id) {
    return requests
        .findById(id)
        .orElseThrow(() -> ApiException.notFound("id", "id: no request '" + id + "'"));
  }

  public List<RequestView> list(String planIdOrName) {
    List<RequestRow> list =
        planIdOrName == null
            ? requests.listOrderByCreatedAtDesc()
            : requests.findByPlanIdOrderByCreatedAtDesc(catalog.planRow(planIdOrName, "plan").id());
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
      tasks = new ArrayList<>();
      for (RequestVmRow v : vms) {
        int vmPct = v.vmMigratePercent();
        int diskPct = v.diskMigratePercent();
        String live = null;
        if (v.state().equals(VmTaskState.STARTED.name()) && v.migrationId() != null) {
          MigrationStatus s = liveStatus(v.migrationId());
          if (s != null) {
            vmPct = s.percent();
            diskPct =
                s.disks() == null || s.disks().isEmpty()
                    ? diskPct
                    : (int) s.disks().stream().mapToInt(d -> d.percent()).average().orElse(0);
            live = s.state() == null ? null : s.state().name();
          }
        }
        tasks.add(
            new TaskView(
                v.vmId(),
                v.name(),
                v.instanceUuid(),
                v.state().toLowerCase(Locale.ROOT),
                v.proposal(),
                v.reason(),
                v.migrationId(),
                live,
                v.message(),
                new TaskProgress(vmPct, diskPct),
                v.deliveredAt(),
                v.updatedAt()));
      }
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

  // A migration that no worker answers must not hang the status call.
  private MigrationStatus liveStatus(String migrationId) {
    try {
      return CompletableFuture.supplyAsync(
              () ->
                  temporal
                      .newUntypedWorkflowStub(migrationId)
                      .query("status", MigrationStatus.class))
          .get(queryTimeoutMillis, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.debug("status query of {} failed: {}", migrationId, e.toString());
      return null;
    }
  }

  /** Sends pause, resume or cancel to the request workflow; 409 unless the request is active. */
  public String steer(String requestId, String action) {
    RequestRow req = request(requestId);
    if (!"active".equals(req.requestState()) || req.workflowId() == null) {
      throw ApiException.conflict(
          "request_state",
          "request_state: request " + requestId + " is " + req.requestState() + ", not active");
    }
    try {
      temporal.newUntypedWorkflowStub(req.workflowId()).signal(action);
    } catch (WorkflowNotFoundException e) {
      throw ApiException.conflict(
          "request_state", "request_state: workflow " + req.workflowId() + " is not running");
    }
    return req.workflowId();
  }

  /** Sends pause, resume, rollback or confirm to one VM's migration workflow. */
  public String signal(String requestId, String vmId, String signal) {
    if (!SIGNALS.contains(signal)) {
      throw ApiException.notFound(
          "signal", "signal: '" + signal + "' is not one of pause, resume, rollback, confirm");
    }
    RequestRow req = request(requestId);
    RequestVmRow row =
        rows.findByRequestIdAndVmId(requestId, vmId)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "vmId", "vmId: no VM '" + vmId + "' in request " + requestId));
    String migrationId =
        row.migrationId() != null
            ? row.migrationId()
            : MigrationIds.forVm(req.sourceVcenter(), row.instanceUuid());
    if (!row.state().equals(VmTaskState.STARTED.name())) {
      throw ApiException.conflict(
          "vmId",
          "vmId: VM '"
              + row.name()
              + "' is "
              + row.state().toLowerCase(Locale.ROOT)
              + ", not started");
    }
    try {
      WorkflowStub stub = temporal.newUntypedWorkflowStub(migrationId);
      stub.signal(signal);
    } catch (WorkflowNotFoundException e) {
      throw ApiException.conflict("vmId", "vmId: migration " + migrationId + " is not running");
    }
    return migrationId;
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

  private static String key(String uuid) {
    return uuid.toLowerCase(Locale.ROOT);
  }
}

package dev.vmigrate.api.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.api.db.RequestCloseRepository;
import dev.vmigrate.api.db.RequestCloseRow;
import dev.vmigrate.api.db.RequestRepository;
import dev.vmigrate.api.db.RequestRow;
import dev.vmigrate.api.db.RequestVmRepository;
import dev.vmigrate.api.db.RequestVmRow;
import dev.vmigrate.api.temporal.WorkflowStatuses;
import dev.vmigrate.api.web.Dtos.CloseResult;
import dev.vmigrate.api.web.Dtos.VmFinding;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.RequestState;
import dev.vmigrate.request.VmTaskState;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import io.grpc.StatusRuntimeException;
import io.micronaut.context.annotation.Value;
import io.micronaut.transaction.annotation.Transactional;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a request whose request workflow Temporal no longer knows (its state was lost), so that
 * its ledger rows stop holding the VMs. Only a definite "not found" from a reachable Temporal
 * counts: a request whose workflow exists is refused, and an unreachable Temporal changes nothing.
 * Each VM still in play is read in vCenter (never changed there) and what was found is recorded in
 * its ledger row and answered, with what the operator has to do by hand.
 */
@Singleton
public class RequestCloser {
  private static final Logger LOG = LoggerFactory.getLogger(RequestCloser.class);
  static final String STATUS = "closed";
  private static final TypeReference<List<VmFinding>> FINDINGS = new TypeReference<>() {};

  private final Requests service;
  private final PlanCatalog plans;
  private final MappingCatalog mappings;
  private final Inventories inventories;
  private final RequestRepository requests;
  private final RequestVmRepository rows;
  private final RequestCloseRepository closes;
  private final WorkflowClient temporal;
  private final Webhooks webhooks;
  private final RequestReconciler reconciler;
  private final ObjectMapper json;
  private final long timeoutMillis;

  public RequestCloser(
      Requests service,
      PlanCatalog plans,
      MappingCatalog mappings,
      Inventories inventories,
      RequestRepository requests,
      RequestVmRepository rows,
      RequestCloseRepository closes,
      WorkflowClient temporal,
      Webhooks webhooks,
      RequestReconciler reconciler,
      ObjectMapper json,
      @Value("${vmigrate.close.temporal-timeout-millis:10000}") long timeoutMillis) {
    this.service = service;
    this.plans = plans;
    this.mappings = mappings;
    this.inventories = inventories;
    this.requests = requests;
    this.rows = rows;
    this.closes = closes;
    this.temporal = temporal;
    this.webhooks = webhooks;
    this.reconciler = reconciler;
    this.json = json;
    this.timeoutMillis = timeoutMillis;
  }

  /** Closes the request; a request this already closed answers the same result again. */
  public CloseResult close(String requestId, String reason) {
    Columns.requireFits("reason", reason == null ? null : reason.strip(), Columns.REASON);
    RequestRow req = service.request(requestId);
    Optional<CloseResult> earlier = earlier(req);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    if (req.state() == RequestState.FINISHED) {
      throw new ServiceException.Conflict(
          "request_state",
          "request_state: request " + requestId + " is already finished (" + req.status() + ")");
    }
    if (req.workflowId() == null) {
      throw new ServiceException.Conflict(
          "request_state",
          "request_state: request "
              + requestId
              + " never started a workflow (approval "
              + req.approvalState()
              + "); deny it instead of closing it");
    }

    // Temporal first, all of it, before anything is written: only NOT_FOUND counts as gone.
    WorkflowServiceStubs stubs = temporal.getWorkflowServiceStubs();
    String namespace = temporal.getOptions().getNamespace();
    try {
      stubs
          .blockingStub()
          .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
          .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build());
    } catch (StatusRuntimeException e) {
      throw unavailable(
          "cannot confirm with Temporal that workflow "
              + req.workflowId()
              + " is gone: namespace '"
              + namespace
              + "': "
              + e.getStatus().getCode()
              + " "
              + e.getStatus().getDescription());
    }
    Optional<String> request = describe(stubs, namespace, req.workflowId());
    if (request.isPresent() && !request.get().equals("running")) {
      // The workflow has closed and the ledger did not follow: reconcile it now, from Temporal.
      return reconciled(req, reason);
    }
    if (request.isPresent()) {
      String status = request.get();
      throw new ServiceException.Conflict(
          "workflow",
          "workflow: request workflow "
              + req.workflowId()
              + " exists in Temporal ("
              + status
              + "); "
              + (status.equals("running")
                  ? "a running request is cancelled with cancel, not closed"
                  : "the ledger catches up with a closed workflow; check the request again"));
    }
    List<RequestVmRow> open =
        rows.findByRequestIdOrderByPosition(requestId).stream()
            .filter(r -> !VmTaskState.valueOf(r.state()).finished())
            .toList();
    Map<String, String> migrations = new LinkedHashMap<>();
    for (RequestVmRow r : open) {
      String id = migrationId(req, r);
      migrations.put(id, describe(stubs, namespace, id).orElse("not found"));
    }

    // Then vCenter: read only.
    List<VsphereGateway> gateways = gateways(req);
    List<VmFinding> findings = new ArrayList<>();
    for (RequestVmRow r : open) {
      String id = migrationId(req, r);
      findings.add(finding(r, id, migrations.get(id), gateways));
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String why = reason == null || reason.isBlank() ? null : reason.strip();
    long away = findings.stream().filter(f -> f.action() != null).count();
    String message =
        "closed: request workflow lost"
            + (why == null ? "" : "; " + why)
            + "; "
            + findings.size()
            + " VMs still in play recorded as failed"
            + (away > 0 ? ", " + away + " need the operator" : "");
    if (!record(req, findings, why, message, now)) {
      // Someone else finished it meanwhile: answer what they did.
      RequestRow now2 = service.request(requestId);
      return earlier(now2)
          .orElseThrow(
              () ->
                  new ServiceException.Conflict(
                      "request_state",
                      "request_state: request "
                          + requestId
                          + " finished meanwhile ("
                          + now2.status()
                          + ")"));
    }
    RequestRow closed = service.request(requestId);
    webhooks.publish("request.finished", Requests.event(closed), List.of());
    LOG.info("request {} closed: {}", requestId, message);
    return new CloseResult(
        requestId,
        req.workflowId(),
        RequestState.FINISHED.value(),
        STATUS,
        why,
        message,
        now,
        findings);
  }

  private CloseResult reconciled(RequestRow req, String reason) {
    try {
      reconciler.reconcile(req);
    } catch (StatusRuntimeException e) {
      throw unavailable("cannot reconcile request " + req.id() + ": " + e.getStatus().getCode());
    }
    RequestRow after = service.request(req.id());
    if (after.state() != RequestState.FINISHED) {
      throw new ServiceException.Conflict(
          "workflow",
          "workflow: request workflow " + req.workflowId() + " runs again; cancel it instead");
    }
    String why = reason == null || reason.isBlank() ? null : reason.strip();
    return new CloseResult(
        req.id(),
        req.workflowId(),
        after.requestState(),
        after.status(),
        why,
        after.message(),
        after.updatedAt(),
        List.of());
  }

  /** Finishes the request and its VMs in play in one transaction; false if already finished. */
  @Transactional
  public boolean record(
      RequestRow req, List<VmFinding> findings, String reason, String message, Instant now) {
    if (requests.finishIfOpen(req.id(), STATUS, message, now) == 0) {
      return false;
    }
    for (VmFinding f : findings) {
      rows.recordState(
          req.id(),
          f.vmId(),
          VmTaskState.FAILED.name(),
          f.migrationId(),
          f.message(),
          0,
          0,
          null,
          now);
    }
    try {
      closes.save(new RequestCloseRow(req.id(), reason, json.writeValueAsString(findings), now));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return true;
  }

  private Optional<CloseResult> earlier(RequestRow req) {
    if (req.state() != RequestState.FINISHED || !STATUS.equals(req.status())) {
      return Optional.empty();
    }
    return closes
        .findById(req.id())
        .map(
            c -> {
              try {
                return new CloseResult(
                    req.id(),
                    req.workflowId(),
                    RequestState.FINISHED.value(),
                    STATUS,
                    c.reason(),
                    req.message(),
                    c.closedAt(),
                    json.readValue(c.findings(), FINDINGS));
              } catch (JsonProcessingException e) {
                throw new IllegalStateException("request " + req.id() + ": bad close record", e);
              }
            });
  }

  /** The workflow's status in lower case, empty when Temporal answers NOT_FOUND; else 503. */
  private Optional<String> describe(WorkflowServiceStubs stubs, String namespace, String id) {
    try {
      return WorkflowStatuses.of(stubs, namespace, id, timeoutMillis)
          .map(
              s ->
                  s.name()
                      .replaceFirst("^WORKFLOW_EXECUTION_STATUS_", "")
                      .toLowerCase(Locale.ROOT));
    } catch (StatusRuntimeException e) {
      throw unavailable(
          "cannot describe workflow "
              + id
              + " in Temporal: "
              + e.getStatus().getCode()
              + " "
              + e.getStatus().getDescription());
    }
  }

  private static ServiceException unavailable(String message) {
    return new ServiceException.Unavailable(
        "temporal",
        "temporal: " + message + "; nothing was changed, try again when Temporal answers");
  }

  private static String migrationId(RequestRow req, RequestVmRow r) {
    return r.migrationId() != null
        ? r.migrationId()
        : MigrationIds.forVm(req.sourceVcenter(), r.instanceUuid());
  }

  /** The source vCenter's gateway, then the destination's when the mapping crosses vCenters. */
  private List<VsphereGateway> gateways(RequestRow req) {
    List<VsphereGateway> out = new ArrayList<>();
    out.add(inventories.gateway(req.sourceVcenter(), "sourceVcenter"));
    String dst = null;
    try {
      dst =
          mappings
              .mapping(
                  mappings.mappingRow(plans.planRow(req.planId(), "planId").mappingId(), "mapping"))
              .destinationVcenter();
    } catch (ServiceException e) {
      LOG.warn(
          "request {}: no mapping to find the destination vCenter: {}", req.id(), e.getMessage());
    }
    if (dst != null && !dst.equals(req.sourceVcenter())) {
      out.add(inventories.gateway(dst, "destinationVcenter"));
    }
    return out;
  }

  private record Found(VsphereGateway gateway, VmInfo vm) {}

  private VmFinding finding(
      RequestVmRow r, String migrationId, String migration, List<VsphereGateway> gateways) {
    Found found = null;
    for (VsphereGateway gw : gateways) {
      try {
        Optional<VmInfo> vm = gw.findVmByInstanceUuid(r.instanceUuid());
        if (vm.isPresent()) {
          found = new Found(gw, vm.get());
          break;
        }
      } catch (VsphereException e) {
        throw new ServiceException.Unavailable(
            "vcenter",
            "vcenter: cannot read VM '"
                + r.name()
                + "' in vCenter '"
                + gw.vcenterId()
                + "': "
                + e.getMessage()
                + "; nothing was changed, try again when vCenter answers");
      }
    }
    String previous = r.state().toLowerCase(Locale.ROOT);
    String state = VmTaskState.FAILED.name().toLowerCase(Locale.ROOT);
    boolean running = "running".equals(migration);
    String workflowNote =
        "not found".equals(migration)
            ? "migration workflow " + migrationId + " not found"
            : "migration workflow " + migrationId + " is " + migration;
    if (found == null) {
      String message =
          "closed: request workflow lost; VM not registered in "
              + String.join(" or ", gateways.stream().map(VsphereGateway::vcenterId).toList())
              + "; "
              + workflowNote;
      String action =
          "vmigrate cannot finish it: find its files on the datastores and register it by hand";
      return new VmFinding(
          r.vmId(),
          r.name(),
          r.instanceUuid(),
          previous,
          state,
          false,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          migrationId,
          migration,
          message,
          withRunning(action, running, migrationId));
    }
    VmInfo vm = found.vm();
    VsphereGateway gw = found.gateway();
    String host = hostName(gw, vm.host());
    String lock = vm.customValue(MigrationAttributes.LOCK);
    JsonNode origin = origin(vm);
    String originVcenter = origin == null ? null : text(origin, "vcenter");
    String originHost = null;
    Boolean atOrigin = null;
    if (origin != null) {
      String originHostId = text(origin, "host");
      Optional<VsphereGateway> ogw =
          gateways.stream().filter(g -> g.vcenterId().equals(originVcenter)).findFirst();
      originHost =
          originHostId == null
              ? null
              : ogw.map(g -> hostName(g, originHostId)).orElse(originHostId);
      atOrigin =
          gw.vcenterId().equals(originVcenter)
              && java.util.Objects.equals(vm.host(), originHostId)
              && java.util.Objects.equals(vm.vmxDatastore(), text(origin, "vmxDatastore"));
    }
    String power = power(vm.powerState());
    StringBuilder msg =
        new StringBuilder("closed: request workflow lost; VM found at ")
            .append(host)
            .append(" in ")
            .append(gw.vcenterId())
            .append(", ")
            .append(power)
            .append(lock == null ? ", not locked" : ", locked by " + lock)
            .append(
                origin == null
                    ? ", no origin recorded"
                    : ", origin recorded: "
                        + originHost
                        + " in "
                        + originVcenter
                        + (Boolean.TRUE.equals(atOrigin) ? " (at its origin)" : " (away from it)"))
            .append("; ")
            .append(workflowNote);
    List<String> todo = new ArrayList<>();
    if (lock != null) {
      todo.add(
          "clear its custom attribute "
              + MigrationAttributes.LOCK
              + " (held by "
              + lock
              + ") in vCenter "
              + gw.vcenterId()
              + " once nothing works on it any more");
    }
    if (Boolean.FALSE.equals(atOrigin)) {
      todo.add(
          "to undo the move, migrate it back by hand to host "
              + originHost
              + " in vCenter "
              + originVcenter
              + " and the datastores and networks of the origin recorded in its custom attribute "
              + MigrationAttributes.ORIGIN);
    }
    String action =
        todo.isEmpty()
            ? null
            : "vmigrate cannot finish it (resume and rollback need the lost workflow): "
                + String.join("; ", todo);
    return new VmFinding(
        r.vmId(),
        r.name(),
        r.instanceUuid(),
        previous,
        state,
        true,
        gw.vcenterId(),
        host,
        power,
        lock,
        originVcenter,
        originHost,
        atOrigin,
        migrationId,
        migration,
        msg.toString(),
        withRunning(action, running, migrationId));
  }

  private static String withRunning(String action, boolean running, String migrationId) {
    if (!running) {
      return action;
    }
    String note =
        "its migration workflow "
            + migrationId
            + " still runs in Temporal without its request: follow it in the Temporal UI"
            + " (the ledger no longer records it)";
    return action == null ? note : action + "; " + note;
  }

  private JsonNode origin(VmInfo vm) {
    String text = vm.customValue(MigrationAttributes.ORIGIN);
    if (text == null) {
      return null;
    }
    try {
      JsonNode n = json.readTree(text);
      return n.isObject() ? n : null;
    } catch (JsonProcessingException e) {
      LOG.warn("VM {}: unreadable {}: {}", vm.name(), MigrationAttributes.ORIGIN, e.getMessage());
      return null;
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String hostName(VsphereGateway gw, String hostId) {
    if (hostId == null) {
      return "no host";
    }
    try {
      return gw.host(hostId).name();
    } catch (VsphereException e) {
      return hostId;
    }
  }

  private static String power(PowerState p) {
    if (p == null) {
      return "power state unknown";
    }
    return switch (p) {
      case POWERED_ON -> "powered on";
      case POWERED_OFF -> "powered off";
      default -> p.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    };
  }
}

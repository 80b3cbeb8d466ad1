package dev.vmigrate.api.service;

import dev.vmigrate.api.db.RequestRepository;
import dev.vmigrate.api.db.RequestRow;
import dev.vmigrate.api.db.RequestVmRepository;
import dev.vmigrate.api.db.RequestVmRow;
import dev.vmigrate.api.temporal.WorkflowStatuses;
import dev.vmigrate.api.web.RecoveryDtos.RecoverBody;
import dev.vmigrate.api.web.RecoveryDtos.RecoveryFinding;
import dev.vmigrate.api.web.RecoveryDtos.RecoveryReport;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.recovery.VmRecovery;
import dev.vmigrate.recovery.VmRecoveryWorkflow;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.MigrationMarks;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.recovery.Leftover;
import dev.vmigrate.vsphere.recovery.LeftoverClassifier;
import io.grpc.StatusRuntimeException;
import io.micronaut.context.annotation.Value;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code vmigrate recover}: reads vmigrate's marks in one vCenter, matches them against the
 * migrations Temporal still runs and the ledger's outcomes (either may be empty: vCenter is the
 * source of truth), and lists the leftovers with what it proposes; with apply, starts one recovery
 * workflow per leftover on the vCenter's task queue, under an id derived from the VM, so a second
 * apply while one runs starts nothing. Nothing is changed when Temporal cannot say what runs.
 */
@Singleton
public class Recoveries {
  private static final Logger LOG = LoggerFactory.getLogger(Recoveries.class);

  private final Inventories inventories;
  private final RequestVmRepository rows;
  private final RequestRepository requests;
  private final WorkflowClient temporal;
  private final long timeoutMillis;

  public Recoveries(
      Inventories inventories,
      RequestVmRepository rows,
      RequestRepository requests,
      WorkflowClient temporal,
      @Value("${vmigrate.recover.temporal-timeout-millis:10000}") long timeoutMillis) {
    this.inventories = inventories;
    this.rows = rows;
    this.requests = requests;
    this.temporal = temporal;
    this.timeoutMillis = timeoutMillis;
  }

  public RecoveryReport recover(String vcenterId, RecoverBody body) {
    boolean apply = body != null && Boolean.TRUE.equals(body.apply());
    Set<String> only = names("vms", body == null ? null : body.vms());
    Set<String> finalise = names("finalise", body == null ? null : body.finalise());
    VsphereGateway gw = inventories.gateway(vcenterId, "vcenter");
    MigrationMarks marks;
    try {
      marks = gw.migrationMarks();
    } catch (VsphereException e) {
      throw new ServiceException.Unavailable(
          "vcenter",
          "vcenter: cannot read the custom attributes of vCenter '"
              + vcenterId
              + "': "
              + e.getMessage()
              + "; nothing was changed");
    }
    Set<String> marked = new LinkedHashSet<>();
    marks.vms().forEach(v -> marked.add(v.name()));
    for (String n : only) {
      if (!marked.contains(n)) {
        throw new ServiceException.Invalid(
            "vms", "vms: VM '" + n + "' carries no vmigrate mark in vCenter '" + vcenterId + "'");
      }
    }
    for (String n : finalise) {
      if (!marked.contains(n)) {
        throw new ServiceException.Invalid(
            "finalise",
            "finalise: VM '" + n + "' carries no vmigrate mark in vCenter '" + vcenterId + "'");
      }
    }
    Set<String> running = running(LeftoverClassifier.workflowIds(marks));
    Map<String, String> ledger = ledger(marks);
    List<Leftover> leftovers =
        LeftoverClassifier.classify(marks, running, ledger, finalise, names(gw)).stream()
            .filter(l -> only.isEmpty() || (l.vmName() != null && only.contains(l.vmName())))
            .toList();
    List<RecoveryFinding> findings = new ArrayList<>();
    int started = 0;
    for (Leftover l : leftovers) {
      String outcome = null;
      if (apply) {
        outcome = start(l);
        if (outcome.equals("started")) {
          started++;
        }
      }
      findings.add(finding(l, outcome));
    }
    String message;
    if (leftovers.isEmpty()) {
      message =
          "no leftovers in vCenter "
              + vcenterId
              + " ("
              + marks.vms().size()
              + " marked VMs, "
              + running.size()
              + " workflows running)";
    } else if (apply) {
      message = leftovers.size() + " leftovers, " + started + " recoveries started";
    } else {
      message =
          leftovers.size() + " leftovers; dry run, nothing changed (apply to start the recoveries)";
    }
    if (apply) {
      LOG.info("recover {}: {}", vcenterId, message);
    }
    return new RecoveryReport(
        vcenterId, apply, marks.vms().size(), marks.datastores().size(), findings, message);
  }

  /** Names of hosts, pools and datastores for the findings; ids alone if vCenter cannot say. */
  private static Map<String, String> names(VsphereGateway gw) {
    Map<String, String> names = new HashMap<>();
    try {
      Inventory inv = gw.infrastructure();
      inv.hosts().forEach(h -> names.put(h.id(), h.name()));
      inv.resourcePools().forEach(p -> names.put(p.id(), p.name()));
      inv.datastores().forEach(d -> names.put(d.id(), d.name()));
    } catch (VsphereException e) {
      LOG.warn("recover {}: no names for the findings: {}", gw.vcenterId(), e.getMessage());
    }
    return names;
  }

  private static Set<String> names(String field, List<String> given) {
    Set<String> out = new LinkedHashSet<>();
    if (given == null) {
      return out;
    }
    for (int i = 0; i < given.size(); i++) {
      String n = given.get(i);
      if (n == null || n.isBlank()) {
        throw new ServiceException.Invalid(field + "[" + i + "]", field + "[" + i + "]: is empty");
      }
      out.add(n.strip());
    }
    return out;
  }

  private String start(Leftover l) {
    VmRecovery r = l.recovery();
    if (r == null) {
      return "not started: " + (l.note() == null ? "nothing proposed" : l.note());
    }
    if (l.recoveryRunning()) {
      return "already running";
    }
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(r.workflowId())
            .setTaskQueue(MigrationIds.taskQueue(r.vcenter()))
            .setStaticSummary(
                "Recover "
                    + (r.vmName() == null ? "reservations" : r.vmName())
                    + " in "
                    + r.vcenter()
                    + ": "
                    + r.action().description()
                    + " (lost migration "
                    + r.migrationId()
                    + ")")
            .build();
    try {
      WorkflowClient.start(temporal.newWorkflowStub(VmRecoveryWorkflow.class, options)::recover, r);
      return "started";
    } catch (WorkflowExecutionAlreadyStarted e) {
      return "already running";
    } catch (RuntimeException e) {
      LOG.error("recover: cannot start {}", r.workflowId(), e);
      return "not started: " + e.getMessage();
    }
  }

  private static RecoveryFinding finding(Leftover l, String started) {
    return new RecoveryFinding(
        l.vmName(),
        l.vmId(),
        l.kind().name().toLowerCase(Locale.ROOT),
        l.kind().description(),
        l.found(),
        l.action() == null ? null : l.action().value(),
        l.action() == null ? "nothing (see note)" : l.action().description(),
        l.note(),
        l.recovery() == null ? null : l.recovery().migrationId(),
        l.workflowId(),
        started);
  }

  /** Which of these workflows Temporal runs now; NOT_FOUND is "not running"; else 503. */
  private Set<String> running(Set<String> ids) {
    WorkflowServiceStubs stubs = temporal.getWorkflowServiceStubs();
    String namespace = temporal.getOptions().getNamespace();
    Set<String> out = new LinkedHashSet<>();
    for (String id : ids) {
      try {
        Optional<WorkflowExecutionStatus> s =
            WorkflowStatuses.of(stubs, namespace, id, timeoutMillis);
        if (s.orElse(null) == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
          out.add(id);
        }
      } catch (StatusRuntimeException e) {
        throw new ServiceException.Unavailable(
            "temporal",
            "temporal: cannot tell whether workflow "
                + id
                + " runs: "
                + e.getStatus().getCode()
                + " "
                + e.getStatus().getDescription()
                + "; nothing was changed, try again when Temporal answers");
      }
    }
    return out;
  }

  /** The ledger's state of each migration of the marked VMs, by migration id (may be empty). */
  private Map<String, String> ledger(MigrationMarks marks) {
    Map<String, String> out = new HashMap<>();
    Map<String, Optional<RequestRow>> reqs = new HashMap<>();
    for (MigrationMarks.MarkedVm vm : marks.vms()) {
      if (vm.instanceUuid() == null) {
        continue;
      }
      for (RequestVmRow r : rows.byInstanceUuid(vm.instanceUuid())) {
        String id = r.migrationId();
        if (id == null) {
          Optional<RequestRow> req = reqs.computeIfAbsent(r.requestId(), requests::findById);
          if (req.isEmpty()) {
            continue;
          }
          id = MigrationIds.forVm(req.get().sourceVcenter(), r.instanceUuid());
        }
        out.putIfAbsent(id, r.state().toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }
}

package dev.vmigrate.api.service;

import dev.vmigrate.api.db.MappingRow;
import dev.vmigrate.api.db.PlanRow;
import dev.vmigrate.api.db.PlanVmRepository;
import dev.vmigrate.api.db.PlanVmRow;
import dev.vmigrate.api.db.RequestVmRepository;
import dev.vmigrate.api.db.RequestVmRow;
import dev.vmigrate.api.web.Dtos.PlanOptions;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.request.VmTaskState;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.VmInfo;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What an order of a plan proposes, before anything is stored: the plan's mapping, options and VMs,
 * each VM screened against the ledger and the vCenters' inventories (one bulk read each), the
 * approval policy's proposal per VM, and the ledger rows an order stores. An order ({@link
 * Requests#createRequest}) stores those rows; a simulation ({@link PlanSimulations}) runs them on a
 * copy of the inventory. Both refuse the same plans with the same answers.
 */
@Singleton
public class OrderProposals {
  private final PlanCatalog plans;
  private final MappingCatalog mappings;
  private final Inventories inventories;
  private final PlanVmRepository planVms;
  private final RequestVmRepository rows;
  private final long bandwidth;

  public OrderProposals(
      PlanCatalog plans,
      MappingCatalog mappings,
      Inventories inventories,
      PlanVmRepository planVms,
      RequestVmRepository rows,
      @Value("${vmigrate.approval.bandwidth-bytes-per-second:125000000}") long bandwidth) {
    this.plans = plans;
    this.mappings = mappings;
    this.inventories = inventories;
    this.planVms = planVms;
    this.rows = rows;
    this.bandwidth = bandwidth;
  }

  /**
   * What an order of the plan starts from, before any vCenter is read.
   *
   * @param vms the plan's VMs in plan order (never empty)
   */
  public record Setup(
      PlanRow plan,
      MappingRow mappingRow,
      InfrastructureMapping mapping,
      PlanOptions options,
      List<PlanVmRow> vms) {}

  /**
   * What an order of the plan proposes.
   *
   * @param source the source vCenter's inventory as read for the proposals
   * @param skipped instance UUID to why the VM is skipped before the approval policy
   * @param proposals the approval policy's proposal for each other VM, in plan order
   */
  public record Proposed(
      Setup setup,
      Inventory source,
      Map<String, String> skipped,
      List<ApprovalPolicy.Proposal> proposals) {}

  /** Refuses an archived plan: it cannot be ordered (nor simulated) again. */
  public static void requireLive(PlanRow plan) {
    if (plan.archived()) {
      throw new ServiceException.Conflict(
          "id",
          "id: plan '"
              + plan.name()
              + "' is archived (deleted after it was ordered); its requests are kept, but it"
              + " cannot be ordered again");
    }
  }

  /**
   * The plan's mapping, options and VMs; refuses a network-only plan whose mapping moves more than
   * networks and a plan without VMs.
   */
  public Setup setup(PlanRow plan) {
    MappingRow mrow = mappings.mappingRow(plan.mappingId(), "mapping");
    InfrastructureMapping m = mappings.mapping(mrow);
    PlanOptions options = plans.options(plan);
    PlanCatalog.requireNetworkOnly(mrow, m, options);
    List<PlanVmRow> vms = planVms.findByPlanIdOrderByPosition(plan.id());
    if (vms.isEmpty()) {
      throw new ServiceException.Invalid("vms", "vms: plan '" + plan.name() + "' has no VMs");
    }
    return new Setup(plan, mrow, m, options, vms);
  }

  /**
   * Reads the vCenters' inventories (one bulk read each, the source's only within one vCenter),
   * screens every VM and proposes; refuses a VM in another open request, a vanished VM, and a VM
   * using something the mapping has no destination for. Stores nothing.
   */
  public Proposed propose(Setup s) {
    InfrastructureMapping m = s.mapping();
    Inventory src = inventories.inventory(m.sourceVcenter(), "mapping.sourceVcenter");
    Inventory dst =
        m.crossVcenter()
            ? inventories.inventory(m.destinationVcenter(), "mapping.destinationVcenter")
            : src;
    Screening screening = screen(s.plan(), s.vms(), src, dst, m, s.options());
    requireMapped(s.mappingRow(), screening.gaps());
    List<ApprovalPolicy.Proposal> proposals =
        ApprovalPolicy.propose(
            screening.candidates(),
            m,
            src,
            dst,
            s.options(),
            bandwidth,
            Instant.now(),
            screening.repeats());
    return new Proposed(s, src, screening.skipped(), proposals);
  }

  /**
   * The ledger rows an order of request {@code requestId} stores, one per VM of the plan in plan
   * order: planned with the policy's proposal, or skipped with the reason.
   */
  public static List<RequestVmRow> ledgerRows(Proposed p, String requestId, Instant now) {
    String sourceVcenter = p.setup().mapping().sourceVcenter();
    Map<String, ApprovalPolicy.Proposal> byUuid = new HashMap<>();
    p.proposals().forEach(x -> byUuid.put(key(x.vm().instanceUuid()), x));
    List<RequestVmRow> out = new ArrayList<>();
    List<PlanVmRow> vms = p.setup().vms();
    for (int i = 0; i < vms.size(); i++) {
      PlanVmRow pv = vms.get(i);
      ApprovalPolicy.Proposal x = byUuid.get(key(pv.instanceUuid()));
      out.add(
          x == null
              ? skippedRow(requestId, i, pv, p.skipped().get(pv.instanceUuid()), now)
              : proposedRow(requestId, sourceVcenter, i, pv, x, now));
    }
    return out;
  }

  /**
   * The plan's VMs that go to the approval policy, and those skipped before it.
   *
   * @param skipped instance UUID to why the VM is skipped
   * @param gaps per VM, what it uses that the mapping has no destination for
   * @param repeats VMs ordered again ({@code remigrate}), by lower-case instance UUID, to the
   *     ledger's earlier migration ("by request ...") or ""
   */
  private record Screening(
      List<VmInfo> candidates,
      Map<String, String> skipped,
      List<String> gaps,
      Map<String, String> repeats) {}

  /** Checks each VM of the plan in ledger and vCenter; refuses a busy or vanished VM. */
  private Screening screen(
      PlanRow plan,
      List<PlanVmRow> vms,
      Inventory src,
      Inventory dst,
      InfrastructureMapping m,
      PlanOptions options) {
    Map<String, RequestVmRow> open = byInstanceUuid(rows.openRows());
    Map<String, RequestVmRow> done = byInstanceUuid(rows.completedInPlan(plan.id()));
    Screening out =
        new Screening(new ArrayList<>(), new LinkedHashMap<>(), new ArrayList<>(), new HashMap<>());
    for (int i = 0; i < vms.size(); i++) {
      PlanVmRow pv = vms.get(i);
      String at = "vms[" + i + "]";
      RequestVmRow busy = open.get(key(pv.instanceUuid()));
      if (busy != null) {
        throw new ServiceException.Conflict(
            at, at + ": VM '" + pv.name() + "' is already in open request " + busy.requestId());
      }
      if (Boolean.TRUE.equals(options.remigrate()) || pv.remigrate()) {
        out.repeats()
            .put(
                key(pv.instanceUuid()),
                rows.lastCompleted(pv.instanceUuid())
                    .map(
                        r -> "by request " + r.requestId() + " (migration " + r.migrationId() + ")")
                    .orElse(""));
      }
      RequestVmRow migrated = done.get(key(pv.instanceUuid()));
      if (migrated != null && !out.repeats().containsKey(key(pv.instanceUuid()))) {
        out.skipped().put(pv.instanceUuid(), "already migrated by request " + migrated.requestId());
        continue;
      }
      Optional<VmInfo> vm = src.vmByInstanceUuid(pv.instanceUuid());
      if (vm.isEmpty()) {
        // A VM moved to another vCenter is gone from the source; its own attribute still tells.
        if (dst.vmByInstanceUuid(pv.instanceUuid())
            .filter(v -> ApprovalPolicy.alreadyMigrated(v).isPresent())
            .isPresent()) {
          out.skipped().put(pv.instanceUuid(), "already migrated (found at the destination)");
          continue;
        }
        throw new ServiceException.Invalid(
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
      List<String> gaps = Inventories.mappingGaps(vm.get(), src, m, options.migrationType());
      if (!gaps.isEmpty()) {
        out.gaps().add(at + ": VM '" + pv.name() + "' uses " + String.join(", ", gaps));
      }
      out.candidates().add(vm.get());
    }
    return out;
  }

  /** Refuses the order when the mapping leaves something a VM uses without a destination. */
  private static void requireMapped(MappingRow mrow, List<String> problems) {
    if (!problems.isEmpty()) {
      throw new ServiceException.Invalid(
          "mapping",
          "mapping: '"
              + mrow.name()
              + "' has no destination for what these VMs use: "
              + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
              + (problems.size() > 5 ? "; and " + (problems.size() - 5) + " more" : ""));
    }
  }

  private static RequestVmRow skippedRow(
      String requestId, int position, PlanVmRow pv, String reason, Instant now) {
    return RequestVmRow.builder(requestId, position, pv.vmId(), pv.instanceUuid(), pv.name(), now)
        .state(VmTaskState.SKIPPED)
        .proposal("skip", reason)
        .message("skipped: " + reason)
        .progress(100, 100)
        .build();
  }

  private static RequestVmRow proposedRow(
      String requestId,
      String sourceVcenter,
      int position,
      PlanVmRow pv,
      ApprovalPolicy.Proposal p,
      Instant now) {
    boolean repeat = p.approve() && ApprovalPolicy.isRepeat(p.reason());
    return RequestVmRow.builder(
            requestId, position, p.vm().id(), pv.instanceUuid(), p.vm().name(), now)
        .state(VmTaskState.PLANNED)
        .proposal(p.approve() ? "approve" : "skip", p.reason())
        // A repeat runs under a workflow id of its own, so the earlier migration keeps its own.
        .migrationId(
            repeat ? MigrationIds.forRepeat(sourceVcenter, pv.instanceUuid(), requestId) : null)
        .message(repeat ? p.reason() : null)
        .size(p.diskBytes(), p.memoryBytes(), p.vm().powerState() == PowerState.POWERED_ON)
        .placement(
            p.sourceHost(),
            String.join(",", p.sourceDatastores()),
            String.join(",", p.destinationDatastores()),
            p.storageChange(),
            p.vmotionLinkMbps())
        .build();
  }

  private static Map<String, RequestVmRow> byInstanceUuid(List<RequestVmRow> list) {
    Map<String, RequestVmRow> out = new HashMap<>();
    list.forEach(r -> out.put(key(r.instanceUuid()), r));
    return out;
  }

  private static String key(String uuid) {
    return uuid.toLowerCase(Locale.ROOT);
  }
}

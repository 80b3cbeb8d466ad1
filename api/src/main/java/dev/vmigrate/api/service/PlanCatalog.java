package dev.vmigrate.api.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.api.db.MappingRow;
import dev.vmigrate.api.db.PlanRepository;
import dev.vmigrate.api.db.PlanRow;
import dev.vmigrate.api.db.PlanVmRepository;
import dev.vmigrate.api.db.PlanVmRow;
import dev.vmigrate.api.db.RequestRepository;
import dev.vmigrate.api.db.RequestRow;
import dev.vmigrate.api.db.RequestVmRepository;
import dev.vmigrate.api.db.RequestVmRow;
import dev.vmigrate.api.web.Bounds;
import dev.vmigrate.api.web.Dtos.PlanBody;
import dev.vmigrate.api.web.Dtos.PlanOptions;
import dev.vmigrate.api.web.Dtos.PlanSummary;
import dev.vmigrate.api.web.Dtos.PlanView;
import dev.vmigrate.api.web.Dtos.PlanVmView;
import dev.vmigrate.api.web.Dtos.VmRef;
import dev.vmigrate.model.HookDestinationPolicy;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.RequestState;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.VmInfo;
import io.micronaut.context.annotation.Value;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;

/** Migration plans: validation, storage, VM import, and each VM's status. */
@Singleton
public class PlanCatalog {
  private final PlanRepository plans;
  private final PlanVmRepository planVms;
  private final RequestRepository requests;
  private final RequestVmRepository requestVms;
  private final MappingCatalog mappings;
  private final Inventories inventories;
  private final ObjectMapper json;
  private final HookDestinationPolicy hookDestinations;

  public PlanCatalog(
      PlanRepository plans,
      PlanVmRepository planVms,
      RequestRepository requests,
      RequestVmRepository requestVms,
      MappingCatalog mappings,
      Inventories inventories,
      ObjectMapper json,
      @Value("${vmigrate.hooks.allowed-destinations:}") List<String> allowedHookDestinations) {
    this.plans = plans;
    this.planVms = planVms;
    this.requests = requests;
    this.requestVms = requestVms;
    this.mappings = mappings;
    this.inventories = inventories;
    this.json = json;
    this.hookDestinations = HookDestinationPolicy.allowing(allowedHookDestinations);
  }

  /** The plans that are not archived, by name. */
  public List<PlanSummary> listPlans() {
    return listPlans(false);
  }

  /** The plans by name; archived ones (deleted after they were ordered) too when asked. */
  public List<PlanSummary> listPlans(boolean withArchived) {
    return (withArchived ? plans.listOrderByName() : plans.listLive())
        .stream()
            .map(
                p ->
                    new PlanSummary(
                        p.id(),
                        p.name(),
                        p.mappingId(),
                        p.approvalPolicy(),
                        planVms.findByPlanIdOrderByPosition(p.id()).size(),
                        p.archivedAt()))
            .toList();
  }

  /** Refuses to change an archived plan: it is kept as its requests' record. */
  private static void requireLive(PlanRow plan) {
    if (plan.archived()) {
      throw new ServiceException.Conflict(
          "id",
          "id: plan '"
              + plan.name()
              + "' is archived (deleted after it was ordered) and kept as its requests' record;"
              + " it cannot be changed or ordered");
    }
  }

  /** The plan with this id or name; NotFound naming {@code field} otherwise. */
  public PlanRow planRow(String idOrName, String field) {
    return CatalogSupport.byIdOrName(idOrName, plans::findById, plans::findByName)
        .orElseThrow(
            () -> new ServiceException.NotFound(field, field + ": no plan '" + idOrName + "'"));
  }

  public PlanView getPlan(String idOrName) {
    return view(planRow(idOrName, "id"));
  }

  @Transactional
  public PlanView createPlan(PlanBody b) {
    requireNameOfNoArchivedPlan(b.name());
    CatalogSupport.requireUniqueName("plan", b.name(), plans::findByName, o -> false);
    Instant now = Instant.now();
    PlanRow row = validPlan(UUID.randomUUID().toString(), b, now, now);
    List<VmRef> refs = b.vms() == null ? List.of() : b.vms();
    List<VmInfo> vms = resolveForPlan(row, refs, i -> "vms[" + i + "]");
    CatalogSupport.storeNamed("plan", row.name(), () -> plans.save(row));
    storeVms(row.id(), vms, refs, 0);
    return view(row);
  }

  @Transactional
  public PlanView updatePlan(String idOrName, PlanBody b) {
    PlanRow old = planRow(idOrName, "id");
    requireLive(old);
    if (!old.name().equals(b.name())) {
      requireNameOfNoArchivedPlan(b.name());
    }
    CatalogSupport.requireUniqueName(
        "plan", b.name(), plans::findByName, o -> o.id().equals(old.id()));
    PlanRow row = validPlan(old.id(), b, old.createdAt(), Instant.now());
    CatalogSupport.storeNamed("plan", row.name(), () -> plans.update(row));
    if (b.vms() != null) {
      List<VmInfo> vms = resolveForPlan(row, b.vms(), i -> "vms[" + i + "]");
      planVms.deleteByPlanId(row.id());
      storeVms(row.id(), vms, b.vms(), 0);
    }
    return view(row);
  }

  /** A name an archived plan keeps is refused with a word on where that plan is. */
  private void requireNameOfNoArchivedPlan(String name) {
    if (name != null && plans.findByName(name).filter(PlanRow::archived).isPresent()) {
      throw new ServiceException.Conflict(
          "name",
          "name: plan '"
              + name
              + "' already exists, archived with its requests (vmigrate plan list --archived)");
    }
  }

  /**
   * Deletes a plan that was never ordered. A plan with requests is archived instead, so that its
   * requests and their per-VM outcomes stay readable: it leaves the plan list, keeps its name and
   * can no longer be changed or ordered. Refused while one of its requests is open; deleting an
   * archived plan again changes nothing.
   *
   * @return whether the plan was archived (true) or deleted
   */
  @Transactional
  public boolean deletePlan(String idOrName) {
    PlanRow row = planRow(idOrName, "id");
    if (row.archived()) {
      return true;
    }
    if (requests.existsByPlanIdAndRequestStateNotEqual(row.id(), RequestState.FINISHED)) {
      throw new ServiceException.Conflict(
          "id", "id: plan '" + row.name() + "' has an open request");
    }
    if (!requests.findByPlanIdOrderByCreatedAtDesc(row.id()).isEmpty()) {
      plans.archive(row.id(), Instant.now());
      return true;
    }
    planVms.deleteByPlanId(row.id());
    plans.deleteById(row.id());
    return false;
  }

  /**
   * Appends imported VMs to a plan; the import is all or nothing. Of two concurrent imports of one
   * VM the unique index on the plan's instance UUIDs lets one in; the other is run again, and then
   * refuses the VM as a duplicate just as a later import would.
   */
  public int importVms(String idOrName, List<VmRef> refs, IntFunction<String> label) {
    try {
      return appendVms(idOrName, refs, label);
    } catch (RuntimeException e) {
      if (!DatabaseErrors.UNIQUE_VIOLATION.equals(DatabaseErrors.sqlState(e))) {
        throw e;
      }
      return DatabaseErrors.unique(
          () -> appendVms(idOrName, refs, label),
          () ->
              new ServiceException.Conflict(
                  "vms", "vms: a concurrent import added the same VMs; nothing was imported"));
    }
  }

  /** One attempt of {@link #importVms}, in one transaction. */
  @Transactional
  public int appendVms(String idOrName, List<VmRef> refs, IntFunction<String> label) {
    PlanRow plan = planRow(idOrName, "id");
    requireLive(plan);
    List<PlanVmRow> existing = planVms.findByPlanIdOrderByPosition(plan.id());
    List<VmInfo> vms = resolveForPlan(plan, refs, label);
    Map<String, String> have = new HashMap<>();
    existing.forEach(e -> have.put(e.instanceUuid().toLowerCase(Locale.ROOT), e.name()));
    for (int i = 0; i < vms.size(); i++) {
      if (have.containsKey(vms.get(i).instanceUuid().toLowerCase(Locale.ROOT))) {
        String at = label.apply(i);
        throw new ServiceException.Invalid(
            at,
            at
                + ": duplicate VM '"
                + vms.get(i).name()
                + "', already in plan '"
                + plan.name()
                + "'");
      }
    }
    storeVms(plan.id(), vms, refs, existing.size());
    return vms.size();
  }

  private List<VmInfo> resolveForPlan(PlanRow plan, List<VmRef> refs, IntFunction<String> label) {
    if (refs.isEmpty()) {
      return List.of();
    }
    MappingRow mrow = mappings.mappingRow(plan.mappingId(), "mapping");
    InfrastructureMapping m = mappings.mapping(mrow);
    Inventory inv = inventories.inventory(m.sourceVcenter(), "mapping.sourceVcenter");
    List<VmInfo> vms = inventories.resolve(inv, m.sourceVcenter(), refs, label);
    MigrationType type = options(plan).migrationType();
    for (int i = 0; i < vms.size(); i++) {
      List<String> gaps = Inventories.mappingGaps(vms.get(i), inv, m, type);
      if (!gaps.isEmpty()) {
        String at = label.apply(i);
        throw new ServiceException.Invalid(
            at,
            at
                + ": VM '"
                + vms.get(i).name()
                + "' uses "
                + String.join(", ", gaps)
                + " without a destination in mapping '"
                + mrow.name()
                + "'");
      }
    }
    return vms;
  }

  private void storeVms(String planId, List<VmInfo> vms, List<VmRef> refs, int firstPosition) {
    List<PlanVmRow> rows = new ArrayList<>();
    for (int i = 0; i < vms.size(); i++) {
      VmInfo v = vms.get(i);
      rows.add(
          new PlanVmRow(
              UUID.randomUUID().toString(),
              planId,
              firstPosition + i,
              v.id(),
              v.instanceUuid(),
              v.name(),
              Boolean.TRUE.equals(refs.get(i).remigrate())));
    }
    planVms.saveAll(rows);
  }

  private PlanRow validPlan(String id, PlanBody b, Instant created, Instant now) {
    if (b.name() == null || b.name().isBlank()) {
      throw new ServiceException.Invalid("name", "name: required");
    }
    Columns.requireFits("name", b.name(), Columns.NAME);
    if (b.mapping() == null) {
      throw new ServiceException.Invalid("mapping", "mapping: required, a mapping's id or name");
    }
    MappingRow m =
        mappings
            .find(b.mapping())
            .orElseThrow(
                () ->
                    new ServiceException.Invalid(
                        "mapping", "mapping: no mapping '" + b.mapping() + "'"));
    String policy =
        b.approvalPolicy() == null ? "auto" : b.approvalPolicy().toLowerCase(Locale.ROOT);
    if (!policy.equals("auto") && !policy.equals("manual")) {
      throw new ServiceException.Invalid(
          "approvalPolicy",
          "approvalPolicy: must be 'auto' or 'manual', not '" + b.approvalPolicy() + "'");
    }
    PlanOptions o = b.options() == null ? PlanOptions.empty() : b.options();
    validOptions(o);
    requireNetworkOnly(m, mappings.mapping(m), o);
    String optionsJson = CatalogSupport.toJson(json, o);
    int bytes = optionsJson.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (bytes > Bounds.OPTIONS_JSON_BYTES) {
      // Every workflow of the plan carries its options: bounded so no input nears Temporal's limit.
      throw new ServiceException.Invalid(
          "options",
          "options: "
              + bytes
              + " bytes of JSON; a plan's options take at most "
              + Bounds.OPTIONS_JSON_BYTES
              + " (they travel in every migration's workflow input)",
          "max");
    }
    return new PlanRow(id, b.name(), m.id(), policy, optionsJson, created, now, null);
  }

  /**
   * A network-only plan (migrationType network) needs a mapping of networks only, within one
   * vCenter: refused at plan creation and again at each order, as the mapping may have changed.
   */
  static void requireNetworkOnly(MappingRow row, InfrastructureMapping m, PlanOptions o) {
    if (o.migrationType() != MigrationType.NETWORK) {
      return;
    }
    List<String> problems = m.networkOnlyProblems();
    if (!problems.isEmpty()) {
      throw new ServiceException.Invalid(
          "mapping",
          "mapping: '"
              + row.name()
              + "' cannot drive a network-only plan (options.migrationType network): "
              + String.join("; ", problems));
    }
  }

  private void validOptions(PlanOptions o) {
    if (o.concurrencyLimit() != null && o.concurrencyLimit() < 0) {
      throw new ServiceException.Invalid(
          "options.concurrencyLimit", "options.concurrencyLimit: must be 0 (none) or more");
    }
    if (o.autoConfirmAfter() != null
        && (o.autoConfirmAfter().isNegative() || o.autoConfirmAfter().isZero())) {
      throw new ServiceException.Invalid(
          "options.autoConfirmAfter", "options.autoConfirmAfter: must be a positive duration");
    }
    if (o.autoConfirmAfter() != null
        && o.autoConfirmAfter().compareTo(MigrationOptions.MAX_AUTO_CONFIRM) > 0) {
      throw new ServiceException.Invalid(
          "options.autoConfirmAfter",
          "options.autoConfirmAfter: at most "
              + MigrationOptions.MAX_AUTO_CONFIRM
              + " (a year), not "
              + o.autoConfirmAfter());
    }
    notTooFarAhead("options.windowStart", o.windowStart());
    notTooFarAhead("options.windowEnd", o.windowEnd());
    if (o.windowStart() != null
        && o.windowEnd() != null
        && !o.windowEnd().isAfter(o.windowStart())) {
      throw new ServiceException.Invalid(
          "options.windowEnd", "options.windowEnd: must be after options.windowStart");
    }
    hooks("options.preMigrationHooks", o.preMigrationHooks());
    hooks("options.postMigrationHooks", o.postMigrationHooks());
    hooks("options.postRollbackHooks", o.postRollbackHooks());
    admission(o);
  }

  /** The fifo policy is a baseline to compare against; it needs its throttle, and only it does. */
  private static void admission(PlanOptions o) {
    String policy = o.admissionPolicy();
    if (policy != null
        && !policy.equals(AdmissionLimits.VMIGRATE)
        && !policy.equals(AdmissionLimits.FIFO)) {
      throw new ServiceException.Invalid(
          "options.admissionPolicy",
          "options.admissionPolicy: must be 'vmigrate' or 'fifo', not '" + policy + "'");
    }
    boolean fifo = AdmissionLimits.FIFO.equals(policy);
    if (fifo && o.fifoThrottle() == null) {
      throw new ServiceException.Invalid(
          "options.fifoThrottle",
          "options.fifoThrottle: required with options.admissionPolicy fifo, 1 to 1000 VMs at once");
    }
    if (!fifo && o.fifoThrottle() != null) {
      throw new ServiceException.Invalid(
          "options.fifoThrottle",
          "options.fifoThrottle: only with options.admissionPolicy fifo (the policy is "
              + (policy == null ? AdmissionLimits.VMIGRATE : policy)
              + ")");
    }
    if (fifo && (o.fifoThrottle() < 1 || o.fifoThrottle() > 1000)) {
      throw new ServiceException.Invalid(
          "options.fifoThrottle",
          "options.fifoThrottle: 1 to 1000 VMs at once, not " + o.fifoThrottle());
    }
  }

  /**
   * How far ahead a time window may open or close. A year covers any migration weekend planned in
   * advance; a far-future instant is a typing mistake. The request waits for it on a durable timer
   * in its workflow, which cancel and pause interrupt.
   */
  static final Duration WINDOW_HORIZON = Duration.ofDays(366);

  private static void notTooFarAhead(String field, Instant at) {
    if (at != null && at.isAfter(Instant.now().plus(WINDOW_HORIZON))) {
      throw new ServiceException.Invalid(
          field, field + ": at most " + WINDOW_HORIZON + " from now, not " + at);
    }
  }

  /** Each hook must be an http(s) URL to an allowed destination; the error does not quote it. */
  private void hooks(String field, List<String> urls) {
    if (urls == null) {
      return;
    }
    for (int i = 0; i < urls.size(); i++) {
      var problem = hookDestinations.problem(urls.get(i));
      if (problem.isPresent()) {
        throw new ServiceException.Invalid(
            field + "[" + i + "]", field + "[" + i + "]: " + problem.get());
      }
    }
  }

  public PlanOptions options(PlanRow p) {
    try {
      return json.readValue(p.optionsJson(), PlanOptions.class);
    } catch (Exception e) {
      throw new IllegalStateException("plan " + p.id() + " options are unreadable", e);
    }
  }

  private PlanView view(PlanRow p) {
    // Each VM's status comes from the newest request of this plan that included it.
    Map<String, RequestVmRow> latest = new HashMap<>();
    for (RequestRow r : requests.findByPlanIdOrderByCreatedAtDesc(p.id())) {
      for (RequestVmRow rv : requestVms.findByRequestIdOrderByPosition(r.id())) {
        latest.putIfAbsent(rv.instanceUuid().toLowerCase(Locale.ROOT), rv);
      }
    }
    List<PlanVmView> vms =
        planVms.findByPlanIdOrderByPosition(p.id()).stream()
            .map(
                v -> {
                  RequestVmRow rv = latest.get(v.instanceUuid().toLowerCase(Locale.ROOT));
                  return new PlanVmView(
                      v.vmId(),
                      v.instanceUuid(),
                      v.name(),
                      rv == null ? "planned" : rv.state().toLowerCase(Locale.ROOT),
                      rv == null ? null : rv.requestId(),
                      v.remigrate() ? true : null);
                })
            .toList();
    return new PlanView(
        p.id(),
        p.name(),
        p.mappingId(),
        p.approvalPolicy(),
        options(p),
        vms,
        p.createdAt(),
        p.updatedAt(),
        p.archivedAt());
  }
}

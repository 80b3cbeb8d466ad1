package dev.vmigrate.api.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.api.db.MappingRepository;
import dev.vmigrate.api.db.MappingRow;
import dev.vmigrate.api.db.PlanRepository;
import dev.vmigrate.api.db.PlanRow;
import dev.vmigrate.api.db.PlanVmRepository;
import dev.vmigrate.api.db.PlanVmRow;
import dev.vmigrate.api.db.RequestRepository;
import dev.vmigrate.api.db.RequestRow;
import dev.vmigrate.api.db.RequestVmRepository;
import dev.vmigrate.api.db.RequestVmRow;
import dev.vmigrate.api.db.VcenterRepository;
import dev.vmigrate.api.db.VcenterRow;
import dev.vmigrate.api.web.Dtos.MappingBody;
import dev.vmigrate.api.web.Dtos.MappingView;
import dev.vmigrate.api.web.Dtos.PlanBody;
import dev.vmigrate.api.web.Dtos.PlanOptions;
import dev.vmigrate.api.web.Dtos.PlanSummary;
import dev.vmigrate.api.web.Dtos.PlanView;
import dev.vmigrate.api.web.Dtos.PlanVmView;
import dev.vmigrate.api.web.Dtos.VcenterBody;
import dev.vmigrate.api.web.Dtos.VcenterView;
import dev.vmigrate.api.web.Dtos.VmRef;
import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.VmInfo;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/** vCenter connections, mappings and plans: validation and storage. */
@Singleton
public class Catalog {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern THUMBPRINT =
      Pattern.compile("([0-9A-Fa-f]{2}:){19,31}[0-9A-Fa-f]{2}");

  private final VcenterRepository vcenters;
  private final MappingRepository mappings;
  private final PlanRepository plans;
  private final PlanVmRepository planVms;
  private final RequestRepository requests;
  private final RequestVmRepository requestVms;
  private final Inventories inventories;
  private final ObjectMapper json;

  public Catalog(
      VcenterRepository vcenters,
      MappingRepository mappings,
      PlanRepository plans,
      PlanVmRepository planVms,
      RequestRepository requests,
      RequestVmRepository requestVms,
      Inventories inventories,
      ObjectMapper json) {
    this.vcenters = vcenters;
    this.mappings = mappings;
    this.plans = plans;
    this.planVms = planVms;
    this.requests = requests;
    this.requestVms = requestVms;
    this.inventories = inventories;
    this.json = json;
  }

  // ---- vCenter connections ----

  public List<VcenterView> listVcenters() {
    return vcenters.listOrderById().stream().map(this::view).toList();
  }

  public VcenterView getVcenter(String id) {
    return view(vcenter(id, "id"));
  }

  @Transactional
  public VcenterView createVcenter(VcenterBody b) {
    if (b.id() == null || !ID.matcher(b.id()).matches()) {
      throw new ServiceException.Invalid(
          "id", "id: required, lower-case letters, digits and '-', at most 63 characters");
    }
    if (vcenters.existsById(b.id())) {
      throw new ServiceException.Conflict("id", "id: vCenter '" + b.id() + "' already exists");
    }
    Instant now = Instant.now();
    VcenterRow row = validVcenter(b.id(), b, now, now);
    requireConfiguredEndpoint(row);
    return view(vcenters.save(row));
  }

  @Transactional
  public VcenterView updateVcenter(String id, VcenterBody b) {
    VcenterRow old = vcenter(id, "id");
    if (b.id() != null && !b.id().equals(id)) {
      throw new ServiceException.Invalid("id", "id: cannot change a vCenter's id");
    }
    VcenterRow row = validVcenter(id, b, old.createdAt(), Instant.now());
    requireConfiguredEndpoint(row);
    return view(vcenters.update(row));
  }

  @Transactional
  public void deleteVcenter(String id) {
    vcenter(id, "id");
    if (mappings.existsBySourceVcenterOrDestinationVcenter(id, id)) {
      throw new ServiceException.Conflict("id", "id: vCenter '" + id + "' is used by a mapping");
    }
    vcenters.deleteById(id);
  }

  private static VcenterRow validVcenter(String id, VcenterBody b, Instant created, Instant now) {
    URI uri;
    try {
      uri = b.url() == null ? null : URI.create(b.url());
    } catch (IllegalArgumentException e) {
      throw new ServiceException.Invalid("url", "url: not a URL: " + e.getMessage());
    }
    if (uri == null || !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new ServiceException.Invalid("url", "url: required, an https:// URL of the vCenter");
    }
    if (uri.getUserInfo() != null) {
      throw new ServiceException.Invalid(
          "url", "url: must not carry credentials; use credentialsRef");
    }
    boolean insecure = Boolean.TRUE.equals(b.insecure());
    if (b.thumbprint() != null && !THUMBPRINT.matcher(b.thumbprint()).matches()) {
      throw new ServiceException.Invalid(
          "thumbprint",
          "thumbprint: expected a SHA-1 or SHA-256 fingerprint as hex pairs with ':'");
    }
    if (insecure && (b.thumbprint() != null || b.trustStore() != null)) {
      throw new ServiceException.Invalid(
          "insecure", "insecure: cannot be combined with a thumbprint or a trust store");
    }
    String ref = b.credentialsRef();
    if (ref == null || !(ref.matches("config:[A-Za-z0-9._-]+") || ref.matches("file:/.+"))) {
      throw new ServiceException.Invalid(
          "credentialsRef",
          "credentialsRef: required, 'config:<name>' (credentials in configuration) or"
              + " 'file:/absolute/path' (a secret file); the secret itself is never accepted");
    }
    return new VcenterRow(id, b.url(), b.thumbprint(), b.trustStore(), insecure, ref, created, now);
  }

  VcenterRow vcenter(String id, String field) {
    return vcenters
        .findById(id)
        .orElseThrow(
            () -> new ServiceException.NotFound(field, field + ": no vCenter '" + id + "'"));
  }

  /**
   * The record must name the endpoint that this deployment's configuration connects to for the id
   * (the configuration holds the credentials, so it is what every call uses): a record that says
   * otherwise would mislead whoever reads it.
   */
  private void requireConfiguredEndpoint(VcenterRow r) {
    Optional<URI> configured = otherConfiguredEndpoint(r);
    if (configured.isPresent()) {
      throw new ServiceException.Invalid(
          "url",
          "url: this deployment connects vCenter '"
              + r.id()
              + "' to "
              + configured.get()
              + " (vmigrate.vcenters."
              + r.id()
              + ".url); the record must name the same endpoint");
    }
  }

  /** The endpoint the configuration connects the record's id to, when it is not the record's. */
  private Optional<URI> otherConfiguredEndpoint(VcenterRow r) {
    return inventories
        .registry()
        .flatMap(reg -> reg.configuredUrl(r.id()))
        .filter(configured -> !sameEndpoint(configured, URI.create(r.url())));
  }

  private static boolean sameEndpoint(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private String connection(VcenterRow r) {
    Optional<GatewayRegistry> reg = inventories.registry();
    if (reg.isEmpty()) {
      return "unknown: this API process has no vSphere access";
    }
    if (!reg.get().isConfigured(r.id())) {
      return "not configured: add vmigrate.vcenters."
          + r.id()
          + ".* to the configuration of the API and the workers";
    }
    return otherConfiguredEndpoint(r)
        .map(configured -> "configured for another endpoint: " + configured)
        .orElse("configured");
  }

  private VcenterView view(VcenterRow r) {
    return new VcenterView(
        r.id(),
        r.url(),
        r.thumbprint(),
        r.trustStore(),
        r.insecure(),
        r.credentialsRef(),
        connection(r),
        r.createdAt(),
        r.updatedAt());
  }

  // ---- mappings ----

  public List<MappingView> listMappings() {
    return mappings.listOrderByName().stream().map(this::view).toList();
  }

  public MappingView getMapping(String idOrName) {
    return view(mappingRow(idOrName, "id"));
  }

  public MappingRow mappingRow(String idOrName, String field) {
    return mappings
        .findById(idOrName)
        .or(() -> mappings.findByName(idOrName))
        .orElseThrow(
            () -> new ServiceException.NotFound(field, field + ": no mapping '" + idOrName + "'"));
  }

  @Transactional
  public MappingView createMapping(MappingBody b) {
    if (b.name() != null && mappings.findByName(b.name()).isPresent()) {
      throw new ServiceException.Conflict(
          "name", "name: mapping '" + b.name() + "' already exists");
    }
    Instant now = Instant.now();
    return view(mappings.save(validMapping(UUID.randomUUID().toString(), b, now, now)));
  }

  @Transactional
  public MappingView updateMapping(String id, MappingBody b) {
    MappingRow old = mappingRow(id, "id");
    mappings
        .findByName(b.name() == null ? "" : b.name())
        .filter(o -> !o.id().equals(old.id()))
        .ifPresent(
            o -> {
              throw new ServiceException.Conflict(
                  "name", "name: mapping '" + b.name() + "' already exists");
            });
    return view(mappings.update(validMapping(old.id(), b, old.createdAt(), Instant.now())));
  }

  @Transactional
  public void deleteMapping(String id) {
    MappingRow row = mappingRow(id, "id");
    if (plans.existsByMappingId(row.id())) {
      throw new ServiceException.Conflict(
          "id", "id: mapping '" + row.name() + "' is used by a plan");
    }
    mappings.deleteById(row.id());
  }

  private MappingRow validMapping(String id, MappingBody b, Instant created, Instant now) {
    if (b.name() == null || b.name().isBlank()) {
      throw new ServiceException.Invalid("name", "name: required");
    }
    for (String f : List.of("sourceVcenter", "destinationVcenter")) {
      String v = f.equals("sourceVcenter") ? b.sourceVcenter() : b.destinationVcenter();
      if (v == null || !vcenters.existsById(v)) {
        throw new ServiceException.Invalid(
            f, f + ": " + (v == null ? "required" : "unknown vCenter '" + v + "'"));
      }
    }
    List<ClusterMapping> clusters = b.clusters() == null ? List.of() : b.clusters();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < clusters.size(); i++) {
      ClusterMapping c = clusters.get(i);
      String at = "clusters[" + i + "]";
      if (c == null || c.source() == null || c.source().isBlank()) {
        throw new ServiceException.Invalid(at + ".source", at + ".source: required");
      }
      if (c.destination() == null || c.destination().isBlank()) {
        throw new ServiceException.Invalid(at + ".destination", at + ".destination: required");
      }
      if (seen.putIfAbsent(c.source(), i) != null) {
        throw new ServiceException.Invalid(
            at + ".source", at + ".source: cluster '" + c.source() + "' is mapped twice");
      }
    }
    blankValues("datastores", b.datastores());
    blankValues("networks", b.networks());
    try {
      return new MappingRow(
          id,
          b.name(),
          b.sourceVcenter(),
          b.destinationVcenter(),
          json.writeValueAsString(clusters),
          json.writeValueAsString(b.datastores() == null ? Map.of() : b.datastores()),
          json.writeValueAsString(b.networks() == null ? Map.of() : b.networks()),
          created,
          now);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void blankValues(String field, Map<String, String> m) {
    if (m != null) {
      m.forEach(
          (k, v) -> {
            if (v == null || v.isBlank()) {
              throw new ServiceException.Invalid(
                  field + "." + k, field + "." + k + ": needs a destination name");
            }
          });
    }
  }

  /** The contract record of a stored mapping. */
  public InfrastructureMapping mapping(MappingRow r) {
    try {
      return new InfrastructureMapping(
          r.sourceVcenter(),
          r.destinationVcenter(),
          json.readValue(r.clustersJson(), new TypeReference<List<ClusterMapping>>() {}),
          json.readValue(r.datastoresJson(), new TypeReference<Map<String, String>>() {}),
          json.readValue(r.networksJson(), new TypeReference<Map<String, String>>() {}));
    } catch (Exception e) {
      throw new IllegalStateException("mapping " + r.id() + " is unreadable", e);
    }
  }

  private MappingView view(MappingRow r) {
    InfrastructureMapping m = mapping(r);
    return new MappingView(
        r.id(),
        r.name(),
        r.sourceVcenter(),
        r.destinationVcenter(),
        m.clusters(),
        m.datastores(),
        m.networks(),
        r.createdAt(),
        r.updatedAt());
  }

  // ---- plans ----

  public List<PlanSummary> listPlans() {
    return plans.listOrderByName().stream()
        .map(
            p ->
                new PlanSummary(
                    p.id(),
                    p.name(),
                    p.mappingId(),
                    p.approvalPolicy(),
                    planVms.findByPlanIdOrderByPosition(p.id()).size()))
        .toList();
  }

  public PlanRow planRow(String idOrName, String field) {
    return plans
        .findById(idOrName)
        .or(() -> plans.findByName(idOrName))
        .orElseThrow(
            () -> new ServiceException.NotFound(field, field + ": no plan '" + idOrName + "'"));
  }

  public PlanView getPlan(String idOrName) {
    return view(planRow(idOrName, "id"));
  }

  @Transactional
  public PlanView createPlan(PlanBody b) {
    if (b.name() != null && plans.findByName(b.name()).isPresent()) {
      throw new ServiceException.Conflict("name", "name: plan '" + b.name() + "' already exists");
    }
    Instant now = Instant.now();
    PlanRow row = validPlan(UUID.randomUUID().toString(), b, now, now);
    List<VmInfo> vms =
        resolveForPlan(row, b.vms() == null ? List.of() : b.vms(), i -> "vms[" + i + "]");
    plans.save(row);
    storeVms(row.id(), vms, 0);
    return view(row);
  }

  @Transactional
  public PlanView updatePlan(String idOrName, PlanBody b) {
    PlanRow old = planRow(idOrName, "id");
    plans
        .findByName(b.name() == null ? "" : b.name())
        .filter(o -> !o.id().equals(old.id()))
        .ifPresent(
            o -> {
              throw new ServiceException.Conflict(
                  "name", "name: plan '" + b.name() + "' already exists");
            });
    PlanRow row = validPlan(old.id(), b, old.createdAt(), Instant.now());
    plans.update(row);
    if (b.vms() != null) {
      List<VmInfo> vms = resolveForPlan(row, b.vms(), i -> "vms[" + i + "]");
      planVms.deleteByPlanId(row.id());
      storeVms(row.id(), vms, 0);
    }
    return view(row);
  }

  @Transactional
  public void deletePlan(String idOrName) {
    PlanRow row = planRow(idOrName, "id");
    if (requests.existsByPlanIdAndRequestStateNotEqual(row.id(), "finished")) {
      throw new ServiceException.Conflict(
          "id", "id: plan '" + row.name() + "' has an open request");
    }
    for (RequestRow r : requests.findByPlanIdOrderByCreatedAtDesc(row.id())) {
      requests.deleteById(r.id()); // rows of request_vm go with ON DELETE CASCADE
    }
    planVms.deleteByPlanId(row.id());
    plans.deleteById(row.id());
  }

  /** Appends imported VMs to a plan; the import is all or nothing. */
  @Transactional
  public int importVms(String idOrName, List<VmRef> refs, IntFunction<String> label) {
    PlanRow plan = planRow(idOrName, "id");
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
    storeVms(plan.id(), vms, existing.size());
    return vms.size();
  }

  private List<VmInfo> resolveForPlan(PlanRow plan, List<VmRef> refs, IntFunction<String> label) {
    if (refs.isEmpty()) {
      return List.of();
    }
    MappingRow mrow = mappingRow(plan.mappingId(), "mapping");
    InfrastructureMapping m = mapping(mrow);
    Inventory inv = inventories.inventory(m.sourceVcenter(), "mapping.sourceVcenter");
    List<VmInfo> vms = inventories.resolve(inv, m.sourceVcenter(), refs, label);
    for (int i = 0; i < vms.size(); i++) {
      List<String> gaps = Inventories.mappingGaps(vms.get(i), inv, m);
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

  private void storeVms(String planId, List<VmInfo> vms, int firstPosition) {
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
              v.name()));
    }
    planVms.saveAll(rows);
  }

  private PlanRow validPlan(String id, PlanBody b, Instant created, Instant now) {
    if (b.name() == null || b.name().isBlank()) {
      throw new ServiceException.Invalid("name", "name: required");
    }
    if (b.mapping() == null) {
      throw new ServiceException.Invalid("mapping", "mapping: required, a mapping's id or name");
    }
    MappingRow m =
        mappings
            .findById(b.mapping())
            .or(() -> mappings.findByName(b.mapping()))
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
    if (o.concurrencyLimit() != null && o.concurrencyLimit() < 0) {
      throw new ServiceException.Invalid(
          "options.concurrencyLimit", "options.concurrencyLimit: must be 0 (none) or more");
    }
    if (o.autoConfirmAfter() != null
        && (o.autoConfirmAfter().isNegative() || o.autoConfirmAfter().isZero())) {
      throw new ServiceException.Invalid(
          "options.autoConfirmAfter", "options.autoConfirmAfter: must be a positive duration");
    }
    if (o.windowStart() != null
        && o.windowEnd() != null
        && !o.windowEnd().isAfter(o.windowStart())) {
      throw new ServiceException.Invalid(
          "options.windowEnd", "options.windowEnd: must be after options.windowStart");
    }
    hooks("options.preMigrationHooks", o.preMigrationHooks());
    hooks("options.postMigrationHooks", o.postMigrationHooks());
    try {
      return new PlanRow(id, b.name(), m.id(), policy, json.writeValueAsString(o), created, now);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void hooks(String field, List<String> urls) {
    if (urls == null) {
      return;
    }
    for (int i = 0; i < urls.size(); i++) {
      String u = urls.get(i);
      URI uri;
      try {
        uri = u == null ? null : URI.create(u);
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      if (uri == null
          || uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new ServiceException.Invalid(
            field + "[" + i + "]", field + "[" + i + "]: not an http(s) URL: '" + u + "'");
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
                      rv == null ? null : rv.requestId());
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
        p.updatedAt());
  }
}

package dev.vmigrate.api.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.api.db.MappingRepository;
import dev.vmigrate.api.db.MappingRow;
import dev.vmigrate.api.db.PlanRepository;
import dev.vmigrate.api.db.PlanRow;
import dev.vmigrate.api.web.Bounds;
import dev.vmigrate.api.web.Dtos.MappingBody;
import dev.vmigrate.api.web.Dtos.MappingView;
import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.InfrastructureMapping;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Infrastructure mappings: validation, storage, and their contract records. */
@Singleton
public class MappingCatalog {
  private final MappingRepository mappings;
  private final PlanRepository plans;
  private final VcenterCatalog vcenters;
  private final ObjectMapper json;

  public MappingCatalog(
      MappingRepository mappings,
      PlanRepository plans,
      VcenterCatalog vcenters,
      ObjectMapper json) {
    this.mappings = mappings;
    this.plans = plans;
    this.vcenters = vcenters;
    this.json = json;
  }

  public List<MappingView> listMappings() {
    return mappings.listOrderByName().stream().map(this::view).toList();
  }

  public MappingView getMapping(String idOrName) {
    return view(mappingRow(idOrName, "id"));
  }

  /** The mapping with this id or name, if any. */
  public Optional<MappingRow> find(String idOrName) {
    return CatalogSupport.byIdOrName(idOrName, mappings::findById, mappings::findByName);
  }

  /** The mapping with this id or name; NotFound naming {@code field} otherwise. */
  public MappingRow mappingRow(String idOrName, String field) {
    return find(idOrName)
        .orElseThrow(
            () -> new ServiceException.NotFound(field, field + ": no mapping '" + idOrName + "'"));
  }

  @Transactional
  public MappingView createMapping(MappingBody b) {
    CatalogSupport.requireUniqueName("mapping", b.name(), mappings::findByName, o -> false);
    Instant now = Instant.now();
    MappingRow row = validMapping(UUID.randomUUID().toString(), b, now, now);
    return view(CatalogSupport.storeNamed("mapping", row.name(), () -> mappings.save(row)));
  }

  @Transactional
  public MappingView updateMapping(String id, MappingBody b) {
    MappingRow old = mappingRow(id, "id");
    CatalogSupport.requireUniqueName(
        "mapping", b.name(), mappings::findByName, o -> o.id().equals(old.id()));
    MappingRow row = validMapping(old.id(), b, old.createdAt(), Instant.now());
    return view(CatalogSupport.storeNamed("mapping", row.name(), () -> mappings.update(row)));
  }

  @Transactional
  public void deleteMapping(String id) {
    MappingRow row = mappingRow(id, "id");
    List<PlanRow> users = plans.findByMappingIdOrderByName(row.id());
    if (!users.isEmpty()) {
      PlanRow p = users.get(0);
      throw new ServiceException.Conflict(
          "id",
          "id: mapping '"
              + row.name()
              + "' is used by plan '"
              + p.name()
              + "'"
              + (p.archived() ? " (archived, kept for its requests)" : "")
              + (users.size() > 1 ? " and " + (users.size() - 1) + " more" : ""));
    }
    mappings.deleteById(row.id());
  }

  private MappingRow validMapping(String id, MappingBody b, Instant created, Instant now) {
    if (b.name() == null || b.name().isBlank()) {
      throw new ServiceException.Invalid("name", "name: required");
    }
    Columns.requireFits("name", b.name(), Columns.NAME);
    knownVcenter("sourceVcenter", b.sourceVcenter());
    knownVcenter("destinationVcenter", b.destinationVcenter());
    List<ClusterMapping> clusters =
        b.clusters() == null
            ? List.of()
            : b.clusters().stream().map(c -> c == null ? null : c.toModel()).toList();
    validClusters(clusters);
    blankValues("datastores", b.datastores());
    blankValues("networks", b.networks());
    String clustersJson = CatalogSupport.toJson(json, clusters);
    String datastoresJson =
        CatalogSupport.toJson(json, b.datastores() == null ? Map.of() : b.datastores());
    String networksJson =
        CatalogSupport.toJson(json, b.networks() == null ? Map.of() : b.networks());
    fitsAWorkflowInput(clustersJson, datastoresJson, networksJson);
    return new MappingRow(
        id,
        b.name(),
        b.sourceVcenter(),
        b.destinationVcenter(),
        clustersJson,
        datastoresJson,
        networksJson,
        created,
        now);
  }

  /**
   * Every request and migration workflow of a plan carries its mapping in its input: bounded in
   * bytes (Bounds.MAPPING_JSON_BYTES), so that no accepted mapping can bring an input near
   * Temporal's payload limit. The refusal names the largest of the three parts.
   */
  private static void fitsAWorkflowInput(String clusters, String datastores, String networks) {
    int c = utf8(clusters);
    int d = utf8(datastores);
    int n = utf8(networks);
    long total = (long) c + d + n;
    if (total > Bounds.MAPPING_JSON_BYTES) {
      String field = c >= d && c >= n ? "clusters" : d >= n ? "datastores" : "networks";
      throw new ServiceException.Invalid(
          field,
          field
              + ": clusters, datastores and networks take "
              + total
              + " bytes of JSON together; a mapping takes at most "
              + Bounds.MAPPING_JSON_BYTES
              + " (it travels in every migration's workflow input)",
          "max");
    }
  }

  private static int utf8(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private void knownVcenter(String field, String id) {
    if (id == null || !vcenters.exists(id)) {
      throw new ServiceException.Invalid(
          field, field + ": " + (id == null ? "required" : "unknown vCenter '" + id + "'"));
    }
  }

  private static void validClusters(List<ClusterMapping> clusters) {
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
}

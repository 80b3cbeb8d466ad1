package dev.vmigrate.api.service;

import dev.vmigrate.api.db.MappingRepository;
import dev.vmigrate.api.db.VcenterRepository;
import dev.vmigrate.api.db.VcenterRow;
import dev.vmigrate.api.web.Dtos.VcenterBody;
import dev.vmigrate.api.web.Dtos.VcenterView;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.VcenterUrl;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** vCenter connections: validation and storage. */
@Singleton
public class VcenterCatalog {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern THUMBPRINT =
      Pattern.compile("([0-9A-Fa-f]{2}:){19,31}[0-9A-Fa-f]{2}");

  private final VcenterRepository vcenters;
  private final MappingRepository mappings;
  private final Inventories inventories;

  public VcenterCatalog(
      VcenterRepository vcenters, MappingRepository mappings, Inventories inventories) {
    this.vcenters = vcenters;
    this.mappings = mappings;
    this.inventories = inventories;
  }

  public List<VcenterView> listVcenters() {
    return vcenters.listOrderById().stream().map(this::view).toList();
  }

  public VcenterView getVcenter(String id) {
    return view(vcenter(id, "id"));
  }

  /** Whether a vCenter with this id is stored. */
  public boolean exists(String id) {
    return vcenters.existsById(id);
  }

  @Transactional
  public VcenterView createVcenter(VcenterBody b) {
    if (b.id() == null || !ID.matcher(b.id()).matches()) {
      throw new ServiceException.Invalid(
          "id", "id: required, lower-case letters, digits and '-', at most 63 characters");
    }
    if (vcenters.existsById(b.id())) {
      throw duplicate(b.id());
    }
    Instant now = Instant.now();
    VcenterRow row = validVcenter(b.id(), b, now, now);
    requireConfiguredEndpoint(row);
    // Another client may have stored the id since existsById looked.
    return view(DatabaseErrors.unique(() -> vcenters.save(row), () -> duplicate(row.id())));
  }

  private static ServiceException duplicate(String id) {
    return new ServiceException.Conflict("id", "id: vCenter '" + id + "' already exists");
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
    Columns.requireFits("url", b.url(), Columns.VCENTER_TEXT);
    Columns.requireFits("trustStore", b.trustStore(), Columns.VCENTER_TEXT);
    Columns.requireFits("credentialsRef", b.credentialsRef(), Columns.VCENTER_TEXT);
    try {
      VcenterUrl.parse("url", b.url());
    } catch (IllegalArgumentException e) {
      throw new ServiceException.Invalid("url", e.getMessage());
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

  private VcenterRow vcenter(String id, String field) {
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
}

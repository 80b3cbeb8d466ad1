package dev.vmigrate.worker;

import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.VcenterUrl;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.simulated.SimulatedInventories;
import dev.vmigrate.vsphere.vim25.SoapCallObserver;
import dev.vmigrate.vsphere.vim25.Vim25Connection;
import dev.vmigrate.vsphere.vim25.Vim25Gateway;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateways of the configured vCenters: the vim25 client for real endpoints, the in-process
 * simulated vSphere for those marked {@code simulated}. Gateways are created on first use, so a
 * vCenter that is down does not stop the worker from serving the others.
 */
public final class ConfiguredGateways implements GatewayRegistry {
  private static final Logger log = LoggerFactory.getLogger(ConfiguredGateways.class);
  private static final long DEMO_SEED = 42;

  private final Map<String, VcenterProperties> byId = new HashMap<>();
  private final Map<String, VsphereGateway> gateways = new ConcurrentHashMap<>();
  private final SoapCallObserver calls;

  /**
   * @throws IllegalArgumentException when a real vCenter's URL breaks {@link VcenterUrl}'s rule,
   *     naming its configuration key: a misconfigured endpoint is refused at start, as the API
   *     refuses it in a vCenter record
   */
  public ConfiguredGateways(List<VcenterProperties> vcenters) {
    this(vcenters, SoapCallObserver.NONE);
  }

  /** As above, with every vim25 gateway telling {@code calls} about its SOAP calls (metrics). */
  public ConfiguredGateways(List<VcenterProperties> vcenters, SoapCallObserver calls) {
    this.calls = calls;
    for (VcenterProperties v : vcenters) {
      if (!v.simulated() && v.url() != null) {
        VcenterUrl.parse("vmigrate.vcenters." + v.id() + ".url", v.url());
      }
      byId.put(v.id(), v);
    }
  }

  /** The configured vCenter ids, one task queue each. */
  public List<String> ids() {
    return byId.keySet().stream().sorted().toList();
  }

  @Override
  public VsphereGateway forVcenter(String vcenterId) {
    VcenterProperties props = byId.get(vcenterId);
    if (props == null) {
      throw new VsphereException.InvalidRequest(
          "InvalidArgument",
          "vCenter " + vcenterId + " is not configured (vmigrate.vcenters." + vcenterId + ")");
    }
    return gateways.computeIfAbsent(vcenterId, id -> create(props));
  }

  @Override
  public boolean isConfigured(String vcenterId) {
    return byId.containsKey(vcenterId);
  }

  @Override
  public Optional<URI> configuredUrl(String vcenterId) {
    VcenterProperties p = byId.get(vcenterId);
    if (p == null || p.simulated() || p.url() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(URI.create(p.url()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private VsphereGateway create(VcenterProperties p) {
    if (p.simulated()) {
      log.info("{}: simulated inventory of {} VMs", p, p.simulatedVms());
      return SimulatedInventories.demo(p.id(), DEMO_SEED, 2, 3, 4, p.simulatedVms()).build();
    }
    return new Vim25Gateway(Vim25Connection.fromConfig(p.id(), connectionConfig(p)), calls);
  }

  /** Maps the worker's configuration keys onto the vim25 client's. */
  static Map<String, String> connectionConfig(VcenterProperties p) {
    Map<String, String> c = new HashMap<>();
    put(c, "url", p.url());
    put(c, "username", p.username());
    put(c, "password-file", p.passwordFile());
    if (p.insecure()) {
      log.warn("{}: TLS certificate verification is DISABLED by configuration", p);
      c.put("tls.mode", "insecure-skip-verify");
    } else if (p.thumbprint() != null) {
      c.put("tls.mode", "pinned-thumbprint");
      c.put("tls.thumbprint", p.thumbprint());
    } else if (p.trustStore() != null) {
      c.put("tls.mode", "trust-store");
      c.put("tls.trust-store", p.trustStore());
    }
    return c;
  }

  private static void put(Map<String, String> c, String key, String value) {
    if (value != null) {
      c.put(key, value);
    }
  }
}

package dev.vmigrate.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.vim25.Vim25Gateway;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfiguredGatewaysTest {

  private static VcenterProperties real(String thumbprint, String trustStore, boolean insecure) {
    return new VcenterProperties(
        "vc-a",
        "https://vc-a.example/sdk",
        "svc-migrate",
        "/run/secrets/vc-a",
        thumbprint,
        trustStore,
        insecure,
        false,
        0);
  }

  @Test
  void tlsIsVerifiedAgainstTheJvmTrustStoreUnlessConfiguredOtherwise() {
    assertFalse(
        ConfiguredGateways.connectionConfig(real(null, null, false)).containsKey("tls.mode"));
    Map<String, String> pinned = ConfiguredGateways.connectionConfig(real("AB:CD", null, false));
    assertEquals("pinned-thumbprint", pinned.get("tls.mode"));
    assertEquals("AB:CD", pinned.get("tls.thumbprint"));
    assertEquals(
        "trust-store",
        ConfiguredGateways.connectionConfig(real(null, "/etc/vc.p12", false)).get("tls.mode"));
    assertEquals(
        "insecure-skip-verify",
        ConfiguredGateways.connectionConfig(real("AB:CD", null, true)).get("tls.mode"));
    assertEquals(
        "/run/secrets/vc-a",
        ConfiguredGateways.connectionConfig(real(null, null, false)).get("password-file"));
  }

  @Test
  void simulatedAndRealVcentersResolveByIdAndAnUnknownOneNamesItsConfigKey() {
    VcenterProperties lab =
        new VcenterProperties("lab", null, null, null, null, null, false, true, 30);
    ConfiguredGateways gateways = new ConfiguredGateways(List.of(lab, real(null, null, false)));

    assertEquals(List.of("lab", "vc-a"), gateways.ids());
    VsphereGateway simulated = gateways.forVcenter("lab");
    assertEquals(30, simulated.inventory().vms().size());
    assertSame(simulated, gateways.forVcenter("lab"), "one gateway per vCenter");
    assertTrue(gateways.forVcenter("vc-a") instanceof Vim25Gateway);
    VsphereException e =
        assertThrows(VsphereException.class, () -> gateways.forVcenter("vc-missing"));
    assertTrue(e.getMessage().contains("vmigrate.vcenters.vc-missing"), e.getMessage());
    assertFalse(e.retryable());

    assertTrue(gateways.isConfigured("lab") && gateways.isConfigured("vc-a"));
    assertFalse(gateways.isConfigured("vc-missing"));
    assertEquals(
        Optional.of(URI.create("https://vc-a.example/sdk")), gateways.configuredUrl("vc-a"));
    assertEquals(Optional.empty(), gateways.configuredUrl("lab"), "simulated: no endpoint");
    assertEquals(Optional.empty(), gateways.configuredUrl("vc-missing"));
  }

  @Test
  void aLoopbackHttpTestEndpointIsAcceptedAndPlainHttpElsewhereRefusedNamingTheKey() {
    VcenterProperties vcsim =
        new VcenterProperties(
            "vcsim",
            "http://127.0.0.1:8989/sdk",
            "u",
            "/run/secrets/u",
            null,
            null,
            false,
            false,
            0);
    ConfiguredGateways gateways = new ConfiguredGateways(List.of(vcsim));
    assertTrue(gateways.forVcenter("vcsim") instanceof Vim25Gateway);
    assertEquals(
        Optional.of(URI.create("http://127.0.0.1:8989/sdk")), gateways.configuredUrl("vcsim"));

    VcenterProperties plain = endpoint("vc01", "http://vcenter.example.com/sdk");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ConfiguredGateways(List.of(plain)));
    assertEquals(
        "vmigrate.vcenters.vc01.url: plain http:// is allowed only to a loopback host"
            + " (127.0.0.0/8, ::1, localhost), not vcenter.example.com; use https://",
        e.getMessage());
  }

  private static VcenterProperties endpoint(String id, String url) {
    return new VcenterProperties(id, url, "u", "/run/secrets/u", null, null, false, false, 0);
  }
}

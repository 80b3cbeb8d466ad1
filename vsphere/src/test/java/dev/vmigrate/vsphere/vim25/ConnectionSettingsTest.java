package dev.vmigrate.vsphere.vim25;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionSettingsTest {

  @Test
  void toStringNeverShowsThePassword() {
    Vim25Connection c =
        new Vim25Connection(
            "vc1",
            URI.create("https://vc1.example.com/sdk"),
            "svc-vmigrate",
            PasswordSource.of("s3cret!"),
            null,
            null,
            null);
    assertFalse(c.toString().contains("s3cret"), c.toString());
    assertTrue(c.toString().contains("password=****"));
    assertFalse(PasswordSource.of("s3cret!").toString().contains("s3cret"));
    assertEquals(TlsSettings.Mode.JVM_TRUST_STORE, c.tls().mode(), "verified by default");
  }

  @Test
  void plainHttpOnlyOnLoopback() {
    PasswordSource p = PasswordSource.of("x");
    new Vim25Connection("a", URI.create("http://127.0.0.1:8989/sdk"), "u", p, null, null, null);
    new Vim25Connection("a", URI.create("http://localhost:8989/sdk"), "u", p, null, null, null);
    new Vim25Connection("a", URI.create("http://[::1]:8989/sdk"), "u", p, null, null, null);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Vim25Connection(
                "a", URI.create("http://vc1.example.com/sdk"), "u", p, null, null, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Vim25Connection("a", URI.create("ftp://vc1/sdk"), "u", p, null, null, null));
  }

  @Test
  void secretFileIsReadAtEachLoginWithoutItsLineBreak(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("vc1.password");
    Files.writeString(secret, "first\n");
    Vim25Connection c =
        Vim25Connection.fromConfig(
            "vc1",
            Map.of(
                "url", "https://vc1.example.com/sdk",
                "username", "svc",
                "password-file", secret.toString(),
                "tls.mode", "pinned-thumbprint",
                "tls.thumbprint", "AA:".repeat(31) + "AA",
                "call-timeout", "PT45S"));
    assertEquals("first", c.password().password());
    Files.writeString(secret, "rotated\r\n");
    assertEquals("rotated", c.password().password());
    assertEquals(TlsSettings.Mode.PINNED_THUMBPRINT, c.tls().mode());
    assertEquals("aa".repeat(32), c.tls().thumbprint());
    assertEquals(45, c.callTimeout().toSeconds());
    assertFalse(c.toString().contains("rotated"));
  }

  @Test
  void configurationNeedsUrlUserAndPassword() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Vim25Connection.fromConfig("vc1", Map.of("url", "https://vc1/sdk", "username", "u")));
    assertThrows(IllegalArgumentException.class, () -> TlsSettings.pinned("abcd"));
  }

  @Test
  void idsMapToManagedObjectTypes() {
    assertEquals("VirtualMachine", MoRef.of("vm-42").type());
    assertEquals("ClusterComputeResource", MoRef.of("domain-c7").type());
    assertEquals("ClusterComputeResource", MoRef.of("clustercomputeresource-7").type());
    assertEquals("Folder", MoRef.of("group-v4").type());
    assertEquals("ResourcePool", MoRef.of("resgroup-5").type());
    assertEquals("DistributedVirtualPortgroup", MoRef.of("dvportgroup-3").type());
    assertEquals("Network", MoRef.of("network-9").type());
    assertThrows(IllegalArgumentException.class, () -> MoRef.of("/tmp/ds@folder-5"));
  }

  @Test
  void hardwareVersionFollowsTheEsxiRelease() {
    assertEquals("vmx-13", InventoryAssembler.maxHardwareVersion("6.5.0"));
    assertEquals("vmx-14", InventoryAssembler.maxHardwareVersion("6.7.0"));
    assertEquals("vmx-17", InventoryAssembler.maxHardwareVersion("7.0.3"));
    assertEquals("vmx-20", InventoryAssembler.maxHardwareVersion("8.0.2"));
  }
}

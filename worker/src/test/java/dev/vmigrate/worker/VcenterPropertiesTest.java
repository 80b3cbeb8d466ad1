package dev.vmigrate.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VcenterPropertiesTest {

  @Test
  void bindsEachVcenterAndNeverPrintsItsSecretFile(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("vc-a.password");
    Files.writeString(secret, "s3cr3t!\n");
    try (ApplicationContext ctx =
        ApplicationContext.run(
            Map.of(
                "vmigrate.vcenters.vc-a.url", "https://vc-a.example/sdk",
                "vmigrate.vcenters.vc-a.username", "svc-migrate",
                "vmigrate.vcenters.vc-a.password-file", secret.toString(),
                "vmigrate.vcenters.lab.simulated", "true",
                "vmigrate.worker.enabled", "false"))) {
      Map<String, VcenterProperties> byId =
          ctx.getBeansOfType(VcenterProperties.class).stream()
              .collect(java.util.stream.Collectors.toMap(VcenterProperties::id, v -> v));

      assertEquals(2, byId.size());
      VcenterProperties a = byId.get("vc-a");
      assertEquals("https://vc-a.example/sdk", a.url());
      assertFalse(a.insecure(), "TLS is verified unless explicitly disabled");
      assertTrue(byId.get("lab").simulated());
      assertFalse(a.toString().contains(secret.toString()));
      assertFalse(a.toString().contains("svc-migrate"));
      assertArrayEquals(
          "s3cr3t!".toCharArray(), SecretFile.read("password-file", a.passwordFile()));
    }
  }

  @Test
  void missingSecretFileNamesTheFieldNotTheContent(@TempDir Path dir) {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                SecretFile.read(
                    "vmigrate.vcenters.vc-a.password-file", dir.resolve("absent").toString()));
    assertTrue(e.getMessage().startsWith("vmigrate.vcenters.vc-a.password-file: cannot read"));
  }

  @Test
  void theWorkerRefusesAPlainHttpVcenterOffLoopbackAtStartNamingTheKey() {
    try (ApplicationContext ctx =
        ApplicationContext.run(
            Map.of(
                "vmigrate.vcenters.vc01.url", "http://vcenter.example.com/sdk",
                "vmigrate.vcenters.vc01.username", "svc-migrate",
                "vmigrate.worker.enabled", "false"))) {
      Exception e = assertThrows(Exception.class, () -> ctx.getBean(ConfiguredGateways.class));
      assertTrue(
          e.getMessage()
              .contains(
                  "vmigrate.vcenters.vc01.url: plain http:// is allowed only to a loopback host"),
          e.getMessage());
    }
    try (ApplicationContext ctx =
        ApplicationContext.run(
            Map.of(
                "vmigrate.vcenters.vcsim.url", "http://127.0.0.1:8989/sdk",
                "vmigrate.vcenters.vcsim.username", "u",
                "vmigrate.worker.enabled", "false"))) {
      assertTrue(ctx.getBean(ConfiguredGateways.class).isConfigured("vcsim"));
    }
  }
}

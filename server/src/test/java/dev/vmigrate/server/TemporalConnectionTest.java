package dev.vmigrate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.envconfig.LoadClientConfigProfileOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a process's Temporal connection is resolved: flags over vmigrate's configuration over
 * Temporal's TEMPORAL_* variables over its TOML profile over the defaults, and that no API key
 * leaves the process in a string. Temporal's environment is given to the SDK's loader here, so the
 * test does not read the machine's.
 */
class TemporalConnectionTest {
  @TempDir Path dir;

  private static final String TOML =
      """
      [profile.default]
      address = "toml-host:7233"
      namespace = "toml-ns"

      [profile.prod]
      address = "prod.example.com:7233"
      namespace = "prod-ns"
      api_key = "toml-api-key-VALUE"

      [profile.prod.tls]
      server_name = "frontend.prod.example.com"
      """;

  private static LoadClientConfigProfileOptions.Builder temporalEnv(
      String toml, Map<String, String> env) {
    LoadClientConfigProfileOptions.Builder b =
        LoadClientConfigProfileOptions.newBuilder().setEnvOverrides(env);
    if (toml == null) {
      return b.setDisableFile(true);
    }
    return b.setConfigFileData(toml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void nothingConfiguredIsTheLocalDefaultWithoutTls() {
    TemporalConnection c =
        TemporalConnection.resolve(TemporalSettings.NONE, temporalEnv(null, Map.of()));
    assertEquals("127.0.0.1:7233", c.address());
    assertFalse(c.addressGiven());
    assertEquals("default", c.namespace());
    assertNull(c.tls());
    assertNull(c.apiKey());
  }

  @Test
  void eachLayerOutranksTheOneBelow() {
    Map<String, String> env = new HashMap<>();
    // TOML profile alone
    TemporalConnection c =
        TemporalConnection.resolve(TemporalSettings.NONE, temporalEnv(TOML, env));
    assertEquals("toml-host:7233", c.address());
    assertTrue(c.addressGiven());
    assertEquals("toml-ns", c.namespace());

    // TEMPORAL_* variables over the profile
    env.put("TEMPORAL_ADDRESS", "env-host:7233");
    c = TemporalConnection.resolve(TemporalSettings.NONE, temporalEnv(TOML, env));
    assertEquals("env-host:7233", c.address());
    assertEquals("toml-ns", c.namespace(), "a variable replaces only its own setting");

    // VMIGRATE_TEMPORAL_* over TEMPORAL_*
    TemporalSettings vmigrateEnv =
        TemporalSettings.fromEnvironment(
            Map.of(
                "VMIGRATE_TEMPORAL_ADDRESS", "vmigrate-env:7233",
                "VMIGRATE_TEMPORAL_NAMESPACE", "vmigrate-env-ns"));
    c = TemporalConnection.resolve(vmigrateEnv, temporalEnv(TOML, env));
    assertEquals("vmigrate-env:7233", c.address());
    assertEquals("vmigrate-env-ns", c.namespace());

    // a --config file over VMIGRATE_TEMPORAL_*
    TemporalSettings file =
        TemporalSettings.fromProperties(Map.of("vmigrate.temporal.address", "file-host:7233"));
    c = TemporalConnection.resolve(file.over(vmigrateEnv), temporalEnv(TOML, env));
    assertEquals("file-host:7233", c.address());
    assertEquals("vmigrate-env-ns", c.namespace());

    // a flag over everything
    TemporalSettings flags = TemporalSettings.of(null, "flag-ns");
    c = TemporalConnection.resolve(flags.over(file).over(vmigrateEnv), temporalEnv(TOML, env));
    assertEquals("file-host:7233", c.address());
    assertEquals("flag-ns", c.namespace());
  }

  @Test
  void aProfileIsChosenByFlagAndAnApiKeyTurnsTlsOn() {
    TemporalSettings flags =
        new TemporalSettings(null, null, "prod", null, null, null, null, null, null);
    TemporalConnection c = TemporalConnection.resolve(flags, temporalEnv(TOML, Map.of()));
    assertEquals("prod.example.com:7233", c.address());
    assertEquals("prod-ns", c.namespace());
    assertEquals("toml-api-key-VALUE", c.apiKey().reveal());
    assertNotNull(c.tls(), "an API key is sent over TLS only");
    assertEquals("frontend.prod.example.com", c.tls().serverName());
    assertNull(c.tls().ca(), "no CA file: the JVM's trusted CAs");
    assertEquals("prod.example.com:7233, namespace prod-ns, TLS, API key", c.describe());
  }

  @Test
  void anUnknownProfileIsAnErrorNamingIt() {
    TemporalSettings flags =
        new TemporalSettings(null, null, "staging", null, null, null, null, null, null);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TemporalConnection.resolve(flags, temporalEnv(TOML, Map.of())));
    assertTrue(e.getMessage().contains("staging"), e.getMessage());
  }

  @Test
  void theClusterContractOfTemporalVariablesGivesMutualTls() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "ca");
    Path cert = Files.writeString(dir.resolve("client.pem"), "cert");
    Path key = Files.writeString(dir.resolve("client.key"), "key");
    Map<String, String> env =
        Map.of(
            "TEMPORAL_ADDRESS",
            "127.0.0.1:17233",
            "TEMPORAL_NAMESPACE",
            "vmigrate",
            "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
            ca.toString(),
            "TEMPORAL_TLS_SERVER_NAME",
            "frontend.cluster",
            "TEMPORAL_TLS_CLIENT_CERT_PATH",
            cert.toString(),
            "TEMPORAL_TLS_CLIENT_KEY_PATH",
            key.toString());
    TemporalConnection c =
        TemporalConnection.resolve(TemporalSettings.NONE, temporalEnv(null, env));
    assertEquals("127.0.0.1:17233", c.address());
    assertEquals("vmigrate", c.namespace());
    assertEquals("frontend.cluster", c.tls().serverName());
    assertEquals(ca, c.tls().ca());
    assertEquals(cert, c.tls().cert());
    assertEquals(key, c.tls().key());
    assertEquals("127.0.0.1:17233, namespace vmigrate, mTLS", c.describe());

    // A flag's file replaces the variable's.
    Path other = Files.writeString(dir.resolve("other-ca.pem"), "ca");
    TemporalSettings flags =
        new TemporalSettings(null, null, null, other.toString(), null, null, null, null, null);
    assertEquals(other, TemporalConnection.resolve(flags, temporalEnv(null, env)).tls().ca());
  }

  @Test
  void tlsOffInTemporalsVariablesIsOff() {
    TemporalConnection c =
        TemporalConnection.resolve(
            TemporalSettings.NONE,
            temporalEnv(null, Map.of("TEMPORAL_ADDRESS", "h:7233", "TEMPORAL_TLS", "false")));
    assertNull(c.tls());
    c =
        TemporalConnection.resolve(
            TemporalSettings.NONE,
            temporalEnv(null, Map.of("TEMPORAL_ADDRESS", "h:7233", "TEMPORAL_TLS", "true")));
    assertNotNull(c.tls());
  }

  @Test
  void badSettingsAreErrorsNamingTheSetting() throws Exception {
    Map<String, String> noEnv = Map.of();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TemporalConnection.resolve(
                    TemporalSettings.of("no-port", null), temporalEnv(null, noEnv)));
    assertTrue(
        e.getMessage().startsWith("Temporal address: 'no-port' is not HOST:PORT"), e.getMessage());

    Path cert = Files.writeString(dir.resolve("only-cert.pem"), "cert");
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TemporalConnection.resolve(
                    new TemporalSettings(
                        "h:1", null, null, null, null, cert.toString(), null, null, null),
                    temporalEnv(null, noEnv)));
    assertTrue(e.getMessage().contains("--temporal-tls-key"), e.getMessage());

    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TemporalConnection.resolve(
                    new TemporalSettings(
                        "h:1",
                        null,
                        null,
                        dir.resolve("missing.pem").toString(),
                        null,
                        null,
                        null,
                        null,
                        null),
                    temporalEnv(null, noEnv)));
    assertEquals(
        "Temporal TLS CA certificate: cannot read file " + dir.resolve("missing.pem"),
        e.getMessage());

    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TemporalSettings.fromEnvironment(
                    Map.of("VMIGRATE_TEMPORAL_SEARCH_ATTRIBUTES", "yes")));
    assertTrue(e.getMessage().startsWith("VMIGRATE_TEMPORAL_SEARCH_ATTRIBUTES"), e.getMessage());
  }

  @Test
  void theApiKeyNeverAppearsInStringsOrErrors() throws Exception {
    String secret = "sk-very-secret-0123456789";
    Path keyFile = Files.writeString(dir.resolve("api-key"), secret + "\n");
    TemporalSettings flags =
        new TemporalSettings(
            "ns.acct.tmprl.cloud:7233",
            "ns.acct",
            null,
            null,
            null,
            null,
            null,
            keyFile.toString(),
            null);
    TemporalConnection c = TemporalConnection.resolve(flags, temporalEnv(null, Map.of()));
    assertEquals(secret, c.apiKey().reveal(), "read from the file, without the newline");
    assertTrue(c.cloud());
    for (String shown :
        List.of(
            c.toString(),
            c.describe(),
            c.apiKey().toString(),
            c.workflowStubsOptions(null).toString(),
            TemporalSetup.Commands.message(
                c, Duration.ofDays(30), "refused", true, NamespaceSetup.SEARCH_ATTRIBUTES))) {
      assertFalse(shown.contains(secret), shown);
    }
    // Also from TEMPORAL_API_KEY.
    TemporalConnection fromEnv =
        TemporalConnection.resolve(
            TemporalSettings.of("h:7233", null),
            temporalEnv(null, Map.of("TEMPORAL_API_KEY", secret)));
    assertFalse(fromEnv.toString().contains(secret), fromEnv.toString());

    // A file that is not one key: the error names the file, never its content.
    Path bad = Files.writeString(dir.resolve("bad-key"), "two " + secret);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TemporalConnection.resolve(
                    new TemporalSettings(
                        "h:1", null, null, null, null, null, null, bad.toString(), null),
                    temporalEnv(null, Map.of())));
    assertTrue(e.getMessage().startsWith("--temporal-api-key-file: " + bad), e.getMessage());
    assertFalse(e.getMessage().contains(secret), e.getMessage());
  }

  @Test
  void refusalNamesTheCommandsForTheTarget() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "ca");
    Path cert = Files.writeString(dir.resolve("c.pem"), "c");
    Path key = Files.writeString(dir.resolve("c.key"), "k");
    TemporalConnection c =
        TemporalConnection.resolve(
            new TemporalSettings(
                "temporal.corp:7233",
                "vmigrate",
                null,
                ca.toString(),
                "frontend.corp",
                cert.toString(),
                key.toString(),
                null,
                null),
            temporalEnv(null, Map.of()));
    String message =
        TemporalSetup.Commands.message(
            c,
            Duration.ofDays(30),
            "namespace vmigrate does not exist and cannot be created (PERMISSION_DENIED)",
            true,
            List.of("VmName", "MigrationState"));
    String tlsFlags =
        " --tls --tls-ca-path "
            + ca
            + " --tls-server-name frontend.corp --tls-cert-path "
            + cert
            + " --tls-key-path "
            + key;
    assertEquals(
        "Temporal at temporal.corp:7233 (namespace vmigrate): namespace vmigrate does not exist"
            + " and cannot be created (PERMISSION_DENIED).\n"
            + "Run these with credentials that may (or ask the cluster's operator), then start"
            + " vmigrate again (or run 'vmigrate temporal setup'):\n"
            + "  temporal operator namespace create --namespace vmigrate --retention 720h"
            + " --address temporal.corp:7233"
            + tlsFlags
            + "\n"
            + "  temporal operator search-attribute create --name VmName --type Keyword"
            + " --namespace vmigrate --address temporal.corp:7233"
            + tlsFlags
            + "\n"
            + "  temporal operator search-attribute create --name MigrationState --type Keyword"
            + " --namespace vmigrate --address temporal.corp:7233"
            + tlsFlags,
        message);
  }
}

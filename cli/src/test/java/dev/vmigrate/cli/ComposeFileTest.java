package dev.vmigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Reads docker/compose.yaml as Docker Compose would and checks the deployment it describes. */
class ComposeFileTest {
  private static final Path DOCKER = Path.of("..", "docker");
  private static final List<String> TEMPORAL_SERVICES =
      List.of("frontend", "history", "matching", "worker");
  private static Map<String, Object> services;

  @BeforeAll
  static void load() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(DOCKER.resolve("compose.yaml")));
    services = map(compose.get("services"));
  }

  @Test
  void declaresEveryServiceOfTheDeployment() {
    assertEquals(
        Set.of(
            "postgresql",
            "temporal-schema",
            "temporal-history",
            "temporal-matching",
            "temporal-frontend",
            "temporal-worker",
            "temporal-setup",
            "temporal-ui",
            "vmigrate-api",
            "vmigrate-worker",
            "vcsim"),
        services.keySet());
  }

  @Test
  void publishesTemporalFrontendUiAndApiPorts() {
    assertTrue(ports("temporal-frontend").contains("7233:7233"));
    assertTrue(ports("temporal-ui").contains("8080:8080"));
    assertTrue(ports("vmigrate-api").contains("${VMIGRATE_API_PORT:-8081}:8080"));
    assertFalse(map(services.get("postgresql")).containsKey("ports"), "database stays internal");
  }

  @Test
  void startsInDependencyOrder() {
    assertEquals("service_healthy", condition("temporal-schema", "postgresql"));
    for (String service : TEMPORAL_SERVICES) {
      assertEquals(
          "service_completed_successfully", condition("temporal-" + service, "temporal-schema"));
    }
    assertEquals("service_started", condition("temporal-setup", "temporal-frontend"));
    for (String vmigrate : List.of("vmigrate-api", "vmigrate-worker")) {
      assertEquals("service_healthy", condition(vmigrate, "postgresql"));
      assertEquals("service_completed_successfully", condition(vmigrate, "temporal-setup"));
    }
    assertTrue(
        list(map(services.get("temporal-ui")).get("depends_on")).contains("temporal-frontend"));
  }

  @Test
  void setupRegistersTheSearchAttributesAsKeywords() {
    String script = String.join(" ", list(map(services.get("temporal-setup")).get("command")));
    assertTrue(script.contains("search-attribute create"));
    assertTrue(script.contains("--type Keyword"));
    assertTrue(script.contains("for attribute in VmName PlanName RequestId MigrationState;"));
  }

  @Test
  void apiAndWorkerRunTheSameImageWithTheirPartsSwitchedOff() {
    Map<String, Object> api = map(services.get("vmigrate-api"));
    Map<String, Object> worker = map(services.get("vmigrate-worker"));
    assertEquals("vmigrate:latest", api.get("image"));
    assertEquals(api.get("image"), worker.get("image"));
    assertEquals("docker/Dockerfile", map(api.get("build")).get("dockerfile"));
    assertEquals(
        List.of(
            "server",
            "--no-worker",
            "--no-simulated-vcenter",
            "--temporal",
            "temporal-frontend:7233",
            "--host",
            "0.0.0.0",
            "--port",
            "8080"),
        api.get("command"));
    assertEquals(List.of("worker", "--temporal", "temporal-frontend:7233"), worker.get("command"));
    Map<String, Object> env = map(worker.get("environment"));
    assertEquals("jdbc:postgresql://postgresql:5432/vmigrate", env.get("VMIGRATE_DB_URL"));
    assertEquals(env, map(api.get("environment")));
  }

  @Test
  void temporalRunsAsSeparateServicesOnTheSettingsScriptsClusterUses() throws IOException {
    String script = Files.readString(DOCKER.resolve("../scripts/cluster"));
    for (String dir : List.of("docker/temporal/config", "docker/temporal/ui")) {
      assertTrue(script.contains("$root/" + dir + "\""), "scripts/cluster reads " + dir);
    }
    assertTrue(script.contains("$root/docker/temporal/dynamicconfig/vmigrate.yaml"));
    assertTrue(script.contains("--config-file \"$TEMPORAL_CONFIG/vmigrate.yaml\""));
    for (String service : TEMPORAL_SERVICES) {
      Map<String, Object> s = map(services.get("temporal-" + service));
      assertTrue(((String) s.get("image")).startsWith("temporalio/server:"), service);
      assertTrue(
          list(s.get("volumes")).contains("./temporal/config:/etc/temporal/vmigrate/config:ro"),
          service + " mounts the shared server configuration");
      assertTrue(
          list(s.get("volumes"))
              .contains("./temporal/dynamicconfig:/etc/temporal/vmigrate/dynamicconfig:ro"),
          service + " mounts the shared dynamic configuration");
      String command = String.join(" ", list(s.get("command")));
      assertTrue(
          command.contains(
              "--config-file /etc/temporal/vmigrate/config/vmigrate.yaml --allow-no-auth start"
                  + " --service "
                  + service),
          command);
      Map<String, Object> env = map(s.get("environment"));
      assertEquals(
          "/etc/temporal/vmigrate/dynamicconfig/vmigrate.yaml", env.get("TEMPORAL_DYNAMIC_CONFIG"));
      assertEquals("/etc/temporal/tls", env.get("TEMPORAL_TLS_DIR"), "mutual TLS on");
    }
    Map<String, Object> ui = map(services.get("temporal-ui"));
    assertTrue(list(ui.get("volumes")).contains("./temporal/ui:/etc/temporal/vmigrate/ui:ro"));
    assertTrue(String.join(" ", list(ui.get("entrypoint"))).contains("--env vmigrate start"));
    // The mounted files are the templates the server renders, with the environment's values.
    for (String file :
        List.of(
            "temporal/config/vmigrate.yaml",
            "temporal/ui/vmigrate.yaml",
            "temporal/dynamicconfig/vmigrate.yaml")) {
      assertTrue(Files.isRegularFile(DOCKER.resolve(file)), file);
    }
    assertTrue(
        Files.readString(DOCKER.resolve("temporal/config/vmigrate.yaml"))
            .startsWith("# enable-template"));
    assertTrue(
        Files.readString(DOCKER.resolve("temporal/ui/vmigrate.yaml"))
            .startsWith("# enable-template"));
  }

  @Test
  void theSchemaJobUsesTheServersOwnSchemaFilesNotAutoSetup() throws IOException {
    for (Map.Entry<String, Object> s : services.entrySet()) {
      String image = String.valueOf(map(s.getValue()).get("image"));
      assertFalse(image.contains("auto-setup"), s.getKey() + ": auto-setup is not for production");
    }
    Map<String, Object> job = map(services.get("temporal-schema"));
    assertTrue(((String) job.get("image")).startsWith("temporalio/admin-tools:"));
    String command = String.join(" ", list(job.get("command")));
    assertTrue(command.contains("setup-schema -v 0.0"));
    assertTrue(command.contains("update-schema -d /etc/temporal/schema/postgresql/v12/"));
    assertEquals("postgres12", map(job.get("environment")).get("SQL_PLUGIN"));
  }

  @Test
  void vmigrateReachesTheFrontendWithTheClientCertificate() {
    for (String vmigrate : List.of("vmigrate-api", "vmigrate-worker")) {
      Map<String, Object> env = map(map(services.get(vmigrate)).get("environment"));
      assertEquals("temporal-frontend:7233", env.get("TEMPORAL_ADDRESS"));
      assertEquals("/etc/temporal/tls/client.pem", env.get("TEMPORAL_TLS_CLIENT_CERT_PATH"));
      assertEquals("/etc/temporal/tls/client.key", env.get("TEMPORAL_TLS_CLIENT_KEY_PATH"));
      assertEquals("/etc/temporal/tls/ca.pem", env.get("TEMPORAL_TLS_SERVER_CA_CERT_PATH"));
    }
  }

  @Test
  void vcsimIsOptional() {
    assertEquals(List.of("vcsim"), map(services.get("vcsim")).get("profiles"));
  }

  @Test
  void passwordsComeFromTheEnvironmentOrSecretFiles() throws IOException {
    String text = Files.readString(DOCKER.resolve("compose.yaml"));
    assertTrue(text.contains("${POSTGRES_PASSWORD:?"), "no default database password");
    assertTrue(text.contains("VMIGRATE_API_TOKENS: ${VMIGRATE_API_TOKENS:?"), "no default token");
    assertTrue(text.contains("VMIGRATE_API_TOKENS: ${VMIGRATE_API_TOKENS:?"), "no default token");
    Map<String, Object> vcenters =
        new Yaml().load(Files.readString(DOCKER.resolve("config/vcenters.yml")));
    assertFalse(
        vcenters.toString().toLowerCase().contains("password="),
        "vCenter config holds no password");
  }

  @Test
  void dockerfileBuildsTheCliJarAndRunsIt() throws IOException {
    String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
    assertTrue(dockerfile.contains("mvn -B -q -pl cli -am package -DskipTests"));
    assertTrue(dockerfile.contains("COPY --from=build /src/cli/target/vmigrate.jar"));
    assertTrue(dockerfile.contains("ENTRYPOINT [\"java\""));
    assertTrue(dockerfile.contains("USER vmigrate"));
  }

  @Test
  void everySecretAndMountedFileExists() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(DOCKER.resolve("compose.yaml")));
    Map<String, Object> secrets = map(compose.get("secrets"));
    assertFalse(secrets.isEmpty());
    for (Map.Entry<String, Object> secret : secrets.entrySet()) {
      String file = (String) map(secret.getValue()).get("file");
      assertTrue(Files.isRegularFile(DOCKER.resolve(file)), secret.getKey() + ": " + file);
    }
  }

  private static List<String> ports(String service) {
    return list(map(services.get(service)).get("ports"));
  }

  private static String condition(String service, String dependency) {
    Map<String, Object> dependsOn = map(map(services.get(service)).get("depends_on"));
    return (String) map(dependsOn.get(dependency)).get("condition");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<String> list(Object o) {
    return (List<String>) o;
  }
}

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
            "temporal",
            "temporal-admin-tools",
            "temporal-ui",
            "vmigrate-api",
            "vmigrate-worker",
            "vcsim"),
        services.keySet());
  }

  @Test
  void publishesTemporalFrontendUiAndApiPorts() {
    assertTrue(ports("temporal").contains("7233:7233"));
    assertTrue(ports("temporal-ui").contains("8080:8080"));
    assertTrue(ports("vmigrate-api").contains("${VMIGRATE_API_PORT:-8081}:8080"));
    assertFalse(map(services.get("postgresql")).containsKey("ports"), "database stays internal");
  }

  @Test
  void startsInDependencyOrder() {
    assertEquals("service_healthy", condition("temporal", "postgresql"));
    assertEquals("service_started", condition("temporal-admin-tools", "temporal"));
    for (String vmigrate : List.of("vmigrate-api", "vmigrate-worker")) {
      assertEquals("service_healthy", condition(vmigrate, "postgresql"));
      assertEquals("service_completed_successfully", condition(vmigrate, "temporal-admin-tools"));
    }
    assertTrue(list(map(services.get("temporal-ui")).get("depends_on")).contains("temporal"));
  }

  @Test
  void adminToolsRegistersTheSearchAttributesAsKeywords() {
    String script =
        String.join(" ", list(map(services.get("temporal-admin-tools")).get("command")));
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
            "temporal:7233",
            "--host",
            "0.0.0.0",
            "--port",
            "8080"),
        api.get("command"));
    assertEquals(
        List.of("server", "--no-api", "--no-simulated-vcenter", "--temporal", "temporal:7233"),
        worker.get("command"));
    Map<String, Object> env = map(worker.get("environment"));
    assertEquals("jdbc:postgresql://postgresql:5432/vmigrate", env.get("VMIGRATE_DB_URL"));
    assertEquals(env, map(api.get("environment")));
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

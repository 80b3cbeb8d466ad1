package dev.vmigrate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporal's dev server as vmigrate runs it: a real child process whose state survives a restart,
 * set up with vmigrate's search attributes and retention, restarted when it dies, and gone when its
 * parent is killed.
 */
class DevTemporalTest {
  @TempDir Path dir;

  @BeforeAll
  static void binaryInstalled() {
    boolean present =
        Files.isExecutable(DevTemporal.binary(System.getenv("VMIGRATE_TEMPORAL_BIN")));
    if (!present && System.getenv("CI") != null) {
      throw new IllegalStateException(
          "CI: the Temporal CLI is missing; run scripts/temporal install");
    }
    Assumptions.assumeTrue(present, "Temporal CLI not installed (scripts/temporal install)");
  }

  /** A dev server on free loopback ports with its data in {@code data}; shared with benchmarks. */
  static DevTemporal.Settings settings(Path data) throws IOException {
    return new DevTemporal.Settings(
        DevTemporal.binary(System.getenv("VMIGRATE_TEMPORAL_BIN")),
        data,
        "127.0.0.1",
        TestPorts.free(),
        TestPorts.free(),
        "default",
        TemporalOptions.DEFAULT_RETENTION);
  }

  @Test
  void workflowsSurviveARestartOnTheSameDatabase() throws Exception {
    DevTemporal.Settings s = settings(dir);
    try (DevTemporal t = DevTemporal.start(s)) {
      withClient(
          t.address(),
          client ->
              client
                  .newUntypedWorkflowStub(
                      "VmMigration",
                      WorkflowOptions.newBuilder()
                          .setWorkflowId("survives-restart")
                          .setTaskQueue("nobody-polls")
                          .setTypedSearchAttributes(
                              SearchAttributes.newBuilder()
                                  .set(SearchAttributeKey.forKeyword("MigrationState"), "RUNNING")
                                  .build())
                          .build())
                  .start());
    }
    assertTrue(Files.size(s.dataDir().resolve("temporal.db")) > 0);
    try (DevTemporal t = DevTemporal.start(s)) {
      withClient(
          t.address(),
          client ->
              assertEquals(
                  WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
                  client.newUntypedWorkflowStub("survives-restart").describe().getStatus()));
    }
  }

  @Test
  void registersSearchAttributesAndRetentionAndServesTheUi() throws Exception {
    try (DevTemporal t = DevTemporal.start(settings(dir))) {
      Map<String, IndexedValueType> attrs = searchAttributes(t.address());
      for (String name : NamespaceSetup.SEARCH_ATTRIBUTES) {
        assertEquals(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, attrs.get(name), name);
      }
      assertEquals(Duration.ofDays(30).toSeconds(), retentionSeconds(t.address()));
      HttpResponse<String> ui =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(t.uiUrl()).timeout(Duration.ofSeconds(10)).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ui.statusCode());
      assertTrue(Files.readString(t.logFile()).contains("Temporal"), "its output is in the log");
    }
  }

  @Test
  void addsSearchAttributesToADatabaseCreatedWithoutThem() throws Exception {
    DevTemporal.Settings s = settings(dir);
    // A database made by a plain dev server, as an older vmigrate or an operator would leave it.
    Process plain =
        new ProcessBuilder(
                s.binary().toString(),
                "server",
                "start-dev",
                "--headless",
                "--db-filename",
                s.dataDir().resolve("temporal.db").toString(),
                "--ip",
                "127.0.0.1",
                "--port",
                Integer.toString(s.port()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("plain.log").toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try {
          searchAttributes("127.0.0.1:" + s.port());
          break;
        } catch (RuntimeException notYet) {
          assertTrue(System.nanoTime() < deadline, "plain dev server did not start");
          Thread.sleep(200);
        }
      }
      assertFalse(searchAttributes("127.0.0.1:" + s.port()).containsKey("MigrationState"));
    } finally {
      plain.destroy();
      plain.waitFor(15, TimeUnit.SECONDS);
    }
    try (DevTemporal t = DevTemporal.start(s)) {
      assertTrue(
          searchAttributes(t.address()).keySet().containsAll(NamespaceSetup.SEARCH_ATTRIBUTES));
    }
  }

  @Test
  void restartsTheServerWhenItDies() throws Exception {
    try (DevTemporal t = DevTemporal.start(settings(dir))) {
      long first = t.processHandle().pid();
      t.processHandle().destroyForcibly();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (t.restarts() == 0 || t.processHandle() == null || t.processHandle().pid() == first) {
        assertTrue(System.nanoTime() < deadline, "not restarted");
        Thread.sleep(100);
      }
      assertNotEquals(first, t.processHandle().pid());
      // The restarted server answers on the same address.
      while (true) {
        try {
          searchAttributes(t.address());
          break;
        } catch (RuntimeException notYet) {
          assertTrue(System.nanoTime() < deadline, "restarted server does not answer");
          Thread.sleep(200);
        }
      }
    }
  }

  @Test
  void aSecondServerCannotTakeTheSameDataDirectory() throws Exception {
    try (DevTemporal first = DevTemporal.start(settings(dir))) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> DevTemporal.start(settings(dir)));
      assertTrue(e.getMessage().contains("in use by another vmigrate server"), e.getMessage());
      assertTrue(first.processHandle().isAlive(), "the first server is left running");
    }
  }

  @Test
  void aMissingBinaryNamesTheWaysOut() throws Exception {
    DevTemporal.Settings s = settings(dir);
    DevTemporal.Settings missing =
        new DevTemporal.Settings(
            dir.resolve("no-such-temporal"),
            s.dataDir(),
            s.host(),
            s.port(),
            s.uiPort(),
            s.namespace(),
            s.retention());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> DevTemporal.start(missing));
    assertTrue(e.getMessage().contains("scripts/temporal install"), e.getMessage());
    assertTrue(e.getMessage().contains("--temporal HOST:PORT"), e.getMessage());
  }

  @Test
  void noServerIsLeftWhenItsParentIsKilled() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process parent =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                DevTemporalMain.class.getName(),
                dir.toString(),
                Integer.toString(TestPorts.free()),
                Integer.toString(TestPorts.free()))
            .redirectError(dir.resolve("parent.err").toFile())
            .start();
    long childPid;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertTrue(
          line != null && line.startsWith("READY "),
          line + " / " + Files.readString(dir.resolve("parent.err")));
      childPid = Long.parseLong(line.substring("READY ".length()).trim());
    }
    ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();
    assertTrue(child.isAlive());
    parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    child.onExit().get(20, TimeUnit.SECONDS);
    assertFalse(child.isAlive(), "the dev server outlived its killed parent");
  }

  private static void withClient(String address, Consumer<WorkflowClient> body) {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    try {
      body.accept(
          WorkflowClient.newInstance(
              stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build()));
    } finally {
      stubs.shutdownNow();
    }
  }

  private static Map<String, IndexedValueType> searchAttributes(String address) {
    OperatorServiceStubs stubs =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setTarget(address)
                .setRpcTimeout(Duration.ofSeconds(3))
                .validateAndBuildWithDefaults());
    try {
      return stubs
          .blockingStub()
          .listSearchAttributes(
              ListSearchAttributesRequest.newBuilder().setNamespace("default").build())
          .getCustomAttributesMap();
    } finally {
      stubs.shutdownNow();
    }
  }

  private static long retentionSeconds(String address) {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    try {
      return stubs
          .blockingStub()
          .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace("default").build())
          .getConfig()
          .getWorkflowExecutionRetentionTtl()
          .getSeconds();
    } finally {
      stubs.shutdownNow();
    }
  }
}

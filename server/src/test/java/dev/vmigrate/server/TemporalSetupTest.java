package dev.vmigrate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The namespace and search attributes vmigrate needs, on a cluster it does not run: created where
 * missing on Temporal's dev server (a real frontend), left alone when present, and explained with
 * the exact commands where the cluster refuses.
 */
class TemporalSetupTest {
  private static final Duration RETENTION = Duration.ofDays(3);

  @TempDir Path dir;

  private static void devServerInstalled() {
    boolean present =
        Files.isExecutable(DevTemporal.binary(System.getenv("VMIGRATE_TEMPORAL_BIN")));
    if (!present && System.getenv("CI") != null) {
      throw new IllegalStateException(
          "CI: the Temporal CLI is missing; run scripts/temporal install");
    }
    Assumptions.assumeTrue(present, "Temporal CLI not installed (scripts/temporal install)");
  }

  @Test
  void aMissingNamespaceAndItsSearchAttributesAreCreatedOnceThenLeftAlone() throws Exception {
    devServerInstalled();
    try (DevTemporal t = DevTemporal.start(DevTemporalTest.settings(dir))) {
      TemporalConnection c = TemporalConnection.plain(t.address(), "migrations-east");
      List<String> progress = new ArrayList<>();

      TemporalSetup.Report first =
          TemporalSetup.ensure(c, RETENTION, Duration.ofMinutes(1), progress::add);
      assertTrue(first.namespaceCreated());
      assertEquals(NamespaceSetup.SEARCH_ATTRIBUTES, first.registered());
      assertTrue(first.searchAttributesAvailable());
      assertEquals(
          "namespace migrations-east: created (retention 3 days)", first.lines(RETENTION).get(0));

      // What the server now holds, read back over its own API.
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(t.address()).build());
      OperatorServiceStubs operator =
          OperatorServiceStubs.newServiceStubs(
              OperatorServiceStubsOptions.newBuilder()
                  .setTarget(t.address())
                  .validateAndBuildWithDefaults());
      try {
        long retention =
            stubs
                .blockingStub()
                .describeNamespace(
                    DescribeNamespaceRequest.newBuilder().setNamespace("migrations-east").build())
                .getConfig()
                .getWorkflowExecutionRetentionTtl()
                .getSeconds();
        assertEquals(RETENTION.getSeconds(), retention);
        Map<String, IndexedValueType> attributes =
            operator
                .blockingStub()
                .listSearchAttributes(
                    ListSearchAttributesRequest.newBuilder()
                        .setNamespace("migrations-east")
                        .build())
                .getCustomAttributesMap();
        for (String name : NamespaceSetup.SEARCH_ATTRIBUTES) {
          assertEquals(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, attributes.get(name), name);
        }
      } finally {
        operator.shutdownNow();
        stubs.shutdownNow();
      }

      TemporalSetup.Report again =
          TemporalSetup.ensure(c, Duration.ofDays(9), Duration.ofMinutes(1), progress::add);
      assertFalse(again.namespaceCreated());
      assertEquals(List.of(), again.registered());
      assertEquals(NamespaceSetup.SEARCH_ATTRIBUTES, again.alreadyPresent());
      assertEquals("namespace migrations-east: exists", again.lines(RETENTION).get(0));
    }
  }

  @Test
  void aWorkerStartedOnAClusterSetsUpItsNamespaceAndUsesTheSearchAttributes() throws Exception {
    devServerInstalled();
    try (DevTemporal t = DevTemporal.start(DevTemporalTest.settings(dir.resolve("temporal")))) {
      try (AllInOneServer worker =
          AllInOneServer.start(workerOptions(t.address(), "wave-2", List.of()))) {
        assertEquals(
            Boolean.TRUE,
            worker
                .context()
                .getProperty("vmigrate.temporal.search-attributes", Boolean.class)
                .orElse(null));
        assertEquals("wave-2", worker.temporalConnection().namespace());
      }
      // A second process finds everything in place; the setting can still force them off.
      Path config =
          Files.writeString(dir.resolve("off.yml"), "vmigrate.temporal.search-attributes: false\n");
      try (AllInOneServer worker =
          AllInOneServer.start(workerOptions(t.address(), "wave-2", List.of(config)))) {
        assertEquals(
            Boolean.FALSE,
            worker
                .context()
                .getProperty("vmigrate.temporal.search-attributes", Boolean.class)
                .orElse(null));
      }
    }
  }

  private static ServerOptions workerOptions(String address, String namespace, List<Path> config) {
    Map<String, Object> extra = new HashMap<>();
    extra.put("vmigrate.test.simulated-gateways", true);
    return new ServerOptions(
        "127.0.0.1",
        0,
        false,
        true,
        TemporalOptions.external(address, namespace),
        null,
        null,
        null,
        0,
        config,
        extra);
  }

  @Test
  void aClusterThatRefusesGetsTheCommandsToRunInstead() throws Exception {
    try (RefusingFrontend frontend = new RefusingFrontend()) {
      TemporalConnection c = TemporalConnection.plain(frontend.address(), "wave-3");
      TemporalSetup.Refused refused =
          assertThrows(
              TemporalSetup.Refused.class,
              () -> TemporalSetup.ensure(c, Duration.ofDays(30), Duration.ofSeconds(30), l -> {}));
      assertEquals(1, frontend.registerCalls(), "it tried to create the namespace once");
      String target = " --address " + frontend.address();
      String message = refused.getMessage();
      assertTrue(
          message.startsWith(
              "Temporal at "
                  + frontend.address()
                  + " (namespace wave-3): namespace wave-3 does not"
                  + " exist and cannot be created (PERMISSION_DENIED: Request unauthorized.)."),
          message);
      assertTrue(
          message.contains(
              "\n  temporal operator namespace create --namespace wave-3 --retention 720h"
                  + target),
          message);
      for (String name : List.of("VmName", "PlanName", "RequestId", "MigrationState")) {
        assertTrue(
            message.contains(
                "\n  temporal operator search-attribute create --name "
                    + name
                    + " --type Keyword --namespace wave-3"
                    + target),
            message);
      }
    }
  }

  @Test
  void onTemporalCloudNoNamespaceCreateCommandIsOffered() {
    TemporalConnection cloud = TemporalConnection.plain("ns.acct.tmprl.cloud:7233", "ns.acct");
    assertTrue(cloud.cloud());
    assertFalse(TemporalConnection.plain("temporal.corp:7233", "x").cloud());
    String message =
        TemporalSetup.Commands.message(
            cloud,
            Duration.ofDays(30),
            "namespace ns.acct does not exist",
            true,
            List.of("VmName"));
    assertFalse(message.contains("namespace create"), message);
    assertTrue(
        message.endsWith(
            "\n  temporal operator search-attribute create --name VmName --type Keyword"
                + " --namespace ns.acct --address ns.acct.tmprl.cloud:7233"),
        message);
  }

  @Test
  void anUnreachableClusterIsRetriedThenReportedInOneLine() throws Exception {
    String address = "127.0.0.1:" + TestPorts.free();
    List<String> progress = new ArrayList<>();
    TemporalSetup.Unreachable e =
        assertThrows(
            TemporalSetup.Unreachable.class,
            () ->
                TemporalSetup.ensure(
                    TemporalConnection.plain(address, "default"),
                    RETENTION,
                    Duration.ofSeconds(4),
                    progress::add));
    assertTrue(
        e.getMessage().startsWith("cannot reach Temporal at " + address + ": UNAVAILABLE"),
        e.getMessage());
    // Waits of 1 s, then 2 s (when the attempts are quick enough), within the 4 s given; never
    // a wait that would end past them.
    assertFalse(progress.isEmpty());
    assertTrue(progress.size() <= 2, progress.toString());
    assertTrue(progress.get(0).endsWith(", retrying in 1s"), progress.get(0));
    if (progress.size() == 2) {
      assertTrue(progress.get(1).endsWith(", retrying in 2s"), progress.get(1));
    }
  }
}

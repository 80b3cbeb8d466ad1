package dev.vmigrate.worker;

import static dev.vmigrate.worker.MigrationHarness.options;
import static dev.vmigrate.worker.VcsimHarness.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.HookFailure;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.vcsim.VcsimExtension;
import dev.vmigrate.vsphere.vim25.VcsimVms;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Post-migration and post-rollback hooks end to end on vcsim: the receiver hears of the VM that
 * vcsim really moved (and moved back), once per event, under the migration's idempotency key.
 */
class VcsimPostHooksTest {
  private static final String VM = "DC0_C0_RP0_VM0";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final VcsimExtension vcsim =
      VcsimExtension.perTest(
          "-cluster",
          "2",
          "-host",
          "2",
          "-standalone-host",
          "0",
          "-ds",
          "1",
          "-pg",
          "1",
          "-vm",
          "1");

  private final List<String> keys = new CopyOnWriteArrayList<>();
  private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
  private HttpServer receiver;
  private String url;
  private VcsimHarness h;
  private VmInfo before;

  @BeforeEach
  void setUp() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hooks",
        ex -> {
          keys.add(ex.getRequestHeaders().getFirst("Idempotency-Key"));
          bodies.add(
              JSON.readTree(
                  new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.start();
    url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
    h = new VcsimHarness(vcsim);
    // vcsim's host CD-ROM blocks vMotion and vmigrate's prechecks; an administrator removes it.
    assertEquals(1, VcsimVms.removeHostCdroms(h.vc, h.vm(VM).id()));
    before = h.vm(VM);
  }

  @AfterEach
  void tearDown() {
    receiver.stop(0);
    if (h != null) {
      h.close();
    }
  }

  private static InfrastructureMapping toCluster1() {
    return new InfrastructureMapping(
        VcsimHarness.VC,
        VcsimHarness.VC,
        List.of(new ClusterMapping("DC0_C0", "DC0_C1", null, null)),
        Map.of("LocalDS_0", "LocalDS_0"),
        Map.of("DC0_DVPG0", "DC0_DVPG0"));
  }

  @Test
  void theReceiverHearsOfTheMoveAndOfTheWayBack() {
    VmMigrationWorkflow wf =
        h.start(
            before,
            toCluster1(),
            options(MigrationType.HOT, FailurePolicy.HOLD)
                .withVerify(true, null)
                .withPostHooks(List.of(url), List.of(url), HookFailure.HOLD));
    String id = WorkflowStub.fromTyped(wf).getExecution().getWorkflowId();
    String runId = WorkflowStub.fromTyped(wf).getExecution().getRunId();
    h.awaitState(wf, MigrationState.VERIFYING);
    VmInfo moved = h.vmByUuid(before.instanceUuid());
    assertNotEquals(before.host(), moved.host(), "vcsim moved the VM before any hook");
    assertEquals(List.of(), keys, "nothing is told before the migration is confirmed");

    wf.rollback();
    MigrationResult r = result(wf);

    assertEquals(MigrationState.ROLLED_BACK, r.state(), r::toString);
    assertEquals(List.of(id + ":" + runId + ":post-rollback"), keys);
    JsonNode told = bodies.get(0);
    assertEquals(
        before.instanceUuid(), told.path("vm").path("instanceUuid").asText(), told::toString);
    assertEquals("ROLLED_BACK", told.path("result").asText(), told::toString);
    assertEquals(before.host(), h.vmByUuid(before.instanceUuid()).host(), "back at its origin");
  }

  @Test
  void aConfirmedMoveIsToldOnceWithWhereTheVmLanded() {
    VmMigrationWorkflow wf =
        h.start(
            before,
            toCluster1(),
            options(MigrationType.HOT, FailurePolicy.HOLD)
                .withPostHooks(List.of(url), List.of(url), HookFailure.HOLD));
    MigrationResult r = result(wf);

    assertEquals(MigrationState.COMPLETED, r.state(), r::toString);
    assertEquals(1, keys.size(), () -> "keys: " + keys);
    assertTrue(keys.get(0).endsWith(":post-migration"), keys.get(0));
    JsonNode told = bodies.get(0);
    VmInfo now = h.vmByUuid(before.instanceUuid());
    assertEquals("COMPLETED", told.path("result").asText(), told::toString);
    assertEquals(now.host(), told.path("to").path("host").asText(), told::toString);
    assertEquals(before.host(), told.path("from").path("host").asText(), told::toString);
    h.assertNothingHeld(h.vc, before.instanceUuid());
  }
}

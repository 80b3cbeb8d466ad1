package dev.vmigrate.worker;

import static dev.vmigrate.worker.MigrationHarness.options;
import static dev.vmigrate.worker.MigrationHarness.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.HookFailure;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.Placement;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A plan's post-migration and post-rollback hooks end to end: the real workflow and activities on
 * the simulated vSphere, and a real HTTP receiver that is down for a while.
 */
class PostHooksIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MigrationHarness h = new MigrationHarness();
  private final List<String> keys = new CopyOnWriteArrayList<>();
  private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();

  /** How many more calls the receiver answers 503, as a receiver being redeployed does. */
  private final AtomicInteger refusals = new AtomicInteger();

  private HttpServer receiver;
  private String url;

  /** The same receiver with a token in its query, which no message or payload may show. */
  private String secretUrl;

  @BeforeEach
  void receiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hooks",
        ex -> {
          keys.add(ex.getRequestHeaders().getFirst("Idempotency-Key"));
          bodies.add(
              JSON.readTree(
                  new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
          ex.sendResponseHeaders(refusals.getAndDecrement() > 0 ? 503 : 204, -1);
          ex.close();
        });
    receiver.start();
    url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
    secretUrl = url + "?token=s3cret";
  }

  @AfterEach
  void close() {
    receiver.stop(0);
    h.close();
  }

  private MigrationOptions hooks(FailurePolicy policy, HookFailure onFailure) {
    return options(MigrationType.AUTO, policy).withPostHooks(List.of(url), List.of(url), onFailure);
  }

  private MigrationOptions secretHooks(FailurePolicy policy, HookFailure onFailure) {
    return options(MigrationType.AUTO, policy)
        .withPostHooks(List.of(secretUrl), List.of(secretUrl), onFailure);
  }

  @Test
  void aReceiverDownForAWhileHearsOfTheMigrationOnceUnderOneKey() {
    VmInfo before = h.vm("web01");
    refusals.set(3);

    VmMigrationWorkflow wf = h.start("web01", secretHooks(FailurePolicy.HOLD, null));
    MigrationResult r = result(wf);

    assertEquals(MigrationState.COMPLETED, r.state());
    assertEquals(4, keys.size(), "three refusals, then the delivery");
    String runId = WorkflowStub.fromTyped(wf).getExecution().getRunId();
    String migrationId = WorkflowStub.fromTyped(wf).getExecution().getWorkflowId();
    for (String key : keys) {
      assertEquals(migrationId + ":" + runId + ":post-migration", key);
    }
    JsonNode body = bodies.get(3);
    assertEquals("COMPLETED", body.get("result").asText());
    assertEquals("web01", body.get("vm").get("name").asText());
    assertEquals(before.instanceUuid(), body.get("vm").get("instanceUuid").asText());
    assertEquals("req-it", body.get("requestId").asText());
    assertEquals(r.origin().host(), body.get("from").get("host").asText());
    assertEquals(r.destination().host(), body.get("to").get("host").asText());
    assertFalse(body.toString().contains("s3cret"));
    h.assertAtDestination(before);
    h.assertNothingHeld(before.instanceUuid());
  }

  @Test
  void holdKeepsTheVmLockedUntilTheReceiverIsBackAndResumeDelivers() throws IOException {
    VmInfo before = h.vm("web01");
    refusals.set(Integer.MAX_VALUE);
    VmMigrationWorkflow wf = h.start("web01", hooks(FailurePolicy.HOLD, HookFailure.HOLD));

    MigrationStatus held = awaitState(wf, MigrationState.FAILED_WAITING);

    assertEquals(MigrationAction.INVOKE_POST_MIGRATION_HOOKS, held.currentAction());
    assertTrue(held.lastError().contains("answered HTTP 503"), held.lastError());
    assertTrue(held.lastError().contains("/hooks"), held.lastError());
    // Moved, but not finalised: the lock is still vmigrate's, so a rollback remains possible.
    assertNotNull(h.vmByUuid(before.instanceUuid()).customValue(MigrationAttributes.LOCK));

    refusals.set(0);
    wf.resume();
    MigrationResult r = result(wf);

    assertEquals(MigrationState.COMPLETED, r.state());
    assertEquals(1, keys.stream().distinct().count());
    h.assertAtDestination(before);
    h.assertNothingHeld(before.instanceUuid());
    h.record(wf, "hot-post-migration-hook-held-then-resumed");
  }

  @Test
  void aHeldHooksErrorShowsTheUrlWithoutItsSecret() {
    refusals.set(Integer.MAX_VALUE);
    VmMigrationWorkflow wf = h.start("web01", secretHooks(FailurePolicy.HOLD, HookFailure.HOLD));

    MigrationStatus held = awaitState(wf, MigrationState.FAILED_WAITING);

    assertTrue(held.lastError().contains("/hooks answered HTTP 503"), held.lastError());
    assertFalse(held.lastError().contains("s3cret"), held.lastError());
    refusals.set(0);
    wf.rollback();
    assertEquals(MigrationState.ROLLED_BACK, result(wf).state());
  }

  @Test
  void ignoreCompletesTheMigrationAndRecordsTheHooksError() {
    VmInfo before = h.vm("web01");
    refusals.set(Integer.MAX_VALUE);

    MigrationResult r = result(h.start("web01", hooks(FailurePolicy.HOLD, HookFailure.IGNORE)));

    assertEquals(MigrationState.COMPLETED, r.state());
    assertEquals(1, r.hookFailures().size());
    assertTrue(r.hookFailures().get(0).contains("answered HTTP 503"), r.hookFailures()::toString);
    h.assertAtDestination(before);
    h.assertNothingHeld(before.instanceUuid());
  }

  @Test
  void theReceiverHearsOfARollbackOnceTheVmIsBack() throws IOException {
    VmInfo before = h.vm("web01");
    Placement origin = before.placement(MigrationHarness.VC);
    h.faults.failPermanently("CompleteDestination", ActionFaults.When.AFTER);

    VmMigrationWorkflow wf = h.start("web01", hooks(FailurePolicy.ROLLBACK, null));
    MigrationResult r = result(wf);

    assertEquals(MigrationState.ROLLED_BACK, r.state());
    h.assertAtOrigin(before.instanceUuid(), origin);
    h.assertNothingHeld(before.instanceUuid());
    assertEquals(1, bodies.size(), "no post-migration call, one post-rollback call");
    JsonNode body = bodies.get(0);
    assertEquals("post-rollback", body.get("event").asText());
    assertEquals("ROLLED_BACK", body.get("result").asText());
    assertTrue(body.get("error").asText().startsWith("CompleteDestination failed"), body::toString);
    assertTrue(keys.get(0).endsWith(":post-rollback"), keys.get(0));
    h.record(wf, "hot-rolled-back-post-rollback-hook");
  }

  private MigrationStatus awaitState(VmMigrationWorkflow wf, MigrationState wanted) {
    MigrationStatus s = null;
    for (int i = 0; i < 300; i++) {
      s = wf.status();
      if (s.state() == wanted) {
        return s;
      }
      h.env.sleep(Duration.ofSeconds(5));
    }
    throw new AssertionError("never reached " + wanted + "; last status " + s);
  }
}

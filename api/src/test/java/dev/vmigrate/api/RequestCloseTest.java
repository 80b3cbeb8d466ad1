package dev.vmigrate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.api.db.RequestRepository;
import dev.vmigrate.api.db.RequestRow;
import dev.vmigrate.api.db.RequestVmRepository;
import dev.vmigrate.api.service.RequestReconciler;
import dev.vmigrate.api.support.SwitchableTemporal;
import dev.vmigrate.api.support.TestBeans;
import dev.vmigrate.api.support.TestVcenters;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.request.VmTaskState;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.temporal.client.WorkflowClient;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code POST /requests/{id}/close}: a request whose workflow Temporal lost is closed with what
 * vCenter shows of its VMs, and frees them; a request whose workflow exists, or a Temporal that
 * does not answer, changes nothing. A context of its own (database, simulated vCenters, Temporal
 * test server), so that the VMs' custom attributes set here touch no other test.
 */
// Not transactional: what a test writes into the ledger by hand must be what the server reads.
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestCloseTest implements TestPropertyProvider {
  private static final Argument<Map<String, Object>> MAP =
      Argument.mapOf(String.class, Object.class);

  @Inject
  @Client("/")
  HttpClient http;

  @Inject TestBeans.Vcenters vcenters;
  @Inject RequestRepository requests;
  @Inject RequestVmRepository rows;
  @Inject RequestReconciler reconciler;
  @Inject WorkflowClient workflows;

  @Override
  public Map<String, String> getProperties() {
    return Map.of(
        "datasources.default.url",
        "jdbc:h2:mem:close-test;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
            + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "vmigrate.test.switchable-temporal",
        "true",
        "vmigrate.close.temporal-timeout-millis",
        "3000",
        // The tests reconcile when they choose; a request Temporal does not know is judged at once.
        "vmigrate.reconcile.enabled",
        "false",
        "vmigrate.reconcile.grace",
        "0s");
  }

  @BeforeAll
  void vcenters() {
    for (String id : List.of("src", "dst")) {
      call(
          HttpRequest.POST(
              "/vcenters",
              Map.of(
                  "id",
                  id,
                  "url",
                  "https://" + id + ".example/sdk",
                  "credentialsRef",
                  "config:" + id)));
    }
  }

  // ---- helpers ----

  private Map<String, Object> call(MutableHttpRequest<?> r) {
    return http.toBlocking().retrieve(r.bearerAuth("test-token"), MAP);
  }

  private Map<String, Object> fails(HttpStatus status, MutableHttpRequest<?> r) {
    HttpClientResponseException e =
        assertThrows(
            HttpClientResponseException.class,
            () -> http.toBlocking().exchange(r.bearerAuth("test-token"), MAP));
    assertEquals(
        status, e.getStatus(), () -> "body: " + e.getResponse().getBody(String.class).orElse(""));
    return e.getResponse().getBody(MAP).orElseThrow();
  }

  private SimulatedVsphere src() {
    return vcenters.src();
  }

  private String planOf(String policy, String... vms) {
    String mapping =
        (String)
            call(HttpRequest.POST(
                    "/mappings",
                    Map.of(
                        "name",
                        "m-" + UUID.randomUUID(),
                        "sourceVcenter",
                        "src",
                        "destinationVcenter",
                        "dst",
                        "clusters",
                        List.of(
                            Map.of(
                                "source",
                                "Cluster-A",
                                "destination",
                                "Cluster-X",
                                "folder",
                                "Migrated")),
                        "datastores",
                        Map.of("DS1", "DS-X"),
                        "networks",
                        Map.of("VM Network", "VM Network X", "Prod", "VM Network X"))))
                .get("id");
    return (String)
        call(HttpRequest.POST(
                "/plans",
                Map.of(
                    "name",
                    "p-" + UUID.randomUUID(),
                    "mapping",
                    mapping,
                    "approvalPolicy",
                    policy,
                    "vms",
                    List.of(vms).stream().map(n -> Map.of("name", n)).toList())))
            .get("id");
  }

  private String order(String planId) {
    return (String) call(HttpRequest.POST("/plans/" + planId + "/order", "")).get("requestId");
  }

  /**
   * A request as the ledger shows it after its workflow started its VMs and Temporal then lost
   * everything: active, with workflow id "request-ID", every VM started with its migration id, but
   * no such workflows in Temporal.
   */
  private String goneRequest(String... vms) {
    String id = order(planOf("manual", vms));
    RequestRow r = requests.findById(id).orElseThrow();
    Instant now = Instant.now();
    requests.update(
        new RequestRow(
            r.id(),
            r.planId(),
            r.planName(),
            r.sourceVcenter(),
            "approved",
            "active",
            "Ok",
            "running " + vms.length + " VMs",
            vms.length,
            "request-" + id,
            r.createdAt(),
            now));
    for (String vm : vms) {
      String uuid = src().vm(src().vmId(vm)).instanceUuid();
      rows.recordState(
          id,
          src().vmId(vm),
          VmTaskState.STARTED.name(),
          MigrationIds.forVm("src", uuid),
          "migrating",
          40,
          30,
          now,
          now);
    }
    return id;
  }

  private static String closePath(String id) {
    return "/requests/" + id + "/close";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> finding(Map<String, Object> closed, String name) {
    return ((List<Map<String, Object>>) closed.get("vms"))
        .stream().filter(v -> name.equals(v.get("name"))).findFirst().orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> task(Map<String, Object> request, String name) {
    return ((List<Map<String, Object>>) request.get("tasks"))
        .stream().filter(t -> name.equals(t.get("name"))).findFirst().orElseThrow();
  }

  private Map<String, Object> await(String id, Predicate<Map<String, Object>> done) {
    long deadline = System.currentTimeMillis() + 20_000;
    Map<String, Object> r;
    do {
      r = call(HttpRequest.GET("/requests/" + id));
      if (done.test(r)) {
        return r;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    } while (System.currentTimeMillis() < deadline);
    throw new AssertionError("request " + id + " never got there: " + r);
  }

  // ---- tests ----

  @Test
  void closingAGoneRequestRecordsWhatVcenterShowsOfEachVmAndFinishesIt() {
    String id = goneRequest("web01", "web02", "app01");
    String web01 = src().vmId("web01");
    String web01Migration = MigrationIds.forVm("src", TestVcenters.uuid(1));
    // web01 was locked by its migration and its origin recorded on esx-b1; it is on esx-a1 now.
    src().setCustomValue(web01, MigrationAttributes.LOCK, web01Migration);
    src()
        .setCustomValue(
            web01,
            MigrationAttributes.ORIGIN,
            "{\"vcenter\":\"src\",\"host\":\""
                + src().hostId("esx-b1")
                + "\",\"vmxDatastore\":\""
                + src().datastoreId("DS1")
                + "\"}");
    // app01 is registered nowhere any more.
    src().setPowerState(src().vmId("app01"), PowerState.POWERED_OFF);
    src().unregister(src().vmId("app01"));

    Map<String, Object> closed =
        call(HttpRequest.POST(closePath(id), Map.of("reason", "Temporal database lost")));
    assertEquals("finished", closed.get("request_state"));
    assertEquals("closed", closed.get("status"));
    assertEquals("Temporal database lost", closed.get("reason"));
    assertEquals("request-" + id, closed.get("workflowId"));

    Map<String, Object> w1 = finding(closed, "web01");
    assertEquals("started", w1.get("previousState"));
    assertEquals("failed", w1.get("state"));
    assertEquals(true, w1.get("registered"));
    assertEquals("src", w1.get("vcenter"));
    assertEquals("esx-a1", w1.get("host"));
    assertEquals("powered on", w1.get("powerState"));
    assertEquals(web01Migration, w1.get("lockedBy"));
    assertEquals("esx-b1", w1.get("originHost"));
    assertEquals(false, w1.get("atOrigin"));
    assertEquals("not found", w1.get("migrationWorkflow"));
    assertEquals(
        "closed: request workflow lost; VM found at esx-a1 in src, powered on, locked by "
            + web01Migration
            + ", origin recorded: esx-b1 in src (away from it); migration workflow "
            + web01Migration
            + " not found",
        w1.get("message"));
    String action = (String) w1.get("action");
    assertTrue(action.startsWith("vmigrate cannot finish it"), action);
    assertTrue(action.contains("clear its custom attribute vmigrate.lock"), action);
    assertTrue(action.contains("migrate it back by hand to host esx-b1"), action);

    Map<String, Object> w2 = finding(closed, "web02");
    assertNull(w2.get("lockedBy"));
    assertNull(w2.get("atOrigin"));
    assertNull(w2.get("action"), "nothing to do by hand for an unlocked VM at home");
    assertTrue(((String) w2.get("message")).contains("not locked, no origin recorded"));

    Map<String, Object> a1 = finding(closed, "app01");
    assertEquals(false, a1.get("registered"));
    assertTrue(((String) a1.get("message")).contains("VM not registered in src or dst"));
    assertTrue(((String) a1.get("action")).contains("register it by hand"));

    // The ledger says the same; vCenter was only read.
    Map<String, Object> r = call(HttpRequest.GET("/requests/" + id));
    assertEquals("finished", r.get("request_state"));
    assertEquals("closed", r.get("status"));
    assertTrue(((String) r.get("message")).contains("Temporal database lost"), r.toString());
    assertEquals(3, ((Map<?, ?>) r.get("counts")).get("failed"));
    assertEquals(w1.get("message"), task(r, "web01").get("message"));
    assertEquals(web01Migration, src().vm(web01).customValue(MigrationAttributes.LOCK));

    // A closed request takes no signals and cannot be cancelled.
    assertEquals(
        "request_state",
        fails(HttpStatus.CONFLICT, HttpRequest.POST("/requests/" + id + "/cancel", ""))
            .get("field"));
  }

  @Test
  void closingTwiceAnswersTheSame() {
    String id = goneRequest("db01");
    Map<String, Object> first = call(HttpRequest.POST(closePath(id), Map.of("reason", "lost")));
    // What vCenter shows changes afterwards; the answer is what the close found.
    src().setCustomValue(src().vmId("db01"), MigrationAttributes.LOCK, "someone-else");
    Map<String, Object> second = call(HttpRequest.POST(closePath(id), Map.of()));
    assertEquals(first, second);
    Map<String, Object> third = call(HttpRequest.POST(closePath(id), ""));
    assertEquals(first, third);
    src().setCustomValue(src().vmId("db01"), MigrationAttributes.LOCK, "");
  }

  @Test
  void afterCloseTheVmsCanBeOrderedAgain() {
    String id = goneRequest("web02");
    // While the ledger holds it, no other request may take the VM.
    String other = planOf("manual", "web02");
    Map<String, Object> busy =
        fails(HttpStatus.CONFLICT, HttpRequest.POST("/plans/" + other + "/order", ""));
    assertTrue(((String) busy.get("message")).contains("already in open request " + id));

    call(HttpRequest.POST(closePath(id), Map.of("reason", "lost")));

    String again = order(other);
    Map<String, Object> r = call(HttpRequest.GET("/requests/" + again));
    assertEquals("pending", r.get("approval_state"));
    assertEquals("planned", task(r, "web02").get("state"));
    assertEquals("approve", task(r, "web02").get("proposal"));
    call(HttpRequest.POST("/requests/" + again + "/deny", Map.of("reason", "test over")));
  }

  @Test
  void aRequestWhoseWorkflowExistsIsNotClosed() {
    String id = order(planOf("auto", "app02"));
    String app02 = src().vmId("app02");
    await(id, x -> "started".equals(task(x, "app02").get("state")));
    Map<String, Object> running = fails(HttpStatus.CONFLICT, HttpRequest.POST(closePath(id), ""));
    assertEquals("workflow", running.get("field"));
    assertTrue(((String) running.get("message")).contains("(running)"), running.toString());
    assertTrue(((String) running.get("message")).contains("cancel"), running.toString());
    assertEquals("active", call(HttpRequest.GET("/requests/" + id)).get("request_state"));

    call(HttpRequest.POST("/requests/" + id + "/vms/" + app02 + "/confirm", ""));
    await(id, x -> "finished".equals(x.get("request_state")));
    // A finished request is not closed either.
    assertEquals(
        "request_state",
        fails(HttpStatus.CONFLICT, HttpRequest.POST(closePath(id), "")).get("field"));
    // One whose workflow has completed while the ledger lost its last writes is reconciled from
    // Temporal: finished, and the VM follows its migration workflow's result.
    requests.updateState(id, "active", "Ok", "lagging", Instant.now());
    rows.reconcileState(id, app02, "COMPLETED", "STARTED", "lost write", Instant.now());
    Map<String, Object> closedWf = call(HttpRequest.POST(closePath(id), ""));
    assertEquals("reconciled", closedWf.get("status"), closedWf.toString());
    assertTrue(
        ((String) closedWf.get("message")).contains("is completed in Temporal"),
        closedWf.toString());
    Map<String, Object> after = call(HttpRequest.GET("/requests/" + id));
    assertEquals("finished", after.get("request_state"));
    assertEquals("reconciled", after.get("status"));
    assertEquals("completed", task(after, "app02").get("state"));
  }

  @Test
  void aRequestTemporalDoesNotKnowIsReconciledAndItsVmsFreed() {
    String id = goneRequest("web01", "web02");
    String web01 = src().vmId("web01");
    // One VM never started: approved only.
    rows.reconcileState(id, web01, "STARTED", "APPROVED", "approved", Instant.now());
    // Its started VM's live state cannot be read: the status says so rather than show 40% as now.
    @SuppressWarnings("unchecked")
    Map<String, Object> stale =
        (Map<String, Object>)
            task(call(HttpRequest.GET("/requests/" + id)), "web02").get("liveUnavailable");
    assertNotNull(stale, "web02's live state was not read, and the status must say so");
    assertNotNull(stale.get("since"));
    assertTrue(((String) stale.get("reason")).length() > 10, stale.toString());

    // Two API processes reconciling the same request at once, from the same read: one corrects it.
    RequestRow read = requests.findById(id).orElseThrow();
    List<Optional<RequestReconciler.Outcome>> both =
        List.of(
                CompletableFuture.supplyAsync(() -> reconciler.reconcile(read)),
                CompletableFuture.supplyAsync(() -> reconciler.reconcile(read)))
            .stream()
            .map(CompletableFuture::join)
            .toList();
    assertEquals(1, both.stream().filter(Optional::isPresent).count(), both.toString());
    RequestReconciler.Outcome o = both.stream().flatMap(Optional::stream).findFirst().orElseThrow();
    assertEquals("not found", o.workflowStatus());
    Map<String, Object> after = call(HttpRequest.GET("/requests/" + id));
    assertEquals("finished", after.get("request_state"));
    assertEquals("reconciled", after.get("status"));
    assertTrue(((String) after.get("message")).contains("not known to Temporal"), after.toString());
    for (String vm : List.of("web01", "web02")) {
      assertEquals("skipped", task(after, vm).get("state"), vm);
      assertTrue(((String) task(after, vm).get("message")).startsWith("freed"), vm);
    }
    // Idempotent, and safe against a second API process: nothing left to correct.
    assertTrue(reconciler.reconcile(requests.findById(id).orElseThrow()).isEmpty());
    assertFalse(
        reconciler.reconcileAll().stream().anyMatch(x -> x.requestId().equals(id)),
        "reconciled twice");
    // The VMs are free for another request.
    String again = order(planOf("manual", "web01", "web02"));
    call(HttpRequest.POST("/requests/" + again + "/deny", Map.of()));
  }

  @Test
  void aTerminatedRequestWorkflowIsReconciledByCloseAndItsVmFollowsItsMigration() {
    String id = order(planOf("auto", "app01"));
    await(id, x -> "started".equals(task(x, "app01").get("state")));
    String migration = MigrationIds.forVm("src", src().vm(src().vmId("app01")).instanceUuid());
    workflows.newUntypedWorkflowStub("request-" + id).terminate("plan too large");
    try {
      workflows.newUntypedWorkflowStub(migration).terminate("with its request");
    } catch (RuntimeException alreadyClosed) {
      // The request's termination may have ended its child already.
    }
    // Pause meets a workflow that does not run: 409, and the ledger is reconciled at once.
    Map<String, Object> paused =
        fails(HttpStatus.CONFLICT, HttpRequest.POST("/requests/" + id + "/pause", ""));
    Map<String, Object> after = call(HttpRequest.GET("/requests/" + id));
    assertEquals("finished", after.get("request_state"), paused.toString());
    assertEquals("reconciled", after.get("status"));
    assertTrue(((String) after.get("message")).contains("terminated"), after.toString());
    assertEquals("failed", task(after, "app01").get("state"));
    assertTrue(
        ((String) task(after, "app01").get("message")).contains("terminated"), after.toString());
  }

  @Test
  void aRequestThatNeverStartedIsDeniedNotClosed() {
    String id = order(planOf("manual", "app03"));
    Map<String, Object> e = fails(HttpStatus.CONFLICT, HttpRequest.POST(closePath(id), ""));
    assertTrue(((String) e.get("message")).contains("deny it"), e.toString());
    call(HttpRequest.POST("/requests/" + id + "/deny", Map.of()));
    assertEquals(
        "id", fails(HttpStatus.NOT_FOUND, HttpRequest.POST(closePath("nope"), "")).get("field"));
  }

  @Test
  void whenTemporalDoesNotAnswerNothingChanges() {
    String id = goneRequest("big01");
    Map<String, Object> before = call(HttpRequest.GET("/requests/" + id));
    SwitchableTemporal.down = true;
    try {
      Map<String, Object> e =
          fails(HttpStatus.SERVICE_UNAVAILABLE, HttpRequest.POST(closePath(id), ""));
      assertEquals("temporal", e.get("field"));
      assertTrue(((String) e.get("message")).contains("nothing was changed"), e.toString());
    } finally {
      SwitchableTemporal.down = false;
    }
    Map<String, Object> after = call(HttpRequest.GET("/requests/" + id));
    assertEquals(before.get("request_state"), after.get("request_state"));
    assertEquals("active", after.get("request_state"));
    assertEquals("started", task(after, "big01").get("state"));
    assertEquals(before.get("updatedAt"), after.get("updatedAt"));
    assertFalse(((String) after.get("message")).startsWith("closed"));
    // Once Temporal answers again, the close goes through.
    assertEquals("closed", call(HttpRequest.POST(closePath(id), "")).get("status"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theOpenApiDocumentDescribesClose() {
    String doc = http.toBlocking().retrieve(HttpRequest.GET("/openapi.yml"));
    Map<String, Object> paths =
        (Map<String, Object>) new Yaml().<Map<String, Object>>load(doc).get("paths");
    Map<String, Object> post =
        (Map<String, Object>) ((Map<String, Object>) paths.get("/requests/{id}/close")).get("post");
    assertEquals(
        java.util.Set.of("200", "400", "401", "404", "409", "413", "415", "503"),
        ((Map<String, Object>) post.get("responses")).keySet());
    assertTrue(post.containsKey("requestBody"), post.toString());
  }
}

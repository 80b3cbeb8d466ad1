package dev.vmigrate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.api.web.Bounds;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The largest plan the API accepts, ordered on Temporal's test server: its request workflow's
 * input, and its migration's, stay below {@link Bounds#WORKFLOW_INPUT_BYTES}, and the request runs
 * to the end. One byte more of mapping is refused, naming the field.
 */
@MicronautTest(transactional = false)
@Property(name = "micronaut.server.max-request-size", value = "4MB")
// The plan's hooks name a loopback receiver, which a plan may only call where it is allowed.
@Property(name = "vmigrate.hooks.allowed-destinations", value = "127.0.0.0/8")
@Property(
    name = "datasources.default.url",
    value =
        "jdbc:h2:mem:largest;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
class LargestPlanTest {
  private static final Argument<Map<String, Object>> MAP =
      Argument.mapOf(String.class, Object.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject
  @Client("/")
  HttpClient http;

  @Inject WorkflowClient workflows;

  private Map<String, Object> call(MutableHttpRequest<?> r) {
    return http.toBlocking().retrieve(r.bearerAuth("test-token"), MAP);
  }

  /** A name of exactly the bound, unique by its prefix. */
  private static String name(String prefix) {
    return prefix + "x".repeat(Bounds.NAME - prefix.length());
  }

  private static int jsonBytes(Object value) throws Exception {
    return JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8).length;
  }

  private static int inputBytes(List<HistoryEvent> events) {
    return events
        .get(0)
        .getWorkflowExecutionStartedEventAttributes()
        .getInput()
        .getPayloadsList()
        .stream()
        .mapToInt(p -> p.getData().size())
        .sum();
  }

  private static boolean vcentersAdded;

  private synchronized void vcenters() {
    if (vcentersAdded) {
      return;
    }
    vcentersAdded = true;
    for (String id : List.of("src", "dst")) {
      call(
          HttpRequest.POST(
              "/vcenters",
              Map.of(
                  "id",
                  id,
                  "url",
                  "https://" + id + ".example/sdk",
                  "thumbprint",
                  "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD",
                  "credentialsRef",
                  "config:" + id)));
    }
  }

  @Test
  void manyInvalidVmReferencesAreOneAnswerNamingTheFirstFewAndTheCount() {
    vcenters();
    Map<String, Object> mapping = new LinkedHashMap<>();
    mapping.put("name", "m-refs");
    mapping.put("sourceVcenter", "src");
    mapping.put("destinationVcenter", "dst");
    mapping.put("clusters", List.of(Map.of("source", "Cluster-A", "destination", "Cluster-X")));
    mapping.put("datastores", Map.of("DS1", "DS-X"));
    mapping.put("networks", Map.of("VM Network", "VM Network X"));
    String m = (String) call(HttpRequest.POST("/mappings", mapping)).get("id");

    // Past the bound: refused as it is read, naming the field and both counts.
    Map<String, Object> over = problem(m, refs(2 * Bounds.PLAN_VMS));
    assertEquals("vms", over.get("field"));
    assertEquals("vms: at most 10000 entries, got 20000", over.get("detail"));

    // At the bound, every reference unknown: one answer, the first three named, all counted.
    Map<String, Object> all = problem(m, refs(Bounds.PLAN_VMS));
    assertEquals("vms[0].name", all.get("field"));
    String detail = (String) all.get("detail");
    assertTrue(
        detail.startsWith(
            "10000 of 10000 VM references are invalid: vms[0].name: no VM with name 'ghost-0'"
                + " in vCenter 'src'; vms[1].name: no VM with name 'ghost-1'"),
        detail);
    assertTrue(detail.endsWith("; and 9997 more"), detail);
    assertTrue(detail.length() < 1_000, "one short answer: " + detail.length());
  }

  private static List<Map<String, String>> refs(int n) {
    List<Map<String, String>> vms = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      vms.add(Map.of("name", "ghost-" + i));
    }
    return vms;
  }

  private Map<String, Object> problem(String mapping, List<Map<String, String>> vms) {
    Map<String, Object> plan = new LinkedHashMap<>();
    plan.put("name", "p-refs-" + vms.size());
    plan.put("mapping", mapping);
    plan.put("vms", vms);
    HttpClientResponseException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            HttpClientResponseException.class, () -> call(HttpRequest.POST("/plans", plan)));
    assertEquals(400, e.getStatus().getCode());
    return e.getResponse().getBody(MAP).orElseThrow();
  }

  @Test
  void theLargestAcceptedPlanMakesWorkflowInputsBelowTheStatedBoundAndRuns() throws Exception {
    vcenters();
    // Clusters, datastores and networks of names at their bound, up to the mapping's byte bound.
    List<Map<String, String>> clusters =
        List.of(Map.of("source", "Cluster-A", "destination", "Cluster-X", "folder", "Migrated"));
    Map<String, String> datastores = new LinkedHashMap<>(Map.of("DS1", "DS-X"));
    Map<String, String> networks = new LinkedHashMap<>(Map.of("VM Network", "VM Network X"));
    for (int i = 0; ; i++) {
      Map<String, String> into = i % 2 == 0 ? datastores : networks;
      into.put(name("k" + i + "-"), name("v" + i + "-"));
      int bytes = jsonBytes(clusters) + jsonBytes(datastores) + jsonBytes(networks);
      if (bytes > Bounds.MAPPING_JSON_BYTES) {
        into.remove(name("k" + i + "-"));
        break;
      }
    }
    Map<String, Object> mapping = new LinkedHashMap<>();
    mapping.put("name", name("m-"));
    mapping.put("sourceVcenter", "src");
    mapping.put("destinationVcenter", "dst");
    mapping.put("clusters", clusters);
    mapping.put("datastores", datastores);
    mapping.put("networks", networks);

    // One entry more is refused, naming the field.
    Map<String, Object> tooLarge = new LinkedHashMap<>(mapping);
    Map<String, String> more = new LinkedHashMap<>(networks);
    more.put(name("over-"), name("over-"));
    tooLarge.put("networks", more);
    tooLarge.put("name", name("m2-"));
    HttpClientResponseException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            HttpClientResponseException.class, () -> call(HttpRequest.POST("/mappings", tooLarge)));
    assertEquals(400, refused.getStatus().getCode());
    assertEquals(
        "networks", refused.getResponse().getBody(MAP).orElseThrow().get("field"), "field named");

    String mappingId = (String) call(HttpRequest.POST("/mappings", mapping)).get("id");

    // Every hook list at its bound, of URLs at their bound.
    List<String> hooks = new ArrayList<>();
    for (int i = 0; i < Bounds.HOOKS; i++) {
      String url = "http://127.0.0.1:9/hook" + i + "?pad=";
      hooks.add(url + "p".repeat(Bounds.HOOK_URL - url.length()));
    }
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("postMigrationHooks", hooks);
    options.put("postRollbackHooks", hooks);
    options.put("hookFailure", "ignore");
    options.put("concurrencyLimit", Bounds.CONCURRENCY);
    Map<String, Object> plan = new LinkedHashMap<>();
    plan.put("name", name("p-"));
    plan.put("mapping", mappingId);
    plan.put("approvalPolicy", "auto");
    plan.put("options", options);
    plan.put("vms", List.of(Map.of("name", "web01")));
    String planId = (String) call(HttpRequest.POST("/plans", plan)).get("id");

    String requestId =
        (String) call(HttpRequest.POST("/plans/" + planId + "/order", "")).get("requestId");
    Map<String, Object> r = awaitFinished(requestId);
    assertEquals("finished", r.get("request_state"), r.toString());

    int request = inputBytes(workflows.fetchHistory("request-" + requestId).getEvents());
    @SuppressWarnings("unchecked")
    Map<String, Object> task = ((List<Map<String, Object>>) r.get("tasks")).get(0);
    assertEquals("completed", task.get("state"), task.toString());
    int migration =
        inputBytes(workflows.fetchHistory((String) task.get("migrationId")).getEvents());
    System.out.printf(
        "largest accepted plan: request workflow input %d bytes, migration input %d bytes,"
            + " bound %d%n",
        request, migration, Bounds.WORKFLOW_INPUT_BYTES);
    // Near the mapping's bound (so this is the largest plan), below the stated bound.
    assertTrue(request > Bounds.MAPPING_JSON_BYTES, "request input " + request);
    assertTrue(request < Bounds.WORKFLOW_INPUT_BYTES, "request input " + request);
    assertTrue(migration < Bounds.WORKFLOW_INPUT_BYTES, "migration input " + migration);
  }

  private Map<String, Object> awaitFinished(String requestId) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    Map<String, Object> r;
    java.util.Set<String> confirmed = new java.util.HashSet<>();
    do {
      r = call(HttpRequest.GET("/requests/" + requestId));
      if ("finished".equals(r.get("request_state"))) {
        return r;
      }
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> tasks = (List<Map<String, Object>>) r.get("tasks");
      for (Map<String, Object> t : tasks) {
        // The test migration stops in VERIFYING, as one ordered with verify would: confirm it.
        if ("VERIFYING".equals(t.get("migrationState")) && confirmed.add((String) t.get("vmId"))) {
          http.toBlocking()
              .exchange(
                  HttpRequest.POST(
                          "/requests/" + requestId + "/vms/" + t.get("vmId") + "/confirm", "")
                      .bearerAuth("test-token"));
        }
      }
      Thread.sleep(100);
    } while (System.currentTimeMillis() < deadline);
    throw new AssertionError("request " + requestId + " never finished: " + r);
  }
}

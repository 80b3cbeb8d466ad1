package dev.vmigrate.api.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.api.db.RequestRepository;
import dev.vmigrate.api.db.RequestRow;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What racing clients get from the API over real HTTP, on every supported database: of parallel
 * creations of one name exactly one is created and the rest hear 409; of parallel orders of one
 * plan exactly one request is made; parallel orders with one Idempotency-Key all answer the one
 * request they made; of parallel imports of one VM into a plan one row is stored. Never a server
 * error: the database decides each race (unique indexes), not the timing. Subclasses name the
 * database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConcurrencyContract {
  private static final int CLIENTS = 8;
  private static final ObjectMapper JSON = new ObjectMapper();

  private EmbeddedServer server;
  private HttpClient http;
  private ExecutorService pool;
  private RequestRepository requests;

  /** Datasource properties; may abort or fail the class when the database is not available. */
  abstract Map<String, Object> database();

  @BeforeAll
  void start() throws Exception {
    Map<String, Object> props = new HashMap<>(database());
    server = ApplicationContext.run(EmbeddedServer.class, props, "test");
    requests = server.getApplicationContext().getBean(RequestRepository.class);
    http = HttpClient.newHttpClient();
    pool = Executors.newFixedThreadPool(CLIENTS);
    // The fake registry knows "src" and "dst" only; a database shared with other tests has them.
    for (String id : List.of("src", "dst")) {
      Answer a =
          send(
              "POST",
              "/vcenters",
              Map.of(
                  "id",
                  id,
                  "url",
                  "https://" + id + ".example/sdk",
                  "thumbprint",
                  "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD",
                  "credentialsRef",
                  "config:" + id),
              Map.of());
      assertTrue(a.status() == 201 || a.status() == 409, a.toString());
    }
  }

  @AfterAll
  void stop() {
    if (pool != null) {
      pool.shutdownNow();
    }
    if (server != null) {
      server.getApplicationContext().close();
    }
  }

  /** One HTTP answer: the status and the body as text. */
  record Answer(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  private Answer send(String method, String path, Object body, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.getURL() + path))
            .header("Authorization", "Bearer test-token")
            .header("Accept", "application/json");
    headers.forEach(b::header);
    if (body instanceof String text) {
      b.header("Content-Type", "text/csv")
          .method(method, HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
    } else if (body != null) {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  /** Runs the same call from {@link #CLIENTS} threads released at once. */
  private List<Answer> race(Callable<Answer> call) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Answer>> futures = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      futures.add(
          pool.submit(
              () -> {
                go.await();
                return call.call();
              }));
    }
    go.countDown();
    List<Answer> out = new ArrayList<>();
    for (Future<Answer> f : futures) {
      out.add(f.get());
    }
    for (Answer a : out) {
      assertTrue(a.status() < 500, "a server error in a race: " + a);
    }
    return out;
  }

  /** How many answers had each status. */
  private static Map<Integer, Long> statuses(List<Answer> answers) {
    return answers.stream()
        .collect(Collectors.groupingBy(Answer::status, TreeMap::new, Collectors.counting()));
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private String mapping() throws Exception {
    Answer a =
        send(
            "POST",
            "/mappings",
            Map.of(
                "name",
                unique("m"),
                "sourceVcenter",
                "src",
                "destinationVcenter",
                "dst",
                "clusters",
                List.of(Map.of("source", "Cluster-A", "destination", "Cluster-X")),
                "datastores",
                Map.of("DS1", "DS-X"),
                "networks",
                Map.of("VM Network", "VM Network X")),
            Map.of());
    assertEquals(201, a.status(), a.toString());
    return a.json().get("id").asText();
  }

  /** A plan with manual approval (its orders stay pending: nothing runs) over these VMs. */
  private String plan(String mapping, List<String> vms) throws Exception {
    Answer a =
        send(
            "POST",
            "/plans",
            Map.of(
                "name",
                unique("p"),
                "mapping",
                mapping,
                "approvalPolicy",
                "manual",
                "vms",
                vms.stream().map(v -> Map.of("name", v)).toList()),
            Map.of());
    assertEquals(201, a.status(), a.toString());
    return a.json().get("id").asText();
  }

  private List<RequestRow> requestsOf(String planId) {
    return requests.findByPlanIdOrderByCreatedAtDesc(planId);
  }

  /** Denies the plan's pending requests, so that their VMs are free for the next test. */
  private void denyAll(String planId) throws Exception {
    for (RequestRow r : requestsOf(planId)) {
      if (r.approvalState().equals("pending")) {
        send("POST", "/requests/" + r.id() + "/deny", Map.of("reason", "test over"), Map.of());
      }
    }
  }

  @Test
  void ofParallelCreationsOfOneNameOneIsCreatedAndTheRestHear409() throws Exception {
    String m = mapping();
    String planName = unique("p-race");
    List<Answer> plans =
        race(() -> send("POST", "/plans", Map.of("name", planName, "mapping", m), Map.of()));
    assertEquals(Map.of(201, 1L, 409, (long) CLIENTS - 1), statuses(plans), plans.toString());
    for (Answer a : plans) {
      if (a.status() == 409) {
        assertTrue(a.body().contains("plan '" + planName + "' already exists"), a.toString());
      }
    }

    String mappingName = unique("m-race");
    Map<String, Object> body =
        Map.of(
            "name",
            mappingName,
            "sourceVcenter",
            "src",
            "destinationVcenter",
            "dst",
            "clusters",
            List.of(Map.of("source", "Cluster-A", "destination", "Cluster-X")));
    List<Answer> mappings = race(() -> send("POST", "/mappings", body, Map.of()));
    assertEquals(Map.of(201, 1L, 409, (long) CLIENTS - 1), statuses(mappings), mappings.toString());
  }

  @Test
  void ofParallelOrdersOfOnePlanExactlyOneRequestIsMade() throws Exception {
    String plan = plan(mapping(), List.of("app01"));
    try {
      List<Answer> answers = race(() -> send("POST", "/plans/" + plan + "/order", null, Map.of()));
      assertEquals(Map.of(202, 1L, 409, (long) CLIENTS - 1), statuses(answers), answers.toString());
      List<RequestRow> made = requestsOf(plan);
      assertEquals(1, made.size(), made.toString());
      String id = made.get(0).id();
      for (Answer a : answers) {
        // Each refusal names the request that is open, whichever check refused it.
        assertTrue(
            a.status() == 202
                ? a.json().get("requestId").asText().equals(id)
                : a.body().contains(id),
            a.toString());
      }
    } finally {
      denyAll(plan);
    }
  }

  @Test
  void parallelOrdersWithOneIdempotencyKeyAllAnswerTheOneRequest() throws Exception {
    String plan = plan(mapping(), List.of("app02"));
    String key = UUID.randomUUID().toString();
    try {
      List<Answer> answers =
          race(
              () ->
                  send("POST", "/plans/" + plan + "/order", null, Map.of("Idempotency-Key", key)));
      assertEquals(Map.of(200, (long) CLIENTS - 1, 202, 1L), statuses(answers), answers.toString());
      List<RequestRow> made = requestsOf(plan);
      assertEquals(1, made.size(), made.toString());
      Set<String> ids =
          answers.stream().map(a -> a.json().get("requestId").asText()).collect(Collectors.toSet());
      assertEquals(Set.of(made.get(0).id()), ids);
      // Later, too, the key answers the same request, and creates nothing.
      Answer again =
          send("POST", "/plans/" + plan + "/order", null, Map.of("Idempotency-Key", key));
      assertEquals(200, again.status(), again.toString());
      assertEquals(made.get(0).id(), again.json().get("requestId").asText());
      assertEquals(1, requestsOf(plan).size());
    } finally {
      denyAll(plan);
    }
  }

  @Test
  void ofParallelImportsOfOneVmIntoAPlanOneRowIsStored() throws Exception {
    String plan = plan(mapping(), List.of());
    List<Answer> answers =
        race(() -> send("POST", "/plans/" + plan + "/vms/import", "name\napp03\n", Map.of()));
    assertEquals(1, answers.stream().filter(a -> a.status() == 200).count(), answers.toString());
    for (Answer a : answers) {
      assertTrue(
          a.status() == 200 || (a.status() == 400 && a.body().contains("duplicate VM 'app03'")),
          a.toString());
    }
    JsonNode vms = send("GET", "/plans/" + plan, null, Map.of()).json().get("vms");
    assertEquals(1, vms.size(), vms.toString());
    assertEquals("app03", vms.get(0).get("name").asText());
  }
}

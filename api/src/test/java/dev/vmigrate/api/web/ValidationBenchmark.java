package dev.vmigrate.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * How the time to refuse a body grows with its size, over real HTTP: n and 2n invalid VM references
 * in {@code POST /plans}, and n and 2n out-of-range {@code compare} entries in a simulation. Prints
 * the times and their ratio (about 2 when validation is linear, 4 when it is quadratic); asserts
 * only that each is refused with 400. Run with {@code -Dtest=ValidationBenchmark}.
 */
@MicronautTest(transactional = false)
@Property(name = "micronaut.server.max-request-size", value = "16MB")
@Property(name = "vmigrate.ledger-worker.enabled", value = "false")
@Property(
    name = "datasources.default.url",
    value =
        "jdbc:h2:mem:bench;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
class ValidationBenchmark {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();

  @Inject EmbeddedServer server;

  private long refuse(String path, String body) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
            .header("Authorization", "Bearer test-token")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    long start = System.nanoTime();
    HttpResponse<String> answer = client.send(r, HttpResponse.BodyHandlers.ofString());
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(400, answer.statusCode(), answer.body());
    String detail = JSON.readTree(answer.body()).path("detail").asText();
    System.out.printf(
        "  %d bytes: %d ms, %s%n",
        body.length(), ms, detail.substring(0, Math.min(120, detail.length())));
    return ms;
  }

  private static String array(String field, int n, IntFunction<String> element) {
    StringBuilder b = new StringBuilder("{\"" + field + "\":[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append(element.apply(i));
    }
    return b.append("]}").toString();
  }

  private void measure(String what, String path, int n, String field, IntFunction<String> element)
      throws Exception {
    refuse(path, array(field, n / 10, element)); // warm up
    long one = refuse(path, array(field, n, element));
    long two = refuse(path, array(field, 2 * n, element));
    System.out.printf(
        "%s: n=%d %d ms, 2n=%d %d ms, ratio %.2f%n",
        what, n, one, 2 * n, two, two / (double) Math.max(1, one));
  }

  @Test
  void invalidVmReferences() throws Exception {
    // Each reference breaks its moref's bound: a violation per element.
    String moref = "m".repeat(Bounds.VM_KEY + 1);
    measure(
        "POST /plans, invalid VM references",
        "/plans",
        Bounds.PLAN_VMS / 2,
        "vms",
        i -> "{\"moref\":\"" + moref + i + "\"}");
  }

  @Test
  void outOfRangeCompareEntries() throws Exception {
    measure(
        "POST /plans/{id}/simulate, out-of-range compare entries",
        "/plans/p1/simulate",
        45_000,
        "compare",
        i -> "{\"planLimit\":" + (Bounds.CONCURRENCY + 1 + i) + "}");
  }
}

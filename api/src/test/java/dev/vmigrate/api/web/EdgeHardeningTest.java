package dev.vmigrate.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every class of bad input over real HTTP, with a raw client (no client library to tidy up what is
 * sent): each answer is {@code application/problem+json} with the status, the field and the rule,
 * and never a Java class name, a stack trace or SQL.
 */
@MicronautTest(transactional = false)
@Property(name = "vmigrate.api.body-idle-timeout", value = "2s")
@Property(
    name = "datasources.default.url",
    value =
        "jdbc:h2:mem:edge;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
class EdgeHardeningTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();

  @Inject EmbeddedServer server;

  private HttpResponse<String> send(String method, String path, String type, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
            .header("Authorization", "Bearer test-token")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The problem answer of a call that must fail with the status. */
  private JsonNode problem(int status, String method, String path, String type, String body)
      throws Exception {
    HttpResponse<String> r = send(method, path, type, body);
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(
        ApiError.MEDIA_TYPE,
        r.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", ""),
        r.body());
    JsonNode p = JSON.readTree(r.body());
    assertEquals(status, p.get("status").asInt());
    assertNotNull(p.get("title"), r.body());
    assertEquals(p.get("detail").asText(), p.get("message").asText());
    for (String leak : List.of("Exception", "java.", "jackson", "micronaut", "SQL", "\tat ")) {
      assertFalse(r.body().contains(leak), leak + " in " + r.body());
    }
    return p;
  }

  private JsonNode badJson(String path, String body) throws Exception {
    return problem(400, "POST", path, "application/json", body);
  }

  private static void names(JsonNode p, String field, String rule) {
    assertEquals(field, p.path("field").asText(null), p.toString());
    assertEquals(rule, p.path("rule").asText(null), p.toString());
  }

  @Test
  void scalarsAreReadAsTheirDeclaredTypeOnly() throws Exception {
    names(badJson("/vcenters", "{\"id\": \"vc-a\", \"insecure\": 5}"), "insecure", "type");
    names(badJson("/vcenters", "{\"id\": \"vc-a\", \"insecure\": \"true\"}"), "insecure", "type");
    names(badJson("/vcenters", "{\"id\": 5}"), "id", "type");
    names(
        badJson("/plans", "{\"name\": \"p\", \"options\": {\"verify\": 1}}"),
        "options.verify",
        "type");
    names(
        badJson("/plans", "{\"name\": \"p\", \"options\": {\"concurrencyLimit\": 2.5}}"),
        "options.concurrencyLimit",
        "type");
    names(
        badJson("/plans", "{\"name\": \"p\", \"options\": {\"concurrencyLimit\": \"2\"}}"),
        "options.concurrencyLimit",
        "type");
    names(badJson("/plans", "{\"name\": true}"), "name", "type");
    names(
        badJson("/plans", "{\"name\": \"p\", \"options\": {\"migrationType\": 1}}"),
        "options.migrationType",
        "type");
    names(
        badJson("/plans", "{\"name\": \"p\", \"options\": {\"autoConfirmAfter\": 60}}"),
        "options.autoConfirmAfter",
        "type");
    names(
        badJson("/plans", "{\"name\": \"p\", \"options\": {\"windowStart\": 1700000000}}"),
        "options.windowStart",
        "type");
    names(badJson("/requests/x/deny", "false"), "body", "type");
  }

  @Test
  void aNulCharacterIsRefusedInAnyTextField() throws Exception {
    // PostgreSQL cannot store U+0000 in text: it is refused as the body is read, naming the field.
    JsonNode name = badJson("/plans", "{\"name\": \"wave\\u0000-1\"}");
    names(name, "name", "no-nul");
    assertTrue(name.path("message").asText().contains("NUL"), name.toString());
    names(
        badJson("/vcenters", "{\"id\": \"vc-a\", \"credentialsRef\": \"config:\\u0000\"}"),
        "credentialsRef",
        "no-nul");
  }

  @Test
  void duplicateUnknownAndTrailingContentAreRefused() throws Exception {
    JsonNode dup = badJson("/plans", "{\"name\": \"p1\",\n \"name\": \"p2\"}");
    names(dup, "name", "duplicate-key");
    assertEquals(2, dup.get("line").asInt(), dup.toString());
    JsonNode nested =
        badJson("/plans", "{\"name\": \"p\", \"options\": {\"verify\": true, \"verify\": false}}");
    names(nested, "options.verify", "duplicate-key");
    names(badJson("/plans", "{\"name\": \"p\", \"nmae\": \"x\"}"), "nmae", "unknown-field");
    JsonNode trailing = badJson("/plans", "{\"name\": \"p\"} {}");
    names(trailing, "body", "trailing-content");
    assertEquals(1, trailing.get("line").asInt());
    names(badJson("/plans", "{\"name\": \"p\""), "body", "syntax");
  }

  @Test
  void nestingDepthIsBounded() throws Exception {
    String deep = "[".repeat(1000) + "]".repeat(1000);
    JsonNode p = badJson("/plans", deep);
    assertEquals("body", p.get("field").asText(), p.toString());
    JsonNode inside =
        badJson("/mappings", "{\"datastores\": " + "{\"a\": ".repeat(200) + "1" + "}".repeat(201));
    assertEquals(400, inside.get("status").asInt());
  }

  @Test
  void requestRecordsAreValidatedAgainstWhatTheStoreHolds() throws Exception {
    JsonNode vm =
        badJson(
            "/plans",
            "{\"name\": \"p\", \"vms\": [{\"name\": \"ok\"}, {\"name\": \""
                + "v".repeat(256)
                + "\"}]}");
    names(vm, "vms[1].name", "max-length");
    assertEquals("vms[1].name: at most 255 characters, got 256", vm.get("detail").asText());
    names(
        badJson("/plans", "{\"name\": \"p\", \"options\": {\"concurrencyLimit\": -1}}"),
        "options.concurrencyLimit",
        "minimum");
    names(
        badJson("/plans", "{\"name\": \"p\", \"options\": {\"concurrencyLimit\": 100001}}"),
        "options.concurrencyLimit",
        "maximum");
    names(
        badJson("/plans", "{\"name\": \"p\", \"options\": {\"fifoThrottle\": 1001}}"),
        "options.fifoThrottle",
        "maximum");
    String hooks = "\"http://h.example/\",".repeat(17);
    names(
        badJson(
            "/plans",
            "{\"name\": \"p\", \"options\": {\"preMigrationHooks\": ["
                + hooks.substring(0, hooks.length() - 1)
                + "]}}"),
        "options.preMigrationHooks",
        "max-items");
    names(badJson("/vcenters", "{\"id\": \"" + "a".repeat(64) + "\"}"), "id", "max-length");
    names(
        badJson("/requests/x/close", "{\"reason\": \"" + "r".repeat(3801) + "\"}"),
        "reason",
        "max-length");
  }

  @Test
  void micronautsOwnErrorsHaveTheSameShape() throws Exception {
    names(problem(404, "GET", "/no/such/route", null, null), null, "unknown-route");
    names(problem(404, "GET", "/plans/none", null, null), "id", "not-found");
    JsonNode method = problem(405, "PATCH", "/plans", "application/json", "{}");
    assertEquals("method-not-allowed", method.get("rule").asText());
    names(
        problem(415, "POST", "/plans", "application/xml", "<plan/>"), "Content-Type", "media-type");
    names(
        problem(413, "POST", "/plans/x/vms/import", "text/csv", "VM\n" + "x".repeat(300_000)),
        "body",
        "max-size");
    HttpResponse<String> none =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/plans"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, none.statusCode());
    assertTrue(
        none.headers().firstValue("Content-Type").orElse("").startsWith(ApiError.MEDIA_TYPE));
    names(JSON.readTree(none.body()), "Authorization", "bearer-token");
  }

  /** The problem answer of a GET or POST with extra headers that must fail with the status. */
  private JsonNode problemWith(int status, String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
            .header("Authorization", "Bearer test-token")
            .method(method, HttpRequest.BodyPublishers.ofString(method.equals("GET") ? "" : "{}"));
    if (!method.equals("GET")) {
      b.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(
        ApiError.MEDIA_TYPE,
        r.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", ""),
        r.body());
    JsonNode p = JSON.readTree(r.body());
    assertEquals(status, p.get("status").asInt(), r.body());
    return p;
  }

  @Test
  void aLongUrlIs414AndLongHeadersAre431NamingWhatWasTooLong() throws Exception {
    // The request line is bounded at 4,096 bytes and the header fields at 8,192 (application.yml).
    JsonNode url = problemWith(414, "GET", "/plans/" + "x".repeat(5_000));
    names(url, "URL", "max-url-length");
    assertTrue(
        url.get("detail").asText().startsWith("URL: the request line is longer"), url.toString());
    JsonNode header = problemWith(431, "GET", "/plans", "X-Padding", "y".repeat(9_000));
    names(header, "headers", "max-header-size");
    // Just within both bounds: an ordinary answer.
    HttpResponse<String> fits =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + server.getPort() + "/plans/" + "x".repeat(3_000)))
                .header("Authorization", "Bearer test-token")
                .header("X-Padding", "y".repeat(7_000))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(404, fits.statusCode(), fits.body());
  }

  @Test
  void anAcceptTheSimulationDoesNotServeIs406ListingWhatItServes() throws Exception {
    JsonNode p = problemWith(406, "POST", "/plans/x/simulate", "Accept", "image/png");
    names(p, "Accept", "not-acceptable");
    assertEquals(
        "Accept: image/png is not served here; this resource answers application/json,"
            + " image/svg+xml",
        p.get("detail").asText());
  }

  @Test
  void micronautsManagementEndpointsAreOffButHealth() throws Exception {
    for (String path : List.of("/beans", "/env", "/loggers", "/threaddump", "/routes", "/info")) {
      names(problem(404, "GET", path, null, null), null, "unknown-route");
    }
    names(problem(404, "POST", "/refresh", "application/json", "{}"), null, "unknown-route");
    HttpResponse<String> health = send("GET", "/health", null, null);
    assertEquals(200, health.statusCode(), health.body());
    assertEquals("UP", JSON.readTree(health.body()).path("status").asText(), health.body());
  }

  @Test
  void importsNameTheRuleAndThePosition() throws Exception {
    String plan =
        JSON.readTree(
                send(
                        "POST",
                        "/vcenters",
                        "application/json",
                        "{\"id\": \"src\", \"url\": \"https://src.example/sdk\", \"thumbprint\":"
                            + " \"AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD\","
                            + " \"credentialsRef\": \"config:src\"}")
                    .body())
            .path("id")
            .asText();
    assertEquals("src", plan);
    JsonNode alias =
        problem(400, "POST", "/plans/x/vms/import", "application/yaml", "- &a web01\n- *a\n");
    names(alias, "body", "yaml-alias");
    assertEquals(2, alias.get("line").asInt());
    JsonNode csv = problem(400, "POST", "/plans/x/vms/import", "text/csv", "VM,VM\nweb01,web02\n");
    names(csv, "body", "duplicate-column");
    assertEquals(1, csv.get("line").asInt());
    assertEquals(2, csv.get("column").asInt());
  }

  /** A body that never finishes is cut off once the connection has been idle for the timeout. */
  @Test
  void aStalledBodyIsCutOff() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.getPort())) {
      s.setSoTimeout(20_000);
      String head =
          "POST /plans HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer test-token\r\n"
              + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\": ";
      s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      long start = System.nanoTime();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      int n;
      StringBuilder got = new StringBuilder();
      while ((n = in.read(buf)) >= 0) {
        got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("stalled body: connection closed after %.1f s%n", seconds);
      assertTrue(seconds >= 1.5, "closed too early: " + seconds + " s, " + got);
      assertTrue(seconds < 15, "not cut off in time: " + seconds + " s");
    }
  }
}

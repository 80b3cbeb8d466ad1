package dev.vmigrate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.vmigrate.api.support.TestVcenters;
import dev.vmigrate.api.support.Xlsx;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The REST API end to end: real HTTP, the H2 database, Temporal's test server with a fake request
 * workflow over the real ledger, and a fake inventory. Webhook events go to a local HTTP receiver.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTest implements TestPropertyProvider {
  private static final Argument<Map<String, Object>> MAP =
      Argument.mapOf(String.class, Object.class);
  private static final Argument<List<Map<String, Object>>> LIST = Argument.listOf(MAP);

  private HttpServer hooks;
  private String hookUrl;
  private final List<String> events = new CopyOnWriteArrayList<>();

  @Inject
  @Client("/")
  HttpClient http;

  @Inject dev.vmigrate.api.support.TestBeans.Vcenters vcenters;

  /** The managed object id the simulated source vCenter gave a VM. */
  private String id(String vmName) {
    return vcenters.src().vmId(vmName);
  }

  @Inject io.temporal.client.WorkflowClient workflows;

  @Inject dev.vmigrate.api.db.RequestRepository requests;

  @Override
  public Map<String, String> getProperties() {
    try {
      hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    hooks.createContext(
        "/hook",
        ex -> {
          events.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    hooks.start();
    hookUrl = "http://127.0.0.1:" + hooks.getAddress().getPort() + "/hook";
    // The hook receiver is on loopback, which hooks may reach only when the configuration says so.
    return Map.of(
        "vmigrate.webhooks.urls", hookUrl, "vmigrate.hooks.allowed-destinations", "127.0.0.0/8");
  }

  @AfterAll
  void stopHooks() {
    hooks.stop(0);
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
                  "thumbprint",
                  "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD",
                  "credentialsRef",
                  "config:" + id)));
    }
  }

  // ---- helpers ----

  private <B> MutableHttpRequest<B> auth(MutableHttpRequest<B> r) {
    return r.bearerAuth("test-token");
  }

  private Map<String, Object> call(MutableHttpRequest<?> r) {
    return http.toBlocking().retrieve(auth(r), MAP);
  }

  private HttpResponse<Map<String, Object>> exchange(MutableHttpRequest<?> r) {
    return http.toBlocking().exchange(auth(r), MAP);
  }

  /** The error answer of a call that must fail. */
  private Map<String, Object> fails(HttpStatus status, MutableHttpRequest<?> r) {
    HttpClientResponseException e =
        assertThrows(
            HttpClientResponseException.class, () -> http.toBlocking().exchange(auth(r), MAP));
    assertEquals(
        status, e.getStatus(), () -> "body: " + e.getResponse().getBody(String.class).orElse(""));
    return e.getResponse().getBody(MAP).orElseThrow();
  }

  private String mapping(Map<String, String> networks) {
    return (String)
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
                    networks)))
            .get("id");
  }

  private String mapping() {
    return mapping(Map.of("VM Network", "VM Network X"));
  }

  private Map<String, Object> plan(
      String mapping, String policy, Map<String, Object> options, List<?> vms) {
    return call(
        HttpRequest.POST(
            "/plans",
            Map.of(
                "name",
                "p-" + UUID.randomUUID(),
                "mapping",
                mapping,
                "approvalPolicy",
                policy,
                "options",
                options,
                "vms",
                vms)));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> tasks(Map<String, Object> request) {
    return (List<Map<String, Object>>) request.get("tasks");
  }

  private static Map<String, Object> task(Map<String, Object> request, String name) {
    return tasks(request).stream()
        .filter(t -> name.equals(t.get("name")))
        .findFirst()
        .orElseThrow();
  }

  private Map<String, Object> await(String requestId, Predicate<Map<String, Object>> done) {
    long deadline = System.currentTimeMillis() + 20_000;
    Map<String, Object> r;
    do {
      r = call(HttpRequest.GET("/requests/" + requestId));
      if (done.test(r)) {
        return r;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    } while (System.currentTimeMillis() < deadline);
    throw new AssertionError("request " + requestId + " never got there: " + r);
  }

  private void awaitEvents(String requestId, String... names) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      boolean all = true;
      for (String n : names) {
        all &=
            events.stream()
                .anyMatch(e -> e.contains("\"event\":\"" + n + "\"") && e.contains(requestId));
      }
      if (all) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(
        "events for " + requestId + " missing " + List.of(names) + " in " + events);
  }

  // ---- authentication ----

  @Test
  void requestsWithoutAValidBearerTokenAreRefused() {
    HttpClientResponseException none =
        assertThrows(
            HttpClientResponseException.class,
            () -> http.toBlocking().exchange(HttpRequest.GET("/plans"), MAP));
    assertEquals(HttpStatus.UNAUTHORIZED, none.getStatus());
    assertTrue(
        none.getResponse().getBody(String.class).orElse("").contains("bearer token is required"));
    HttpClientResponseException wrong =
        assertThrows(
            HttpClientResponseException.class,
            () -> http.toBlocking().exchange(HttpRequest.GET("/plans").bearerAuth("nope"), MAP));
    assertEquals(HttpStatus.UNAUTHORIZED, wrong.getStatus());
    assertEquals(
        HttpStatus.OK,
        http.toBlocking()
            .exchange(HttpRequest.GET("/plans").bearerAuth("second-token"), LIST)
            .getStatus());
  }

  @Test
  void openApiDocumentIsServed() {
    String doc = http.toBlocking().retrieve(HttpRequest.GET("/openapi.yml"));
    assertTrue(doc.startsWith("openapi: 3"), doc);
    assertTrue(doc.contains("/plans/{id}/order"));
    assertTrue(doc.contains("/requests/{id}/vms/{vmId}/{signal}"));
  }

  // ---- vCenter connections ----

  @Test
  void aVcenterRecordMustNameTheEndpointItsConfigurationConnectsTo() {
    // "src" is configured for https://src.example/sdk; "dst" is configured without a URL to check.
    assertEquals("configured", call(HttpRequest.GET("/vcenters/src")).get("connection"));
    assertEquals("configured", call(HttpRequest.GET("/vcenters/dst")).get("connection"));
    Map<String, Object> moved =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.PUT(
                "/vcenters/src",
                Map.of("url", "https://elsewhere.example/sdk", "credentialsRef", "config:src")));
    assertEquals("url", moved.get("field"));
    assertTrue(
        moved.get("message").toString().contains("https://src.example/sdk"), moved.toString());
    assertEquals(
        "https://src.example/sdk", call(HttpRequest.GET("/vcenters/src")).get("url"), "unchanged");
    // The same endpoint, written with its default port, is the same endpoint.
    assertEquals(
        "https://src.example:443/sdk",
        call(HttpRequest.PUT(
                "/vcenters/src",
                Map.of(
                    "url",
                    "https://src.example:443/sdk",
                    "thumbprint",
                    "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD",
                    "credentialsRef",
                    "config:src")))
            .get("url"));
    call(
        HttpRequest.PUT(
            "/vcenters/src",
            Map.of(
                "url",
                "https://src.example/sdk",
                "thumbprint",
                "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD",
                "credentialsRef",
                "config:src")));
  }

  @Test
  void aVcenterUrlFollowsTheWorkersRuleHttpOnlyToLoopback() {
    Map<String, Object> local = call(newVcenter("vc-loop", "http://127.0.0.1:8989/sdk"));
    assertEquals("http://127.0.0.1:8989/sdk", local.get("url"));
    Map<String, Object> plain =
        fails(HttpStatus.BAD_REQUEST, newVcenter("vc-plain", "http://vcenter.example.com/sdk"));
    assertEquals("url", plain.get("field"));
    assertEquals(
        "url: plain http:// is allowed only to a loopback host (127.0.0.0/8, ::1, localhost),"
            + " not vcenter.example.com; use https://",
        plain.get("message"));
    assertEquals(
        HttpStatus.NO_CONTENT, exchange(HttpRequest.DELETE("/vcenters/vc-loop")).getStatus());
  }

  private static MutableHttpRequest<?> newVcenter(String id, String url) {
    return HttpRequest.POST(
        "/vcenters", Map.of("id", id, "url", url, "credentialsRef", "config:" + id));
  }

  @Test
  void vcenterCrudNeverTakesOrReturnsASecret() {
    Map<String, Object> created =
        call(
            HttpRequest.POST(
                "/vcenters",
                Map.of(
                    "id",
                    "vc-crud",
                    "url",
                    "https://vc-crud.example/sdk",
                    "credentialsRef",
                    "file:/run/secrets/vc")));
    assertEquals("file:/run/secrets/vc", created.get("credentialsRef"));
    assertEquals("vc-crud", call(HttpRequest.GET("/vcenters/vc-crud")).get("id"));
    assertTrue(
        http.toBlocking().retrieve(auth(HttpRequest.GET("/vcenters")), LIST).stream()
            .anyMatch(v -> "vc-crud".equals(v.get("id"))));
    Map<String, Object> updated =
        call(
            HttpRequest.PUT(
                "/vcenters/vc-crud",
                Map.of(
                    "url",
                    "https://vc-crud2.example/sdk",
                    "insecure",
                    true,
                    "credentialsRef",
                    "config:vc")));
    assertEquals("https://vc-crud2.example/sdk", updated.get("url"));
    assertEquals(true, updated.get("insecure"));

    Map<String, Object> pw =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST(
                "/vcenters",
                Map.of(
                    "id",
                    "vc-pw",
                    "url",
                    "https://x.example",
                    "credentialsRef",
                    "config:x",
                    "password",
                    "hunter2")));
    assertEquals("password", pw.get("field"));
    assertFalse(pw.toString().contains("hunter2"));
    assertEquals(
        "credentialsRef",
        fails(
                HttpStatus.BAD_REQUEST,
                HttpRequest.POST("/vcenters", Map.of("id", "vc-x", "url", "https://x.example")))
            .get("field"));
    assertEquals(
        "url",
        fails(
                HttpStatus.BAD_REQUEST,
                HttpRequest.POST(
                    "/vcenters",
                    Map.of(
                        "id",
                        "vc-x",
                        "url",
                        "https://admin:secret@x.example",
                        "credentialsRef",
                        "config:x")))
            .get("field"));

    assertTrue(
        updated.get("connection").toString().startsWith("not configured: add vmigrate.vcenters"),
        updated.toString());

    assertEquals(
        HttpStatus.NO_CONTENT, exchange(HttpRequest.DELETE("/vcenters/vc-crud")).getStatus());
    assertEquals(
        "id", fails(HttpStatus.NOT_FOUND, HttpRequest.GET("/vcenters/vc-crud")).get("field"));
  }

  // ---- mappings ----

  @Test
  void mappingCrudAndUnknownVcenter() {
    String id = mapping();
    Map<String, Object> m = call(HttpRequest.GET("/mappings/" + id));
    assertEquals(Map.of("DS1", "DS-X"), m.get("datastores"));
    Map<String, Object> bad =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST(
                "/mappings",
                Map.of("name", "bad", "sourceVcenter", "nowhere", "destinationVcenter", "dst")));
    assertEquals("sourceVcenter", bad.get("field"));
    assertTrue(((String) bad.get("message")).contains("unknown vCenter 'nowhere'"));
    Map<String, Object> updated =
        call(
            HttpRequest.PUT(
                "/mappings/" + id,
                Map.of(
                    "name",
                    m.get("name"),
                    "sourceVcenter",
                    "src",
                    "destinationVcenter",
                    "dst",
                    "clusters",
                    List.of(Map.of("source", "Cluster-A", "destination", "Cluster-X")),
                    "datastores",
                    Map.of("DS1", "DS-X", "DS2", "DS-X"),
                    "networks",
                    Map.of())));
    assertEquals(2, ((Map<?, ?>) updated.get("datastores")).size());
    assertEquals(
        HttpStatus.NO_CONTENT, exchange(HttpRequest.DELETE("/mappings/" + id)).getStatus());
    fails(HttpStatus.NOT_FOUND, HttpRequest.GET("/mappings/" + id));
  }

  // ---- plans and their VMs ----

  @Test
  void planCrudResolvesVmsByNameMorefAndUuid() {
    String m = mapping();
    Map<String, Object> p =
        plan(
            m,
            "manual",
            Map.of("migrationType", "hot", "failurePolicy", "rollback"),
            List.of(
                Map.of("name", "web01"),
                Map.of("moref", id("web02")),
                Map.of("instanceUuid", TestVcenters.uuid(6))));
    String id = (String) p.get("id");
    List<?> vms = (List<?>) call(HttpRequest.GET("/plans/" + id)).get("vms");
    assertEquals(3, vms.size());
    assertEquals(
        Map.of(
            "vmId",
            id("app01"),
            "instanceUuid",
            TestVcenters.uuid(6),
            "name",
            "app01",
            "status",
            "planned"),
        withoutNulls((Map<?, ?>) vms.get(2)));
    assertEquals("HOT", ((Map<?, ?>) p.get("options")).get("migrationType"));
    assertTrue(
        http.toBlocking().retrieve(auth(HttpRequest.GET("/plans")), LIST).stream()
            .anyMatch(s -> id.equals(s.get("id")) && Integer.valueOf(3).equals(s.get("vmCount"))));

    Map<String, Object> upd =
        call(
            HttpRequest.PUT(
                "/plans/" + id,
                Map.of(
                    "name", p.get("name"), "mapping", m, "vms", List.of(Map.of("name", "web02")))));
    assertEquals(1, ((List<?>) upd.get("vms")).size());
    assertEquals(HttpStatus.NO_CONTENT, exchange(HttpRequest.DELETE("/plans/" + id)).getStatus());
    fails(HttpStatus.NOT_FOUND, HttpRequest.GET("/plans/" + id));
  }

  private static Map<Object, Object> withoutNulls(Map<?, ?> m) {
    Map<Object, Object> out = new java.util.HashMap<>();
    m.forEach(
        (k, v) -> {
          if (v != null) {
            out.put(k, v);
          }
        });
    return out;
  }

  @Test
  void badPlansAreRefusedNamingTheField() {
    String m = mapping();
    Map<String, Object> unknown =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST(
                "/plans",
                Map.of(
                    "name",
                    "p-unknown",
                    "mapping",
                    m,
                    "vms",
                    List.of(Map.of("name", "web01"), Map.of("name", "ghost")))));
    assertEquals("vms[1].name", unknown.get("field"));
    assertTrue(((String) unknown.get("message")).contains("no VM with name 'ghost'"));

    Map<String, Object> dup =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST(
                "/plans",
                Map.of(
                    "name",
                    "p-dup",
                    "mapping",
                    m,
                    "vms",
                    List.of(
                        Map.of("name", "web01"), Map.of("instanceUuid", TestVcenters.uuid(1))))));
    assertEquals("vms[1]", dup.get("field"));
    assertTrue(((String) dup.get("message")).contains("duplicate VM 'web01'"));

    Map<String, Object> unmapped =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST(
                "/plans",
                Map.of("name", "p-net", "mapping", m, "vms", List.of(Map.of("name", "db01")))));
    assertEquals("vms[0]", unmapped.get("field"));
    assertTrue(((String) unmapped.get("message")).contains("network 'Prod'"), unmapped.toString());

    Map<String, Object> typo =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST(
                "/plans",
                Map.of(
                    "name", "p-typo", "mapping", m, "options", Map.of("migrationType", "warm"))));
    assertEquals("options.migrationType", typo.get("field"));

    assertEquals(
        "approvalPolicy",
        fails(
                HttpStatus.BAD_REQUEST,
                HttpRequest.POST(
                    "/plans", Map.of("name", "p-pol", "mapping", m, "approvalPolicy", "sometimes")))
            .get("field"));
    assertEquals(
        "mapping",
        fails(
                HttpStatus.BAD_REQUEST,
                HttpRequest.POST("/plans", Map.of("name", "p-map", "mapping", "no-such-mapping")))
            .get("field"));
    // Nothing of the refused plans was stored.
    assertTrue(
        http.toBlocking().retrieve(auth(HttpRequest.GET("/plans")), LIST).stream()
            .noneMatch(
                p ->
                    ((String) p.get("name")).startsWith("p-")
                        && List.of("p-unknown", "p-dup", "p-net").contains(p.get("name"))));
  }

  @Test
  void postHookOptionsAreValidatedNamingTheField() {
    String m = mapping(Map.of());
    Map<String, Object> policy =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST(
                "/plans",
                Map.of(
                    "name", "p-hookf", "mapping", m, "options", Map.of("hookFailure", "retry"))));
    assertEquals("options.hookFailure", policy.get("field"));
    Map<String, Object> url =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST(
                "/plans",
                Map.of(
                    "name",
                    "p-hooku",
                    "mapping",
                    m,
                    "options",
                    Map.of("postRollbackHooks", List.of(hookUrl, "mailto:ops@example.com")))));
    assertEquals("options.postRollbackHooks[1]", url.get("field"));

    // Hooks that reach inward are refused, in every spelling, naming the field; so is a URL
    // carrying a user and password, with how to give credentials instead.
    for (String inward :
        List.of(
            "http://169.254.169.254/latest/meta-data/",
            "http://[fd00:ec2::254]/",
            "http://metadata.google.internal/computeMetadata/v1/",
            "http://10.0.0.1/",
            "http://0.0.0.0:7233/",
            // This test allows 127.0.0.0/8 for its receiver: the encodings probe other ranges.
            "http://2852039166/", // 169.254.169.254
            "http://012.0.0.1/", // 10.0.0.1
            "http://0xa9fea9fe/", // 169.254.169.254
            "http://10.1/", // 10.0.0.1
            "http://192.168.1/", // 192.168.0.1
            "http://[::1]:8080/requests/x/approve",
            "http://[::ffff:169.254.169.254]/",
            "http://[0:0:0:0:0:0:0:1]/",
            "http://localhost:8233/")) {
      Map<String, Object> refused =
          fails(
              HttpStatus.BAD_REQUEST,
              HttpRequest.POST(
                  "/plans",
                  Map.of(
                      "name",
                      "p-inward",
                      "mapping",
                      m,
                      "options",
                      Map.of("preMigrationHooks", List.of(inward)))));
      assertEquals("options.preMigrationHooks[0]", refused.get("field"), inward);
      assertTrue(
          refused.get("message").toString().contains("vmigrate.hooks.allowed-destinations"),
          refused.toString());
    }
    Map<String, Object> userinfo =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST(
                "/plans",
                Map.of(
                    "name",
                    "p-userinfo",
                    "mapping",
                    m,
                    "options",
                    Map.of("postMigrationHooks", List.of("https://ops:pa55@cmdb.example/hook")))));
    assertEquals("options.postMigrationHooks[0]", userinfo.get("field"));
    assertTrue(
        userinfo.get("message").toString().contains("\"auth\": {\"secret\""), userinfo.toString());
    assertFalse(userinfo.get("message").toString().contains("pa55"), userinfo.toString());
    Map<String, Object> badSecret =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST(
                "/plans",
                Map.of(
                    "name",
                    "p-badsecret",
                    "mapping",
                    m,
                    "options",
                    Map.of("hookAuth", Map.of("secret", "../etc/passwd")))));
    assertTrue(badSecret.toString().contains("hookAuth"), badSecret.toString());

    Map<String, Object> ok =
        plan(
            m,
            "auto",
            Map.of(
                "postMigrationHooks",
                List.of(hookUrl),
                "postRollbackHooks",
                List.of(hookUrl),
                "hookFailure",
                "IGNORE"),
            List.of());
    Map<?, ?> options = (Map<?, ?>) ok.get("options");
    assertEquals("IGNORE", options.get("hookFailure"));
    assertEquals(List.of(hookUrl), options.get("postRollbackHooks"));
  }

  @Test
  void theFifoAdmissionPolicyIsValidatedShownAndCarriedIntoTheRequest() {
    String m = mapping();
    Map<String, String> refused = new java.util.LinkedHashMap<>();
    List<Map<String, Object>> bad =
        List.of(
            Map.of("admissionPolicy", "lifo"),
            Map.of("admissionPolicy", "fifo"),
            Map.of("admissionPolicy", "vmigrate", "fifoThrottle", 4),
            Map.of("fifoThrottle", 4),
            Map.of("admissionPolicy", "fifo", "fifoThrottle", 0),
            Map.of("admissionPolicy", "fifo", "fifoThrottle", 1001));
    for (Map<String, Object> options : bad) {
      Map<String, Object> problem =
          fails(
              HttpStatus.BAD_REQUEST,
              HttpRequest.POST(
                  "/plans", Map.of("name", "p-fifo-bad", "mapping", m, "options", options)));
      refused.put(options.toString(), (String) problem.get("field"));
    }
    assertEquals(
        List.of(
            "options.admissionPolicy",
            "options.fifoThrottle",
            "options.fifoThrottle",
            "options.fifoThrottle",
            "options.fifoThrottle",
            "options.fifoThrottle"),
        List.copyOf(refused.values()),
        refused.toString());
    assertEquals(
        "options.fifoThrottle: required with options.admissionPolicy fifo, 1 to 1000 VMs at once",
        fails(
                HttpStatus.BAD_REQUEST,
                HttpRequest.POST(
                    "/plans",
                    Map.of(
                        "name",
                        "p-fifo-bad",
                        "mapping",
                        m,
                        "options",
                        Map.of("admissionPolicy", "fifo"))))
            .get("message"));

    Map<String, Object> p =
        plan(
            m,
            "auto",
            Map.of("admissionPolicy", "fifo", "fifoThrottle", 2),
            List.of(Map.of("name", "web01")));
    Map<?, ?> options = (Map<?, ?>) call(HttpRequest.GET("/plans/" + p.get("id"))).get("options");
    assertEquals("fifo", options.get("admissionPolicy"));
    assertEquals(2, options.get("fifoThrottle"));
    String requestId = orderOf(p.get("id"));
    confirmAndFinish(requestId, "web01");
    dev.vmigrate.admission.AdmissionLimits limits = requestInput(requestId).limits();
    assertEquals(dev.vmigrate.admission.AdmissionLimits.FIFO, limits.policy());
    assertEquals(2, limits.fifoThrottle());

    // A plan that does not choose runs vmigrate's admission.
    Map<String, Object> plain = plan(m, "auto", Map.of(), List.of(Map.of("name", "web02")));
    assertNull(((Map<?, ?>) plain.get("options")).get("admissionPolicy"));
    String plainRequest = orderOf(plain.get("id"));
    confirmAndFinish(plainRequest, "web02");
    assertEquals(
        dev.vmigrate.admission.AdmissionLimits.VMIGRATE,
        requestInput(plainRequest).limits().policy());
  }

  /** Confirms the request's one VM once it waits in VERIFYING, and waits for the request's end. */
  private void confirmAndFinish(String requestId, String vm) {
    await(requestId, x -> "VERIFYING".equals(task(x, vm).get("migrationState")));
    exchange(HttpRequest.POST("/requests/" + requestId + "/vms/" + id(vm) + "/confirm", ""));
    await(requestId, x -> "finished".equals(x.get("request_state")));
  }

  /** What the request's workflow was started with. */
  private dev.vmigrate.request.RequestInput requestInput(String requestId) {
    io.temporal.api.common.v1.Payload input =
        workflows
            .fetchHistory("request-" + requestId)
            .getEvents()
            .get(0)
            .getWorkflowExecutionStartedEventAttributes()
            .getInput()
            .getPayloads(0);
    return io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
        input, dev.vmigrate.request.RequestInput.class, dev.vmigrate.request.RequestInput.class);
  }

  @Test
  void optionsTemporalCannotHoldAreRefusedNamingTheField() {
    String m = mapping(Map.of());
    Map<String, Object> frozen =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST(
                "/plans",
                Map.of(
                    "name",
                    "p-frozen",
                    "mapping",
                    m,
                    "options",
                    Map.of("verify", true, "autoConfirmAfter", "P999999999D"))));
    assertEquals("options.autoConfirmAfter", frozen.get("field"));
    assertEquals(
        "options.autoConfirmAfter: at most PT8760H (a year), not PT23999999976H",
        frozen.get("message"));

    Map<String, Object> farWindow =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST(
                "/plans",
                Map.of(
                    "name",
                    "p-far",
                    "mapping",
                    m,
                    "options",
                    Map.of("windowStart", "9999-01-01T00:00:00Z"))));
    assertEquals("options.windowStart", farWindow.get("field"));
    assertTrue(
        farWindow.get("message").toString().startsWith("options.windowStart: at most PT8784H"),
        farWindow.toString());

    // A year is still fine.
    assertEquals(
        "p-year",
        call(HttpRequest.POST(
                "/plans",
                Map.of(
                    "name",
                    "p-year",
                    "mapping",
                    m,
                    "options",
                    Map.of("verify", true, "autoConfirmAfter", "P365D"))))
            .get("name"));
  }

  @Test
  void importsAnRvtoolsWorkbookAndSaysWhatItsOtherSheetsList() {
    String id = (String) plan(mapping(), "manual", Map.of(), List.of()).get("id");
    byte[] xlsx =
        Xlsx.workbook(
            "vInfo",
            List.of(
                List.<Object>of("VM", "Powerstate", "VM ID", "VM UUID", "Cluster"),
                List.<Object>of("web01", "poweredOn", id("web01"), TestVcenters.uuid(1), "A"),
                List.<Object>of("web02", "poweredOn", id("web02"), TestVcenters.uuid(2), "A")),
            "vNetwork",
            List.of(
                List.<Object>of("VM", "Network", "VM ID"),
                List.<Object>of("web01", "VLAN10", id("web01")),
                List.<Object>of("web02", "VLAN20", id("web02"))),
            "vDisk",
            List.of(
                List.<Object>of("VM", "Capacity MiB", "VM ID"),
                List.<Object>of("web01", 2048, id("web01"))));
    Map<String, Object> r =
        call(
            HttpRequest.POST("/plans/" + id + "/vms/import", xlsx)
                .contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    assertEquals(
        Map.of(
            "imported",
            2,
            "total",
            2,
            "networks",
            List.of("VLAN10", "VLAN20"),
            "disks",
            1,
            "diskCapacityMib",
            2048),
        r);
    List<?> names =
        ((List<?>) call(HttpRequest.GET("/plans/" + id)).get("vms"))
            .stream().map(v -> ((Map<?, ?>) v).get("name")).toList();
    assertEquals(List.of("web01", "web02"), names);

    // A CSV sent as a workbook is refused as one, naming the body.
    Map<String, Object> notXlsx =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST("/plans/" + id + "/vms/import", "VM\nweb03\n")
                .contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    assertEquals("body", notXlsx.get("field"));
    assertTrue(
        ((String) notXlsx.get("message")).startsWith("body: not a readable .xlsx workbook"),
        notXlsx.toString());
  }

  @Test
  void importsRvtoolsCsvAndYaml() {
    String id = (String) plan(mapping(), "manual", Map.of(), List.of()).get("id");
    String csv =
        "\uFEFFVM,Powerstate,Template,VM ID,VM UUID,SMBIOS UUID,Cluster,Host\r\n"
            + "web01,poweredOn,False,"
            + id("web01")
            + ","
            + TestVcenters.uuid(1)
            + ","
            + TestVcenters.biosUuid(1)
            + ",Cluster-A,host-1\r\n"
            + "\"web02\",poweredOn,False,,,\""
            + TestVcenters.biosUuid(2)
            + "\",Cluster-A,host-1\r\n";
    Map<String, Object> r =
        call(HttpRequest.POST("/plans/" + id + "/vms/import", csv).contentType("text/csv"));
    assertEquals(Map.of("imported", 2, "total", 2), r);

    String yaml = "vms:\n  - app01\n  - moref: " + id("app02") + "\n";
    r =
        call(
            HttpRequest.POST("/plans/" + id + "/vms/import", yaml).contentType("application/yaml"));
    assertEquals(Map.of("imported", 2, "total", 4), r);
    List<?> names =
        ((List<?>) call(HttpRequest.GET("/plans/" + id)).get("vms"))
            .stream().map(v -> ((Map<?, ?>) v).get("name")).toList();
    assertEquals(List.of("web01", "web02", "app01", "app02"), names);

    Map<String, Object> again =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST("/plans/" + id + "/vms/import", "name\napp03\nweb01\n")
                .contentType("text/csv"));
    assertEquals("line 3", again.get("field"));
    assertTrue(((String) again.get("message")).contains("already in plan"));

    Map<String, Object> quote =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST("/plans/" + id + "/vms/import", "VM,VM ID\n\"web01,vm-1\n")
                .contentType("text/csv"));
    assertTrue(
        ((String) quote.get("message")).contains("line 2: unterminated quoted field"),
        quote.toString());
    Map<String, Object> header =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST("/plans/" + id + "/vms/import", "Host,Cluster\nh,c\n")
                .contentType("text/csv"));
    assertTrue(((String) header.get("message")).contains("header has none of the columns"));
    Map<String, Object> ragged =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST("/plans/" + id + "/vms/import", "VM,VM ID\napp03\n")
                .contentType("text/csv"));
    assertTrue(
        ((String) ragged.get("message")).contains("line 2: has 1 fields but the header has 2"));
    Map<String, Object> badYaml =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST("/plans/" + id + "/vms/import", "vms: [app03\n  - : :")
                .contentType("application/yaml"));
    assertTrue(((String) badYaml.get("message")).contains("malformed YAML"));
    Map<String, Object> badKey =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST("/plans/" + id + "/vms/import", "- nmae: app03\n")
                .contentType("application/yaml"));
    assertEquals("vms[0].nmae", badKey.get("field"));
    // The failed imports added nothing.
    assertEquals(4, ((List<?>) call(HttpRequest.GET("/plans/" + id)).get("vms")).size());
  }

  @Test
  void oversizedBodiesAreRefused() {
    String big = "VM\n" + "x".repeat(300_000) + "\n";
    HttpClientResponseException e =
        assertThrows(
            HttpClientResponseException.class,
            () ->
                http.toBlocking()
                    .exchange(
                        auth(
                            HttpRequest.POST("/plans/any/vms/import", big).contentType("text/csv")),
                        String.class));
    assertEquals(HttpStatus.REQUEST_ENTITY_TOO_LARGE, e.getStatus());
  }

  // ---- ordering, approval, execution ----

  @Test
  void aMigratedVmOrderedAgainIsProposedAsARepeatUnderAMigrationIdOfItsOwn() {
    String m = mapping();
    String earlier = "vmigrate.result: migrated migrate-src-x 2026-01-01T00:00:00Z";

    // By default old01, marked migrated by its own attribute, is skipped.
    Map<String, Object> old = orderedTask(plan(m, "manual", Map.of(), vmsOld01(null)));
    assertEquals("skip", old.get("proposal"));
    assertEquals("already migrated (" + earlier + ")", old.get("reason"));

    // The plan's option orders it again, as a repeat migration that says so in the ledger.
    Map<String, Object> again =
        orderedTask(plan(m, "manual", Map.of("remigrate", true), vmsOld01(null)));
    assertEquals("approve", again.get("proposal"), again.toString());
    String note = "repeat migration: ordered again with remigrate; migrated before " + earlier;
    assertEquals(note, again.get("reason"));
    assertEquals(note, again.get("message"));
    assertEquals(
        "migrate-src-" + again.get("instanceUuid") + "-" + again.get("requestId"),
        again.get("migrationId"));

    // So does the VM's own flag, in the plan body or in an imported list.
    assertEquals(note, orderedTask(plan(m, "manual", Map.of(), vmsOld01(true))).get("reason"));
    Map<String, Object> imported = plan(m, "manual", Map.of(), List.of());
    call(
        HttpRequest.POST(
                "/plans/" + imported.get("id") + "/vms/import",
                "- name: old01\n  remigrate: true\n")
            .contentType("application/yaml"));
    assertEquals(
        true,
        ((List<Map<String, Object>>)
                call(HttpRequest.GET("/plans/" + imported.get("id"))).get("vms"))
            .get(0)
            .get("remigrate"));
    assertEquals(note, orderedTask(imported).get("reason"));
  }

  /** Orders a plan with manual approval: its request, pending. */
  private Map<String, Object> pendingRequest(Map<String, Object> plan) {
    String requestId =
        (String) call(HttpRequest.POST("/plans/" + plan.get("id") + "/order", "")).get("requestId");
    Map<String, Object> r = call(HttpRequest.GET("/requests/" + requestId));
    assertEquals("pending", r.get("approval_state"));
    return r;
  }

  private static List<Map<String, Object>> vmsOld01(Boolean remigrate) {
    return List.of(
        remigrate == null
            ? Map.of("name", "old01")
            : Map.of("name", "old01", "remigrate", remigrate));
  }

  /** Orders a plan of one VM with manual approval, reads its ledger row, then denies it. */
  private Map<String, Object> orderedTask(Map<String, Object> plan) {
    Map<String, Object> r = pendingRequest(plan);
    String requestId = (String) r.get("id");
    Map<String, Object> task = new java.util.HashMap<>(tasks(r).get(0));
    assertEquals("planned", task.get("state"));
    task.put("requestId", requestId);
    call(HttpRequest.POST("/requests/" + requestId + "/deny", Map.of("reason", "test")));
    return task;
  }

  @Test
  void automaticApprovalRunsApprovedVmsAndSkipsTheRestWithReasons() {
    Map<String, Object> p =
        plan(
            mapping(),
            "auto",
            Map.of(
                "verify",
                true,
                "postMigrationHooks",
                List.of(hookUrl),
                "postRollbackHooks",
                List.of(hookUrl + "?token=s3cret"),
                "hookFailure",
                "ignore",
                "hookAuth",
                Map.of("secret", "cmdb")),
            List.of(
                Map.of("name", "web01"),
                Map.of("name", "web02"),
                Map.of("name", "big01"),
                Map.of("name", "old01")));
    String planId = (String) p.get("id");
    HttpResponse<Map<String, Object>> ordered =
        exchange(HttpRequest.POST("/plans/" + planId + "/order", ""));
    assertEquals(HttpStatus.ACCEPTED, ordered.getStatus());
    String requestId = (String) ordered.body().get("requestId");
    assertEquals("/requests/" + requestId, ordered.header("Location"));

    // Both small VMs start; the live status comes from the migration workflow's query.
    Map<String, Object> r =
        await(
            requestId,
            x ->
                tasks(x).stream()
                        .filter(
                            t ->
                                "started".equals(t.get("state"))
                                    && "VERIFYING".equals(t.get("migrationState")))
                        .count()
                    == 2);
    assertEquals("approved", r.get("approval_state"));
    assertEquals("active", r.get("request_state"));
    assertEquals("request-" + requestId, r.get("workflowId"));
    Map<String, Object> web01 = task(r, "web01");
    assertEquals(Map.of("vm_migrate", 60, "disk_migrate", 40), web01.get("progress"));
    assertEquals("migrate-src-" + TestVcenters.uuid(1), web01.get("migrationId"));
    assertNotNull(web01.get("delivered_on"));
    // What the Temporal UI's current details show, beside it: a VM waiting for confirm is held.
    Map<?, ?> live = (Map<?, ?>) web01.get("live");
    assertEquals("VERIFYING", live.get("state"));
    assertEquals("waiting for confirm", live.get("held"));
    assertEquals(
        List.of(
            "vmigrate vm confirm " + requestId + " " + id("web01"),
            "vmigrate vm rollback " + requestId + " " + id("web01")),
        live.get("nextCommands"));
    Map<String, Object> big = task(r, "big01");
    assertEquals("skipped", big.get("state"));
    assertTrue(((String) big.get("reason")).contains("lacks capacity"), big.toString());
    Map<String, Object> old = task(r, "old01");
    assertEquals("skipped", old.get("state"));
    assertTrue(((String) old.get("reason")).startsWith("already migrated"), old.toString());

    // Request-level signals reach the request workflow.
    assertEquals(
        HttpStatus.ACCEPTED,
        exchange(HttpRequest.POST("/requests/" + requestId + "/pause", "")).getStatus());
    assertEquals("paused", progressOf(requestId));
    exchange(HttpRequest.POST("/requests/" + requestId + "/resume", ""));
    assertEquals("active", progressOf(requestId));

    // Per-VM signals reach the migration workflows. The fake pauses from VERIFYING, which the API
    // refuses (see below), so the pause goes straight to Temporal, as the Temporal CLI sends it.
    workflows.newUntypedWorkflowStub((String) web01.get("migrationId")).signal("pause");
    Map<String, Object> paused =
        await(requestId, x -> "PAUSED".equals(task(x, "web01").get("migrationState")));
    assertEquals("paused", ((Map<?, ?>) task(paused, "web01").get("live")).get("held"));
    exchange(HttpRequest.POST("/requests/" + requestId + "/vms/" + id("web01") + "/resume", ""));
    await(requestId, x -> "VERIFYING".equals(task(x, "web01").get("migrationState")));
    // VERIFYING does not take pause: the migration's Update validator refuses it, a 409 with its
    // reason, rather than a 202 for nothing.
    Map<String, Object> ignored =
        fails(
            HttpStatus.CONFLICT,
            HttpRequest.POST("/requests/" + requestId + "/vms/" + id("web01") + "/pause", ""));
    assertEquals("signal", ignored.get("field"));
    assertEquals(
        "signal: VM 'web01': pause refused: the migration is VERIFYING", ignored.get("message"));
    exchange(HttpRequest.POST("/requests/" + requestId + "/vms/" + id("web01") + "/confirm", ""));
    exchange(HttpRequest.POST("/requests/" + requestId + "/vms/" + id("web02") + "/rollback", ""));
    r = await(requestId, x -> "finished".equals(x.get("request_state")));
    assertEquals("Warn", r.get("status"));
    assertEquals("completed", task(r, "web01").get("state"));
    assertEquals(Map.of("vm_migrate", 100, "disk_migrate", 100), task(r, "web01").get("progress"));
    assertEquals("rolled_back", task(r, "web02").get("state"));
    assertEquals(1, ((Map<?, ?>) r.get("counts")).get("completed"));
    assertEquals(2, ((Map<?, ?>) r.get("counts")).get("skipped"));
    assertEquals(
        "request_state",
        fails(HttpStatus.CONFLICT, HttpRequest.POST("/requests/" + requestId + "/cancel", ""))
            .get("field"));
    assertEquals(
        "signal",
        fails(
                HttpStatus.NOT_FOUND,
                HttpRequest.POST("/requests/" + requestId + "/vms/" + id("web01") + "/explode", ""))
            .get("field"));
    assertEquals(
        "vmId",
        fails(
                HttpStatus.CONFLICT,
                HttpRequest.POST("/requests/" + requestId + "/vms/" + id("web01") + "/pause", ""))
            .get("field"));
    awaitEvents(
        requestId, "request.created", "request.approved", "request.started", "request.finished");
    // The plan's post hooks are the migration workflow's to call, durably: the ledger sends no
    // per-VM event of its own, and each VM's migration carries the plan's hooks and policy.
    assertEquals(
        0, events.stream().filter(e -> e.contains("vm.migrated") && e.contains(requestId)).count());
    io.temporal.api.common.v1.Payload input =
        workflows
            .fetchHistory((String) web01.get("migrationId"))
            .getEvents()
            .get(0)
            .getWorkflowExecutionStartedEventAttributes()
            .getInput()
            .getPayloads(0);
    dev.vmigrate.model.MigrationOptions started =
        io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE
            .fromPayload(
                input,
                dev.vmigrate.model.MigrationRequest.class,
                dev.vmigrate.model.MigrationRequest.class)
            .options();
    assertEquals(List.of(hookUrl), started.postMigrationHooks());
    assertEquals(List.of(hookUrl + "?token=s3cret"), started.postRollbackHooks());
    assertEquals(dev.vmigrate.model.HookFailure.IGNORE, started.hookFailure());
    // The hooks' credentials travel by name only; the worker resolves the name.
    assertEquals("cmdb", started.hookSecret());
    assertEquals(
        Map.of("secret", "cmdb"),
        ((Map<?, ?>) call(HttpRequest.GET("/plans/" + planId)).get("options")).get("hookAuth"));

    // The plan shows each VM's latest status; its requests list comes from the database.
    List<?> vms = (List<?>) call(HttpRequest.GET("/plans/" + planId)).get("vms");
    assertEquals(
        List.of("completed", "rolled_back", "skipped", "skipped"),
        vms.stream().map(v -> ((Map<?, ?>) v).get("status")).toList());
    assertEquals(
        1,
        http.toBlocking()
            .retrieve(auth(HttpRequest.GET("/plans/" + planId + "/requests")), LIST)
            .size());

    // Ordering again skips the completed VM and retries the rolled-back one.
    String again =
        (String) call(HttpRequest.POST("/plans/" + planId + "/order", "")).get("requestId");
    Map<String, Object> r2 = await(again, x -> "started".equals(task(x, "web02").get("state")));
    assertEquals("skipped", task(r2, "web01").get("state"));
    assertTrue(
        ((String) task(r2, "web01").get("reason"))
            .contains("already migrated by request " + requestId));
    exchange(HttpRequest.POST("/requests/" + again + "/vms/" + id("web02") + "/confirm", ""));
    await(again, x -> "finished".equals(x.get("request_state")));
  }

  @Test
  void manualApprovalWaitsShowsProposalsAndCanBeDenied() {
    String m = mapping();
    Instant windowEnd = Instant.now().plusSeconds(40); // 10 GB at 125 MB/s needs ~86 s
    Map<String, Object> p =
        plan(
            m,
            "manual",
            Map.of("windowEnd", windowEnd.toString()),
            List.of(Map.of("name", "app01")));
    Map<String, Object> r = pendingRequest(p);
    String requestId = (String) r.get("id");
    Map<String, Object> app01 = task(r, "app01");
    assertEquals("planned", app01.get("state"));
    assertEquals("skip", app01.get("proposal"));
    assertTrue(((String) app01.get("reason")).startsWith("deferred: estimated"), app01.toString());

    // While this request is open, no other request may take the same VM.
    Map<String, Object> other = plan(m, "auto", Map.of(), List.of(Map.of("name", "app01")));
    Map<String, Object> busy =
        fails(HttpStatus.CONFLICT, HttpRequest.POST("/plans/" + other.get("id") + "/order", ""));
    assertEquals("vms[0]", busy.get("field"));
    assertTrue(((String) busy.get("message")).contains("already in open request " + requestId));

    Map<String, Object> denied =
        call(
            HttpRequest.POST(
                "/requests/" + requestId + "/deny", Map.of("reason", "change freeze")));
    assertEquals("denied", denied.get("approval_state"));
    assertEquals("finished", denied.get("request_state"));
    assertEquals("skipped", task(denied, "app01").get("state"));
    assertEquals(
        "approval_state",
        fails(HttpStatus.CONFLICT, HttpRequest.POST("/requests/" + requestId + "/approve", ""))
            .get("field"));
    awaitEvents(requestId, "request.created", "request.denied");

    // Once denied, the VM is free again; a manual approval then starts it.
    Map<String, Object> p2 =
        plan(m, "manual", Map.of(), List.of(Map.of("name", "app02"), Map.of("name", "app03")));
    String r2 =
        (String) call(HttpRequest.POST("/plans/" + p2.get("id") + "/order", "")).get("requestId");
    assertEquals(
        List.of("approve", "approve"),
        tasks(call(HttpRequest.GET("/requests/" + r2))).stream()
            .map(t -> t.get("proposal"))
            .toList());
    Map<String, Object> approved = call(HttpRequest.POST("/requests/" + r2 + "/approve", ""));
    assertEquals("approved", approved.get("approval_state"));
    await(r2, x -> tasks(x).stream().allMatch(t -> "started".equals(t.get("state"))));
    exchange(HttpRequest.POST("/requests/" + r2 + "/vms/" + id("app02") + "/confirm", ""));
    exchange(HttpRequest.POST("/requests/" + r2 + "/vms/" + id("app03") + "/confirm", ""));
    Map<String, Object> fin = await(r2, x -> "finished".equals(x.get("request_state")));
    assertEquals("Ok", fin.get("status"));
    assertNull(fin.get("nothing"));
  }

  @Test
  void aRequestWaitingForItsWindowIsARunningWorkflowThatACancelEndsAtOnce() {
    Instant start = Instant.now().plus(Duration.ofDays(365));
    Map<String, Object> p =
        plan(
            mapping(),
            "auto",
            Map.of(
                "windowStart", start.toString(), "windowEnd", start.plusSeconds(3600).toString()),
            List.of(Map.of("name", "app03")));
    String id =
        (String) call(HttpRequest.POST("/plans/" + p.get("id") + "/order", "")).get("requestId");
    Map<String, Object> waiting =
        await(id, r -> ("waits for its window, starts at " + start).equals(r.get("message")));
    assertEquals("active", waiting.get("request_state"));
    assertEquals("approved", task(waiting, "app03").get("state"));
    // The wait is the workflow's own timer, not a start delay: the workflow runs and has a timer.
    io.temporal.client.WorkflowStub wf = workflows.newUntypedWorkflowStub("request-" + id);
    assertEquals(
        io.temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED,
        awaitTimer("request-" + id).getEventType());
    assertEquals(
        io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
        workflows
            .getWorkflowServiceStubs()
            .blockingStub()
            .describeWorkflowExecution(
                io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace(workflows.getOptions().getNamespace())
                    .setExecution(
                        io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                            .setWorkflowId("request-" + id))
                    .build())
            .getWorkflowExecutionInfo()
            .getStatus());

    assertEquals(
        HttpStatus.ACCEPTED,
        exchange(HttpRequest.POST("/requests/" + id + "/cancel", "")).status());
    Map<String, Object> done = await(id, r -> "finished".equals(r.get("request_state")));
    assertEquals("skipped", task(done, "app03").get("state"));
    wf.getResult(Object.class); // the workflow ended, not just the ledger row
  }

  /** The first timer the workflow started, once it has started one. */
  private io.temporal.api.history.v1.HistoryEvent awaitTimer(String workflowId) {
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline) {
      for (io.temporal.api.history.v1.HistoryEvent e :
          workflows.fetchHistory(workflowId).getEvents()) {
        if (e.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED) {
          return e;
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(workflowId + " started no timer");
  }

  @Test
  void orderingIsRefusedWhenTheMappingNoLongerCoversAVm() {
    String m = mapping();
    Map<String, Object> p = plan(m, "auto", Map.of(), List.of(Map.of("name", "web01")));
    // The mapping loses its network entry after the plan was made.
    Map<String, Object> mv = call(HttpRequest.GET("/mappings/" + m));
    call(
        HttpRequest.PUT(
            "/mappings/" + m,
            Map.of(
                "name",
                mv.get("name"),
                "sourceVcenter",
                "src",
                "destinationVcenter",
                "dst",
                "clusters",
                mv.get("clusters"),
                "datastores",
                mv.get("datastores"),
                "networks",
                Map.of())));
    Map<String, Object> e =
        fails(HttpStatus.BAD_REQUEST, HttpRequest.POST("/plans/" + p.get("id") + "/order", ""));
    assertEquals("mapping", e.get("field"));
    assertTrue(((String) e.get("message")).contains("network 'VM Network'"), e.toString());
    assertTrue(
        http.toBlocking()
            .retrieve(auth(HttpRequest.GET("/plans/" + p.get("id") + "/requests")), LIST)
            .isEmpty());
    assertEquals(
        "id", fails(HttpStatus.NOT_FOUND, HttpRequest.POST("/plans/nope/order", "")).get("field"));
  }

  @Test
  void ofConcurrentApproveAndDenyExactlyOneWins() throws Exception {
    Map<String, Object> p = plan(mapping(), "manual", Map.of(), List.of(Map.of("name", "web01")));
    String id =
        (String) call(HttpRequest.POST("/plans/" + p.get("id") + "/order", "")).get("requestId");
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var a = pool.submit(() -> statusOf(HttpRequest.POST("/requests/" + id + "/approve", "")));
      var d = pool.submit(() -> statusOf(HttpRequest.POST("/requests/" + id + "/deny", Map.of())));
      List<Integer> codes = java.util.stream.Stream.of(a.get(), d.get()).sorted().toList();
      assertEquals(List.of(200, 409), codes);
    } finally {
      pool.shutdown();
    }
    Map<String, Object> r = call(HttpRequest.GET("/requests/" + id));
    if ("approved".equals(r.get("approval_state"))) {
      await(id, x -> "started".equals(task(x, "web01").get("state")));
      exchange(HttpRequest.POST("/requests/" + id + "/vms/" + id("web01") + "/rollback", ""));
      await(id, x -> "finished".equals(x.get("request_state")));
    } else {
      assertEquals("denied", r.get("approval_state"));
    }
  }

  private String progressOf(String requestId) {
    return workflows
        .newWorkflowStub(dev.vmigrate.request.PlanRequestWorkflow.class, "request-" + requestId)
        .progress()
        .state()
        .value();
  }

  private int statusOf(MutableHttpRequest<?> r) {
    try {
      return http.toBlocking().exchange(auth(r), MAP).code();
    } catch (HttpClientResponseException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void unknownRequestIs404() {
    assertEquals("id", fails(HttpStatus.NOT_FOUND, HttpRequest.GET("/requests/nope")).get("field"));
    assertTrue(MediaType.APPLICATION_JSON_TYPE != null);
  }

  // ---- VMs across requests ----

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> items(Map<String, Object> page) {
    return (List<Map<String, Object>>) page.get("items");
  }

  @Test
  void vmsAcrossRequestsAreListedByStatePlanAndRequestAPageAtATime() {
    Map<String, Object> p =
        plan(
            mapping(),
            "manual",
            Map.of(),
            List.of(Map.of("name", "web01"), Map.of("name", "app02")));
    String planId = (String) p.get("id");
    String requestId =
        (String) call(HttpRequest.POST("/plans/" + planId + "/order", "")).get("requestId");

    Map<String, Object> planned = call(HttpRequest.GET("/vms?state=planned&plan=" + p.get("name")));
    assertEquals(2, ((Number) planned.get("total")).intValue(), planned.toString());
    Map<String, Object> web01 =
        items(planned).stream()
            .filter(v -> "web01".equals(v.get("name")))
            .findFirst()
            .orElseThrow();
    assertEquals(requestId, web01.get("requestId"));
    assertEquals(planId, web01.get("planId"));
    assertEquals(p.get("name"), web01.get("planName"));
    assertEquals(id("web01"), web01.get("vmId"));
    assertEquals("planned", web01.get("state"));

    Map<String, Object> first = call(HttpRequest.GET("/vms?request=" + requestId + "&limit=1"));
    assertEquals(2, ((Number) first.get("total")).intValue());
    assertEquals(1, items(first).size());
    Map<String, Object> second =
        call(HttpRequest.GET("/vms?request=" + requestId + "&limit=1&offset=1"));
    assertEquals(1, items(second).size());
    assertFalse(items(first).get(0).get("vmId").equals(items(second).get(0).get("vmId")));

    call(HttpRequest.POST("/requests/" + requestId + "/deny", Map.of("reason", "not today")));
    assertEquals(
        0,
        ((Number) call(HttpRequest.GET("/vms?state=planned&request=" + requestId)).get("total"))
            .intValue());
    Map<String, Object> skipped =
        call(HttpRequest.GET("/vms?state=started&state=skipped,failed&request=" + requestId));
    assertEquals(2, ((Number) skipped.get("total")).intValue());
    assertEquals("denied: not today", items(skipped).get(0).get("message"));

    Map<String, Object> badState =
        fails(HttpStatus.BAD_REQUEST, HttpRequest.GET("/vms?state=gone"));
    assertEquals("state", badState.get("field"));
    assertTrue(((String) badState.get("message")).contains("'gone' is not one of planned"));
    assertEquals(
        "limit", fails(HttpStatus.BAD_REQUEST, HttpRequest.GET("/vms?limit=0")).get("field"));
    assertEquals(
        "offset", fails(HttpStatus.BAD_REQUEST, HttpRequest.GET("/vms?offset=-1")).get("field"));
    assertEquals(
        "plan", fails(HttpStatus.NOT_FOUND, HttpRequest.GET("/vms?plan=nope")).get("field"));
    Map<String, Object> noRequest =
        fails(HttpStatus.NOT_FOUND, HttpRequest.GET("/vms?request=nope"));
    assertEquals("request", noRequest.get("field"));
    assertEquals("request: no request 'nope'", noRequest.get("message"));
  }

  // ---- bodies the API cannot read or store ----

  /** A raw JSON body, as a client that builds its own text sends it. */
  private static MutableHttpRequest<String> json(String path, String body) {
    return HttpRequest.POST(path, body).contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  /** A 400 whose message says what is wrong without Java's words for it. */
  private Map<String, Object> badRequest(MutableHttpRequest<?> r) {
    Map<String, Object> e = fails(HttpStatus.BAD_REQUEST, r);
    String message = (String) e.get("message");
    assertNotNull(message, e.toString());
    for (String leak :
        List.of("com.fasterxml", "io.micronaut", "java.", "Exception", "\tat ", "SQL", "INSERT")) {
      assertFalse(message.contains(leak), () -> "leaks '" + leak + "': " + message);
    }
    return e;
  }

  @Test
  void malformedJsonIsA400SayingWhere() {
    for (String path : List.of("/plans", "/mappings", "/vcenters")) {
      Map<String, Object> cut = badRequest(json(path, "{\"name\": \"x\",\n  \"mapping\": "));
      assertEquals("body", cut.get("field"), cut.toString());
      assertTrue(((String) cut.get("message")).contains("line 2"), cut.toString());

      Map<String, Object> missingComma = badRequest(json(path, "{\"name\": \"x\" \"id\": 1}"));
      assertEquals("body", missingComma.get("field"), missingComma.toString());
      assertTrue(
          ((String) missingComma.get("message")).contains("column"), missingComma.toString());
    }
  }

  @Test
  void trailingGarbageAfterTheJsonIsA400() {
    String m = mapping();
    Map<String, Object> e =
        badRequest(json("/plans", "{\"name\": \"p-trail\", \"mapping\": \"" + m + "\"} xyz"));
    assertEquals("body", e.get("field"), e.toString());
    Map<String, Object> two =
        badRequest(json("/plans", "{\"name\": \"p-trail\", \"mapping\": \"" + m + "\"} {}"));
    assertEquals("body", two.get("field"), two.toString());
    fails(HttpStatus.NOT_FOUND, HttpRequest.GET("/plans/p-trail"));
  }

  @Test
  void aValueOfTheWrongJsonTypeIsA400NamingTheField() {
    assertEquals(
        "name",
        badRequest(json("/plans", "{\"name\": {\"a\": 1}, \"mapping\": \"m\"}")).get("field"));
    assertEquals(
        "vms[0]",
        badRequest(json("/plans", "{\"name\": \"p-x\", \"vms\": \"web01\"}")).get("field"));
    assertEquals(
        "insecure",
        badRequest(json("/vcenters", "{\"id\": \"vc-t\", \"insecure\": \"maybe\"}")).get("field"));
    assertEquals(
        "datastores",
        badRequest(json("/mappings", "{\"name\": \"m-t\", \"datastores\": [\"DS1\"]}"))
            .get("field"));
    assertEquals("body", badRequest(json("/plans", "[1, 2]")).get("field"));
    assertEquals(
        "vms[0]", badRequest(json("/plans", "{\"name\": \"p-x\", \"vms\": [5]}")).get("field"));
  }

  @Test
  void aStringLongerThanItsColumnIsA400NamingTheField() {
    String m = mapping();
    Map<String, Object> plan =
        badRequest(HttpRequest.POST("/plans", Map.of("name", "p".repeat(256), "mapping", m)));
    assertEquals("name", plan.get("field"));
    assertEquals("name: at most 255 characters, got 256", plan.get("message"));
    String longest = "p".repeat(254) + "-";
    assertEquals(
        longest,
        call(HttpRequest.POST("/plans", Map.of("name", longest, "mapping", m))).get("name"));

    Map<String, Object> mapping =
        badRequest(
            HttpRequest.POST(
                "/mappings",
                Map.of(
                    "name", "m".repeat(256), "sourceVcenter", "src", "destinationVcenter", "dst")));
    assertEquals("name", mapping.get("field"));
    assertEquals("name: at most 255 characters, got 256", mapping.get("message"));

    for (String field : List.of("url", "trustStore", "credentialsRef")) {
      Map<String, Object> body = new java.util.HashMap<>();
      body.put("id", "vc-long");
      body.put("url", "https://vc-long.example/sdk");
      body.put("credentialsRef", "config:vc-long");
      String prefix = field.equals("credentialsRef") ? "file:/" : "https://vc.example/";
      body.put(field, prefix + "a".repeat(1025 - prefix.length()));
      Map<String, Object> vc = badRequest(HttpRequest.POST("/vcenters", body));
      assertEquals(field, vc.get("field"), vc.toString());
      assertEquals(field + ": at most 1024 characters, got 1025", vc.get("message"));
    }

    Map<String, Object> p = plan(m, "manual", Map.of(), List.of(Map.of("name", "web01")));
    String id =
        (String) call(HttpRequest.POST("/plans/" + p.get("id") + "/order", "")).get("requestId");
    Map<String, Object> deny =
        badRequest(
            HttpRequest.POST("/requests/" + id + "/deny", Map.of("reason", "r".repeat(5000))));
    assertEquals("reason", deny.get("field"));
    assertEquals("pending", call(HttpRequest.GET("/requests/" + id)).get("approval_state"));
    Map<String, Object> close =
        badRequest(
            HttpRequest.POST("/requests/" + id + "/close", Map.of("reason", "r".repeat(5000))));
    assertEquals("reason", close.get("field"));
    call(HttpRequest.POST("/requests/" + id + "/deny", Map.of("reason", "test")));
  }

  /** The status of a call, and for an error the message of its body. */
  private String answerOf(MutableHttpRequest<?> r) {
    try {
      return String.valueOf(http.toBlocking().exchange(auth(r), MAP).code());
    } catch (HttpClientResponseException e) {
      return e.getStatus().getCode()
          + " "
          + e.getResponse().getBody(MAP).orElseThrow().get("message");
    }
  }

  @Test
  void ofConcurrentCreationsOfOneNameExactlyOneIsCreated() throws Exception {
    String m = mapping();
    String name = "p-race-" + UUID.randomUUID();
    int clients = 8;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
    var start = new java.util.concurrent.CountDownLatch(1);
    try {
      List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < clients; i++) {
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  return answerOf(HttpRequest.POST("/plans", Map.of("name", name, "mapping", m)));
                }));
      }
      start.countDown();
      List<String> got = new java.util.ArrayList<>();
      for (var a : answers) {
        got.add(a.get());
      }
      got.sort(null);
      // Every loser hears what the sequential duplicate hears, not the database's backstop.
      List<String> expected = new java.util.ArrayList<>(List.of("201"));
      expected.addAll(
          java.util.Collections.nCopies(
              clients - 1, "409 name: plan '" + name + "' already exists"));
      assertEquals(expected, got);
    } finally {
      pool.shutdown();
    }
    assertEquals(name, call(HttpRequest.GET("/plans/" + name)).get("name"));
  }

  // ---- one open request per plan, idempotency keys, archived plans, VM references, signals ----

  /** The raw body of a call that must fail with {@code status}, whatever the error's shape. */
  private String refusal(HttpStatus status, MutableHttpRequest<?> r) {
    HttpClientResponseException e =
        assertThrows(
            HttpClientResponseException.class, () -> http.toBlocking().exchange(auth(r), MAP));
    String body = e.getResponse().getBody(String.class).orElse("");
    assertEquals(status, e.getStatus(), () -> "body: " + body);
    return body;
  }

  private String orderOf(Object planId) {
    return (String) call(HttpRequest.POST("/plans/" + planId + "/order", "")).get("requestId");
  }

  private void deny(String requestId) {
    call(HttpRequest.POST("/requests/" + requestId + "/deny", Map.of("reason", "test over")));
  }

  @Test
  void aPlanWithAnOpenRequestIsNotOrderedAgainUnlessConcurrentRequestsAreAllowed() {
    Map<String, Object> p = plan(mapping(), "manual", Map.of(), List.of(Map.of("name", "app01")));
    Object planId = p.get("id");
    String first = orderOf(planId);
    String again =
        refusal(HttpStatus.CONFLICT, HttpRequest.POST("/plans/" + planId + "/order", ""));
    assertTrue(again.contains("has open request " + first + " (pending)"), again);
    assertTrue(again.contains("allowConcurrent"), again);
    // Asked for explicitly, a second request is made for what is free: the plan's VMs now.
    call(
        HttpRequest.PUT(
            "/plans/" + planId,
            Map.of(
                "name",
                p.get("name"),
                "mapping",
                p.get("mappingId"),
                "approvalPolicy",
                "manual",
                "vms",
                List.of(Map.of("name", "app02")))));
    HttpResponse<Map<String, Object>> second =
        exchange(HttpRequest.POST("/plans/" + planId + "/order", Map.of("allowConcurrent", true)));
    assertEquals(HttpStatus.ACCEPTED, second.getStatus());
    String secondId = (String) second.body().get("requestId");
    assertTrue(!secondId.equals(first));
    // allowConcurrent: false is the default, and the refusal names the newest open request.
    String third =
        refusal(
            HttpStatus.CONFLICT,
            HttpRequest.POST("/plans/" + planId + "/order", Map.of("allowConcurrent", false)));
    assertTrue(third.contains("has open request " + secondId), third);
    deny(first);
    deny(secondId);
    // Once its requests finished, the plan is ordered again as usual.
    deny(orderOf(planId));
  }

  @Test
  void anIdempotencyKeyAnswersTheRequestItsFirstOrderMade() {
    Map<String, Object> p = plan(mapping(), "manual", Map.of(), List.of(Map.of("name", "app03")));
    Object planId = p.get("id");
    String key = "order-" + UUID.randomUUID();
    HttpResponse<Map<String, Object>> first =
        exchange(
            HttpRequest.POST("/plans/" + planId + "/order", "").header("Idempotency-Key", key));
    assertEquals(HttpStatus.ACCEPTED, first.getStatus());
    String id = (String) first.body().get("requestId");
    HttpResponse<Map<String, Object>> replay =
        exchange(
            HttpRequest.POST("/plans/" + planId + "/order", "").header("Idempotency-Key", key));
    assertEquals(HttpStatus.OK, replay.getStatus());
    assertEquals(first.body(), replay.body());
    assertEquals("/requests/" + id, replay.header("Location"));
    // Even after the request finished the key answers it, and orders nothing new.
    deny(id);
    HttpResponse<Map<String, Object>> later =
        exchange(
            HttpRequest.POST("/plans/" + planId + "/order", "").header("Idempotency-Key", key));
    assertEquals(HttpStatus.OK, later.getStatus());
    assertEquals(id, later.body().get("requestId"));
    assertEquals("denied", later.body().get("approvalState"));
    assertEquals(
        1,
        http.toBlocking()
            .retrieve(auth(HttpRequest.GET("/plans/" + planId + "/requests")), LIST)
            .size());
    // A key is one order: on another plan it is refused, and a bad key is refused naming it.
    Map<String, Object> other =
        plan(mapping(), "manual", Map.of(), List.of(Map.of("name", "app03")));
    String reused =
        refusal(
            HttpStatus.CONFLICT,
            HttpRequest.POST("/plans/" + other.get("id") + "/order", "")
                .header("Idempotency-Key", key));
    assertTrue(
        reused.contains("Idempotency-Key: '" + key + "' was used for request " + id), reused);
    String tooLong =
        refusal(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST("/plans/" + other.get("id") + "/order", "")
                .header("Idempotency-Key", "k".repeat(256)));
    assertTrue(tooLong.contains("Idempotency-Key: at most 255 characters"), tooLong);
    assertTrue(
        http.toBlocking()
            .retrieve(auth(HttpRequest.GET("/plans/" + other.get("id") + "/requests")), LIST)
            .isEmpty());
  }

  @Test
  void deletingAnOrderedPlanArchivesItAndKeepsItsRequests() {
    Map<String, Object> p = plan(mapping(), "manual", Map.of(), List.of(Map.of("name", "app03")));
    String planId = (String) p.get("id");
    String name = (String) p.get("name");
    String requestId = orderOf(planId);
    refusal(HttpStatus.CONFLICT, HttpRequest.DELETE("/plans/" + planId));
    deny(requestId);
    assertEquals(
        HttpStatus.NO_CONTENT, exchange(HttpRequest.DELETE("/plans/" + planId)).getStatus());

    // Hidden from the plan list unless asked for, still readable with its requests.
    List<Map<String, Object>> live =
        http.toBlocking().retrieve(auth(HttpRequest.GET("/plans")), LIST);
    assertTrue(live.stream().noneMatch(x -> planId.equals(x.get("id"))), live.toString());
    Map<String, Object> archived =
        http.toBlocking().retrieve(auth(HttpRequest.GET("/plans?archived=true")), LIST).stream()
            .filter(x -> planId.equals(x.get("id")))
            .findFirst()
            .orElseThrow();
    assertNotNull(archived.get("archivedAt"));
    Map<String, Object> shown = call(HttpRequest.GET("/plans/" + name));
    assertNotNull(shown.get("archivedAt"));
    assertEquals("skipped", ((Map<?, ?>) ((List<?>) shown.get("vms")).get(0)).get("status"));
    Map<String, Object> r = call(HttpRequest.GET("/requests/" + requestId));
    assertEquals("denied", r.get("approval_state"));
    assertEquals("skipped", task(r, "app03").get("state"));
    assertEquals(
        requestId,
        http.toBlocking()
            .retrieve(auth(HttpRequest.GET("/plans/" + planId + "/requests")), LIST)
            .get(0)
            .get("id"));
    assertEquals(
        1L, ((Number) call(HttpRequest.GET("/vms?plan=" + planId)).get("total")).longValue());

    // Never ordered or changed again; its name stays taken; deleting it again changes nothing.
    String order =
        refusal(HttpStatus.CONFLICT, HttpRequest.POST("/plans/" + planId + "/order", ""));
    assertTrue(order.contains("is archived"), order);
    refusal(
        HttpStatus.CONFLICT,
        HttpRequest.PUT("/plans/" + planId, Map.of("name", name, "mapping", p.get("mappingId"))));
    refusal(
        HttpStatus.CONFLICT,
        HttpRequest.POST("/plans/" + planId + "/vms/import", "name\napp02\n")
            .contentType(MediaType.of("text/csv")));
    String taken =
        refusal(
            HttpStatus.CONFLICT,
            HttpRequest.POST("/plans", Map.of("name", name, "mapping", p.get("mappingId"))));
    assertTrue(taken.contains("archived"), taken);
    assertEquals(
        HttpStatus.NO_CONTENT, exchange(HttpRequest.DELETE("/plans/" + planId)).getStatus());
    assertEquals(name, call(HttpRequest.GET("/plans/" + planId)).get("name"));
    String mappingInUse =
        refusal(HttpStatus.CONFLICT, HttpRequest.DELETE("/mappings/" + p.get("mappingId")));
    assertTrue(
        mappingInUse.contains("is used by plan '" + name + "' (archived, kept for its requests)"),
        mappingInUse);

    // A plan never ordered has no history to keep: it is deleted.
    Map<String, Object> unused =
        plan(mapping(), "manual", Map.of(), List.of(Map.of("name", "app03")));
    exchange(HttpRequest.DELETE("/plans/" + unused.get("id")));
    refusal(HttpStatus.NOT_FOUND, HttpRequest.GET("/plans/" + unused.get("id")));
  }

  @Inject dev.vmigrate.api.db.RequestVmRepository requestVms;

  @Inject io.micronaut.transaction.TransactionOperations<java.sql.Connection> tx;

  @Test
  void aVmOfARequestIsNamedByItsMorefInstanceUuidOrName() {
    Map<String, Object> p = plan(mapping(), "manual", Map.of(), List.of());
    // A finished request whose VMs include two of one name (vCenter allows it across folders),
    // committed for the server to see (this class's test methods run in a transaction of their
    // own).
    Instant now = Instant.now();
    String rid = "req-" + UUID.randomUUID();
    String[][] vms = {
      {"vm-901", TestVcenters.uuid(901), "twin"},
      {"vm-902", TestVcenters.uuid(902), "twin"},
      {"vm-903", TestVcenters.uuid(903), "solo"}
    };
    tx.execute(
        io.micronaut.transaction.TransactionDefinition.of(
            io.micronaut.transaction.TransactionDefinition.Propagation.REQUIRES_NEW),
        status -> {
          requests.save(
              new dev.vmigrate.api.db.RequestRow(
                  rid,
                  (String) p.get("id"),
                  (String) p.get("name"),
                  "src",
                  "approved",
                  "finished",
                  "Warn",
                  "test",
                  0,
                  null,
                  now,
                  now));
          for (int i = 0; i < vms.length; i++) {
            requestVms.save(
                dev.vmigrate.api.db.RequestVmRow.builder(
                        rid, i, vms[i][0], vms[i][1], vms[i][2], now)
                    .state(dev.vmigrate.request.VmTaskState.SKIPPED)
                    .proposal("skip", "test")
                    .build());
          }
          return null;
        });
    String base = "/requests/" + rid + "/vms/";
    // Each reference finds its VM, which then is refused for its state, by name.
    for (String ref : List.of("vm-903", TestVcenters.uuid(903).toUpperCase(), "solo")) {
      String body = refusal(HttpStatus.CONFLICT, HttpRequest.POST(base + ref + "/pause", ""));
      assertTrue(body.contains("VM 'solo' is skipped, not started"), ref + ": " + body);
    }
    assertTrue(
        refusal(HttpStatus.CONFLICT, HttpRequest.POST(base + "vm-901/pause", ""))
            .contains("VM 'twin' is skipped"));
    String ambiguous = refusal(HttpStatus.CONFLICT, HttpRequest.POST(base + "twin/pause", ""));
    assertTrue(
        ambiguous.contains(
            "2 VMs of request "
                + rid
                + " are named 'twin': vm-901 (instance UUID "
                + TestVcenters.uuid(901)
                + "), vm-902 (instance UUID "
                + TestVcenters.uuid(902)
                + ")"),
        ambiguous);
    String unknown = refusal(HttpStatus.NOT_FOUND, HttpRequest.POST(base + "nope/pause", ""));
    assertTrue(unknown.contains("request " + rid + " has no VM 'nope'"), unknown);
  }

  @Test
  void aRequestSignalTheRequestCannotTakeIs409NamingItsState() {
    Map<String, Object> p =
        plan(mapping(), "auto", Map.of("verify", true), List.of(Map.of("name", "app02")));
    String rid = orderOf(p.get("id"));
    await(rid, x -> "VERIFYING".equals(task(x, "app02").get("migrationState")));
    String path = "/requests/" + rid + "/";
    assertEquals(HttpStatus.ACCEPTED, exchange(HttpRequest.POST(path + "pause", "")).getStatus());
    awaitProgress(rid, "paused");
    assertTrue(
        refusal(HttpStatus.CONFLICT, HttpRequest.POST(path + "pause", ""))
            .contains(
                "signal: request "
                    + rid
                    + " is paused, which ignores pause; it accepts resume,"
                    + " cancel"));
    assertEquals(HttpStatus.ACCEPTED, exchange(HttpRequest.POST(path + "resume", "")).getStatus());
    awaitProgress(rid, "active");
    assertTrue(
        refusal(HttpStatus.CONFLICT, HttpRequest.POST(path + "resume", ""))
            .contains("is active, which ignores resume; it accepts pause, cancel"));
    assertEquals(HttpStatus.ACCEPTED, exchange(HttpRequest.POST(path + "cancel", "")).getStatus());
    awaitProgress(rid, "cancelling");
    for (String signal : List.of("cancel", "pause", "resume")) {
      assertTrue(
          refusal(HttpStatus.CONFLICT, HttpRequest.POST(path + signal, ""))
              .contains("is cancelling, which ignores " + signal + "; it accepts no signal"),
          signal);
    }
    // The VM is named as the request lists it; its rollback ends the request.
    assertEquals(
        HttpStatus.ACCEPTED,
        exchange(HttpRequest.POST(path + "vms/app02/rollback", "")).getStatus());
    Map<String, Object> fin = await(rid, x -> "finished".equals(x.get("request_state")));
    assertEquals("rolled_back", task(fin, "app02").get("state"));
    assertTrue(
        refusal(HttpStatus.CONFLICT, HttpRequest.POST(path + "pause", ""))
            .contains("is finished, not active or paused"));
  }

  private void awaitProgress(String requestId, String state) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!state.equals(progressOf(requestId))) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("request " + requestId + " never read " + state);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}

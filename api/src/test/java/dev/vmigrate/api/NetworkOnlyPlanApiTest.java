package dev.vmigrate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.api.db.RequestVmRepository;
import dev.vmigrate.api.db.RequestVmRow;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Network-only plans through the REST API (options.migrationType network): the mapping must map
 * networks only, a VM needs one NIC on a mapped network, and an order approves such VMs without a
 * cluster or datastore mapping, as a move that changes no storage.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkOnlyPlanApiTest implements TestPropertyProvider {
  private static final Argument<Map<String, Object>> MAP =
      Argument.mapOf(String.class, Object.class);

  @Inject
  @Client("/")
  HttpClient http;

  @Inject RequestVmRepository requestVms;

  /** A database of its own, so the other API tests find none of its vCenters, mappings or plans. */
  @Override
  public Map<String, String> getProperties() {
    return Map.of(
        "datasources.default.url",
        "jdbc:h2:mem:network-only-test;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
            + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
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

  private String mapping(Map<String, Object> body) {
    Map<String, Object> b = new java.util.HashMap<>(body);
    b.put("name", "m-" + UUID.randomUUID());
    return (String) call(HttpRequest.POST("/mappings", b)).get("id");
  }

  /** Within "src": Prod moves to VM Network, nothing else is mapped. */
  private String networksOnly() {
    return mapping(
        Map.of(
            "sourceVcenter", "src",
            "destinationVcenter", "src",
            "networks", Map.of("Prod", "VM Network")));
  }

  private static Map<String, Object> planBody(String mapping, List<?> vms) {
    return Map.of(
        "name",
        "p-" + UUID.randomUUID(),
        "mapping",
        mapping,
        "options",
        Map.of("migrationType", "network"),
        "vms",
        vms);
  }

  @Test
  void aNetworkOnlyPlanRefusesAMappingThatMovesTheVm() {
    String moving =
        mapping(
            Map.of(
                "sourceVcenter",
                "src",
                "destinationVcenter",
                "dst",
                "clusters",
                List.of(Map.of("source", "Cluster-A", "destination", "Cluster-X")),
                "datastores",
                Map.of("DS1", "DS-X"),
                "networks",
                Map.of("Prod", "VM Network X")));

    Map<String, Object> e =
        fails(HttpStatus.BAD_REQUEST, HttpRequest.POST("/plans", planBody(moving, List.of())));

    assertEquals("mapping", e.get("field"));
    String message = (String) e.get("message");
    assertTrue(message.contains("cannot drive a network-only plan"), message);
    assertTrue(message.contains("mapping.destinationVcenter: must be the source vCenter src"));
    assertTrue(message.contains("mapping.clusters: must be empty"), message);
    assertTrue(message.contains("mapping.datastores: must be empty"), message);
  }

  @Test
  void aVmWithoutANicOnAMappedNetworkIsRefusedNamingTheEntry() {
    Map<String, Object> e =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST(
                "/plans",
                planBody(
                    networksOnly(), List.of(Map.of("name", "db01"), Map.of("name", "web01")))));

    assertEquals("vms[1]", e.get("field"));
    assertTrue(
        ((String) e.get("message")).contains("VM 'web01' uses network 'VM Network'"), e.toString());
  }

  @Test
  void anOrderApprovesTheVmWithoutClusterOrDatastoreMappingsAndChangesNoStorage() {
    Map<String, Object> p =
        call(HttpRequest.POST("/plans", planBody(networksOnly(), List.of(Map.of("name", "db01")))));
    assertEquals("NETWORK", ((Map<?, ?>) p.get("options")).get("migrationType"));

    Map<String, Object> ordered = call(HttpRequest.POST("/plans/" + p.get("id") + "/order", ""));
    String requestId = (String) ordered.get("requestId");

    List<RequestVmRow> rows = requestVms.findByRequestIdOrderByPosition(requestId);
    assertEquals(1, rows.size());
    RequestVmRow db01 = rows.get(0);
    assertEquals("db01", db01.name());
    assertEquals("approve", db01.proposal(), db01::reason);
    assertEquals(false, db01.storageChange(), "a NIC move changes no storage");
    assertEquals("", db01.destinationDatastores());
  }
}

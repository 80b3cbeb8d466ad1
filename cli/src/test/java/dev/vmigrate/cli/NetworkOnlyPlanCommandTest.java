package dev.vmigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.server.AllInOneServer;
import dev.vmigrate.server.TestGateways;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A network-only plan through the CLI, the API, the request workflow with admission control and the
 * migration workflows with real activities on the all-in-one server's simulated vSphere: {@code
 * mapping create --network}, {@code plan create --type network}, {@code plan run}. Every VM keeps
 * its host, datastores, UUID and MAC; only its NIC's network changes.
 */
class NetworkOnlyPlanCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> NETWORKS =
      Map.of("VM Network", "dvpg-web", "dvpg-db", "dvpg-app");
  private static AllInOneServer server;

  @BeforeAll
  static void start() throws IOException {
    server = TestGateways.startServer("network-only-plan");
    CliRun add = cli(SimMapping.addVcenter());
    assertEquals(0, add.exit(), add.toString());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static CliRun cli(String... args) {
    return CliRun.at(server.apiUrl().toString(), args);
  }

  /** The simulated vCenter's inventory as the API serves it. */
  private static JsonNode inventory() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            server.apiUrl().toString().replaceAll("/$", "")
                                + "/vcenters/sim/inventory"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static Map<String, String> networkNames(JsonNode inv) {
    Map<String, String> names = new HashMap<>();
    inv.get("networks").forEach(n -> names.put(n.get("id").asText(), n.get("name").asText()));
    return names;
  }

  private static Map<String, JsonNode> vmsByName(JsonNode inv) {
    Map<String, JsonNode> vms = new LinkedHashMap<>();
    inv.get("vms").forEach(v -> vms.put(v.get("name").asText(), v));
    return vms;
  }

  @Test
  void aNetworkOnlyPlanMovesEachNicAndNothingElse() throws Exception {
    JsonNode inv = inventory();
    Map<String, String> names = networkNames(inv);
    List<String> chosen = new ArrayList<>();
    int onStandard = 0;
    int onDistributed = 0;
    for (JsonNode vm : vmsByName(inv).values()) {
      String net = names.get(vm.get("nics").get(0).get("network").asText());
      if (net.equals("VM Network") && onStandard < 3) {
        onStandard++;
        chosen.add(vm.get("name").asText());
      } else if (net.equals("dvpg-db") && onDistributed < 2) {
        onDistributed++;
        chosen.add(vm.get("name").asText());
      }
    }
    assertTrue(onStandard > 0 && onDistributed > 0, "demo VMs on both networks: " + chosen);

    List<String> mapping =
        new ArrayList<>(
            List.of(
                "mapping",
                "create",
                "--name",
                "rehome",
                "--source",
                "sim",
                "--destination",
                "sim"));
    NETWORKS.forEach((from, to) -> mapping.addAll(List.of("--network", from + "=" + to)));
    CliRun m = cli(mapping.toArray(String[]::new));
    assertEquals(0, m.exit(), m.toString());

    // A mapping that also moves the VM cannot drive a network-only plan.
    assertEquals(0, cli(SimMapping.create("moving")).exit());
    CliRun refused =
        cli("plan", "create", "--name", "bad", "--mapping", "moving", "--type", "network");
    assertNotEquals(0, refused.exit(), refused.toString());
    assertTrue(refused.err().contains("cannot drive a network-only plan"), refused.toString());
    assertTrue(refused.err().contains("mapping.clusters: must be empty"), refused.toString());

    List<String> plan =
        new ArrayList<>(
            List.of(
                "plan",
                "create",
                "--name",
                "rehome-1",
                "--mapping",
                "rehome",
                "--type",
                "network"));
    chosen.forEach(vm -> plan.addAll(List.of("--vm", vm)));
    CliRun p = cli(plan.toArray(String[]::new));
    assertEquals(0, p.exit(), p.toString());

    CliRun run = cli("-o", "json", "plan", "run", "rehome-1");
    assertEquals(0, run.exit(), run.toString());
    String requestId = JSON.readTree(run.out()).get("requestId").asText();
    CliRun watch = cli("request", "status", requestId, "--watch", "--interval", "PT0.2S");
    assertEquals(0, watch.exit(), watch.toString());
    JsonNode request = JSON.readTree(cli("-o", "json", "request", "status", requestId).out());
    for (JsonNode t : request.get("tasks")) {
      assertEquals("completed", t.get("state").asText(), t.toString());
    }

    Map<String, JsonNode> before = vmsByName(inv);
    Map<String, JsonNode> after = vmsByName(inventory());
    for (String name : chosen) {
      JsonNode was = before.get(name);
      JsonNode now = after.get(name);
      JsonNode a = was.get("nics").get(0);
      JsonNode b = now.get("nics").get(0);
      String from = names.get(a.get("network").asText());
      String to = names.get(b.get("network").asText());
      System.out.printf(
          "%s  %s  %s  %s -> %s  %s%n",
          name,
          now.get("instanceUuid").asText(),
          a.get("macAddress").asText(),
          from,
          to,
          b.get("macAddress").asText());
      assertEquals(NETWORKS.get(from), to, name + " network");
      assertEquals(a.get("macAddress"), b.get("macAddress"), name + " MAC");
      assertEquals(was.get("instanceUuid"), now.get("instanceUuid"), name + " instance UUID");
      assertEquals(was.get("host"), now.get("host"), name + " host");
      assertEquals(was.get("disks"), now.get("disks"), name + " disks");
      assertTrue(
          now.get("customValues").get("vmigrate.result").asText().startsWith("migrated "),
          now.toString());
      assertTrue(now.get("customValues").path("vmigrate.lock").asText("").isEmpty());
    }
  }
}

package dev.vmigrate.server.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.server.VcsimConnection;
import dev.vmigrate.vsphere.vcsim.VcsimExtension;
import dev.vmigrate.vsphere.vim25.VcsimVms;
import dev.vmigrate.vsphere.vim25.Vim25Gateway;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /plans/{id}/simulate} in a server process whose vCenter is VMware's simulator vcsim:
 * the inventory is read once over SOAP, the real workflows run on a copy, both of vcsim's cluster
 * VMs are predicted to move to the other cluster, and no call that changes anything reaches vcsim.
 */
@Timeout(300)
class PlanSimulateOnVcsimTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final VcsimExtension vcsim =
      VcsimExtension.perClass("-cluster", "2", "-host", "2", "-standalone-host", "0", "-ds", "2");

  @TempDir Path dir;

  @Test
  void aPlanOnVcsimIsSimulatedWithoutWritingToIt() throws Exception {
    Map<String, Object> p = VcsimConnection.properties(vcsim, dir);
    p.put("vmigrate.auth.allow-unauthenticated", true);
    p.put("micronaut.server.host", "127.0.0.1");
    p.put("micronaut.server.port", -1);
    p.put(
        "datasources.default.url",
        "jdbc:h2:mem:simulate-on-vcsim;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    try (ApplicationContext context =
        ApplicationContext.builder().deduceEnvironment(false).properties(p).start()) {
      EmbeddedServer server = context.getBean(EmbeddedServer.class);
      server.start();
      String api = "http://127.0.0.1:" + server.getPort();
      post(
          api + "/vcenters",
          Map.of("id", "vc-sim", "url", vcsim.url().toString(), "credentialsRef", "config:vc-sim"),
          201);
      Map<String, Object> mapping = new HashMap<>();
      mapping.put("name", "c0-to-c1");
      mapping.put("sourceVcenter", "vc-sim");
      mapping.put("destinationVcenter", "vc-sim");
      mapping.put("clusters", List.of(Map.of("source", "DC0_C0", "destination", "DC0_C1")));
      mapping.put("datastores", Map.of("LocalDS_0", "LocalDS_0", "LocalDS_1", "LocalDS_1"));
      mapping.put(
          "networks",
          Map.of("VM Network", "VM Network", "DC0_DVPG0", "DC0_DVPG0", "DC0_DVPG1", "DC0_DVPG1"));
      post(api + "/mappings", mapping, 201);
      List<Map<String, String>> vms = new ArrayList<>();
      vms.add(Map.of("name", "DC0_C0_RP0_VM0"));
      vms.add(Map.of("name", "DC0_C0_RP0_VM1"));
      post(api + "/plans", Map.of("name", "c0-wave", "mapping", "c0-to-c1", "vms", vms), 201);

      // As vcsim creates them, both VMs have a CD-ROM on a host device: the real precheck blocks
      // them, and the simulation says so without moving anything.
      vcsim.resetCalls();
      JsonNode blocked = post(api + "/plans/c0-wave/simulate", Map.of(), 200);
      JsonNode first = blocked.path("runs").get(0);
      assertEquals(2, first.path("failed").asInt(), first.toString());
      for (JsonNode f : first.path("findings")) {
        assertEquals("precheck", f.path("kind").asText(), f.toString());
        assertEquals("InvokePrechecks", f.path("action").asText(), f.toString());
        assertTrue(f.path("message").asText().contains("CDROM_HOST_DEVICE"), f.toString());
      }
      assertReadOnly();

      // Without them, both are predicted to move, together or (fifo 1) one after the other.
      Vim25Gateway gw = new Vim25Gateway(vcsim.connection("vc-sim"));
      for (String name : List.of("DC0_C0_RP0_VM0", "DC0_C0_RP0_VM1")) {
        VcsimVms.removeHostCdroms(gw, gw.inventory().vmByName(name).orElseThrow().id());
      }
      vcsim.resetCalls();
      JsonNode report =
          post(
              api + "/plans/c0-wave/simulate",
              Map.of("compare", List.of(Map.of("policy", "fifo", "fifoThrottle", 1))),
              200);

      assertEquals(2, report.path("runs").size(), report.toString());
      for (JsonNode run : report.path("runs")) {
        assertEquals(2, run.path("completed").asInt(), run.toString());
        assertTrue(run.path("makespanSeconds").asLong() > 0, run.toString());
        for (JsonNode vm : run.path("vms")) {
          assertEquals("COMPLETED", vm.path("state").asText(), vm.toString());
          assertTrue(vm.path("endSecond").asLong() >= vm.path("startSecond").asLong());
        }
      }
      // fifo 1: the second VM starts only once the first has ended.
      JsonNode fifo = report.path("runs").get(1).path("vms");
      assertTrue(
          fifo.get(1).path("startSecond").asLong() >= fifo.get(0).path("endSecond").asLong(),
          fifo.toString());
      assertReadOnly();
      // vcsim still has both VMs where they were.
      for (String name : List.of("DC0_C0_RP0_VM0", "DC0_C0_RP0_VM1")) {
        assertEquals(
            "DC0_C0", clusterName(gw, gw.inventory().vmByName(name).orElseThrow().cluster()));
      }
    }
  }

  private static String clusterName(Vim25Gateway gw, String clusterId) {
    return gw.inventory().cluster(clusterId).orElseThrow().name();
  }

  /** Only reads reached vcsim since the last reset. */
  private static void assertReadOnly() {
    TreeSet<String> methods = new TreeSet<>();
    vcsim.calls().path("methods").fieldNames().forEachRemaining(methods::add);
    assertTrue(methods.contains("RetrievePropertiesEx"), methods.toString());
    for (String m : methods) {
      assertTrue(
          List.of(
                  "RetrievePropertiesEx",
                  "ContinueRetrievePropertiesEx",
                  "RetrieveServiceContent",
                  "Login",
                  "CreateContainerView",
                  "DestroyView",
                  "CreatePropertyCollector",
                  "DestroyPropertyCollector",
                  "CurrentTime")
              .contains(m),
          "the simulation called " + m + " on vCenter: " + methods);
    }
  }

  private static JsonNode post(String url, Object body, int status) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMinutes(4))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), url + ": " + r.body());
    return JSON.readTree(r.body());
  }
}

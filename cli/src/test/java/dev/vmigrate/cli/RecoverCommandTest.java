package dev.vmigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code vmigrate recover}: what it sends and how it prints the API's answer, against a stub that
 * answers as {@code POST /vcenters/{id}/recover} does (RecoverTest in the api module covers the
 * server side, RecoverAfterLostStateIT the whole of it on vcsim).
 */
class RecoverCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private HttpServer api;
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private volatile String answer;

  @BeforeEach
  void start() throws IOException {
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext(
        "/",
        ex -> {
          seen.add(
              ex.getRequestMethod()
                  + " "
                  + ex.getRequestURI()
                  + " "
                  + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] body = answer.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    api.start();
  }

  @AfterEach
  void stop() {
    api.stop(0);
  }

  private CliRun cli(String... args) {
    return CliRun.at("http://127.0.0.1:" + api.getAddress().getPort(), args);
  }

  private static Map<String, Object> finding(String started) {
    Map<String, Object> f =
        new java.util.LinkedHashMap<>(
            Map.of(
                "vm", "web01",
                "vmId", "vm-1",
                "kind", "away_from_origin",
                "description", "away from its recorded origin with no recorded result",
                "found",
                    List.of(
                        "vmigrate.lock = migrate-vc1-u1 (no such migration running)",
                        "away from its origin: on host esx-b1 (host-2); origin host esx-a1 (host-1)"),
                "action", "rollback",
                "proposal", "roll back to the recorded origin",
                "migrationId", "migrate-vc1-u1",
                "workflowId", "recover-vc1-u1"));
    if (started != null) {
      f.put("started", started);
    }
    return f;
  }

  @Test
  void aDryRunPrintsEachVmWhatWasFoundAndWhatWillBeDone() throws IOException {
    answer =
        JSON.writeValueAsString(
            Map.of(
                "vcenter",
                "vc1",
                "applied",
                false,
                "markedVms",
                3,
                "markedDatastores",
                0,
                "findings",
                List.of(finding(null)),
                "message",
                "1 leftovers; dry run, nothing changed (apply to start the recoveries)"));
    CliRun run = cli("recover", "vc1", "--vm", "web01");
    assertEquals(0, run.exit(), run.toString());
    assertEquals(List.of("POST /vcenters/vc1/recover {\"apply\":false,\"vms\":[\"web01\"]}"), seen);
    assertEquals(
        List.of(
            "vCenter vc1: 3 VMs and 0 datastores carry vmigrate marks",
            "",
            "VM web01: away from its recorded origin with no recorded result",
            "  found:  vmigrate.lock = migrate-vc1-u1 (no such migration running)",
            "  found:  away from its origin: on host esx-b1 (host-2); origin host esx-a1 (host-1)",
            "  will:   roll back to the recorded origin",
            "  workflow: recover-vc1-u1",
            "",
            "1 leftovers; dry run, nothing changed (apply to start the recoveries)",
            "Run again with --apply to start the recoveries."),
        run.out().lines().toList());
  }

  @Test
  void applyPrintsTheWorkflowsStarted() throws IOException {
    answer =
        JSON.writeValueAsString(
            Map.of(
                "vcenter",
                "vc1",
                "applied",
                true,
                "markedVms",
                3,
                "markedDatastores",
                0,
                "findings",
                List.of(finding("started")),
                "message",
                "1 leftovers, 1 recoveries started"));
    CliRun run = cli("recover", "vc1", "--apply", "--finalise", "web02");
    assertEquals(0, run.exit(), run.toString());
    assertEquals(
        List.of("POST /vcenters/vc1/recover {\"apply\":true,\"finalise\":[\"web02\"]}"), seen);
    assertTrue(run.out().contains("  workflow: recover-vc1-u1 (started)\n"), run.out());
    assertTrue(run.out().contains("1 leftovers, 1 recoveries started"), run.out());

    seen.clear();
    CliRun json = cli("--output", "json", "recover", "vc1");
    assertEquals(0, json.exit(), json.toString());
    assertEquals(
        "recover-vc1-u1",
        JSON.readTree(json.out()).path("findings").get(0).path("workflowId").asText());
  }
}

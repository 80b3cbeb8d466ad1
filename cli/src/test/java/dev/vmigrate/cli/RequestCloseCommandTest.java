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
 * {@code vmigrate request close}: what it sends and how it prints the API's answer, against a stub
 * of the API that answers as {@code POST /requests/{id}/close} does (ApiTest's RequestCloseTest
 * covers the server side).
 */
class RequestCloseCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private HttpServer api;
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
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
          ex.sendResponseHeaders(status, body.length);
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
    String[] all = new String[args.length + 2];
    all[0] = "--api";
    all[1] = "http://127.0.0.1:" + api.getAddress().getPort();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.of(all);
  }

  @Test
  void printsWhatWasFoundAndWhatIsLeftToDoByHand() throws IOException {
    answer =
        JSON.writeValueAsString(
            Map.of(
                "requestId",
                "r1",
                "workflowId",
                "request-r1",
                "request_state",
                "finished",
                "status",
                "closed",
                "reason",
                "Temporal database lost",
                "message",
                "closed: request workflow lost; Temporal database lost; 2 VMs still in play"
                    + " recorded as failed, 1 need the operator",
                "closedAt",
                "2026-01-01T00:00:00Z",
                "vms",
                List.of(
                    Map.ofEntries(
                        Map.entry("vmId", "vm-1"),
                        Map.entry("name", "web01"),
                        Map.entry("instanceUuid", "u1"),
                        Map.entry("previousState", "started"),
                        Map.entry("state", "failed"),
                        Map.entry("registered", true),
                        Map.entry("vcenter", "src"),
                        Map.entry("host", "esx-a1"),
                        Map.entry("powerState", "powered on"),
                        Map.entry("lockedBy", "migrate-src-u1"),
                        Map.entry("originVcenter", "src"),
                        Map.entry("originHost", "esx-b1"),
                        Map.entry("atOrigin", false),
                        Map.entry("migrationId", "migrate-src-u1"),
                        Map.entry("migrationWorkflow", "not found"),
                        Map.entry("message", "closed: ..."),
                        Map.entry("action", "vmigrate cannot finish it: clear the lock")),
                    Map.of(
                        "vmId",
                        "vm-2",
                        "name",
                        "web02",
                        "previousState",
                        "approved",
                        "state",
                        "failed",
                        "registered",
                        false,
                        "migrationId",
                        "migrate-src-u2",
                        "migrationWorkflow",
                        "not found",
                        "message",
                        "closed: ..."))));
    CliRun run = cli("request", "close", "r1", "--reason", "Temporal database lost");
    assertEquals(0, run.exit(), run.toString());
    assertEquals(List.of("POST /requests/r1/close {\"reason\":\"Temporal database lost\"}"), seen);
    List<String> lines = run.out().lines().toList();
    assertEquals(
        "request r1 closed: request workflow lost; Temporal database lost; 2 VMs still in play"
            + " recorded as failed, 1 need the operator",
        lines.get(0));
    assertEquals(
        List.of("VM", "WAS", "FOUND", "LOCKED BY", "ORIGIN", "MIGRATION WORKFLOW"),
        List.of(lines.get(2).split("\\s{2,}")));
    assertEquals(
        List.of(
            "web01",
            "started",
            "esx-a1 in src, powered on",
            "migrate-src-u1",
            "esx-b1 (away from it)",
            "not found"),
        List.of(lines.get(3).split("\\s{2,}")));
    assertEquals(
        List.of("web02", "approved", "not registered", "-", "-", "not found"),
        List.of(lines.get(4).split("\\s{2,}")));
    assertEquals(
        List.of(
            "",
            "Left to do by hand (vmigrate cannot finish these VMs):",
            "  web01: vmigrate cannot finish it: clear the lock"),
        lines.subList(5, lines.size()));

    seen.clear();
    CliRun json = cli("--output", "json", "request", "close", "r1");
    assertEquals(0, json.exit(), json.toString());
    assertEquals(List.of("POST /requests/r1/close {}"), seen);
    assertEquals("closed", JSON.readTree(json.out()).get("status").asText());
  }

  @Test
  void aRequestWhoseWorkflowExistsIsAConflict() {
    status = 409;
    answer =
        "{\"status\":409,\"field\":\"workflow\",\"message\":\"workflow: request workflow"
            + " request-r2 exists in Temporal (running); a running request is cancelled with"
            + " cancel, not closed\"}";
    CliRun run = cli("request", "close", "r2");
    assertEquals(4, run.exit(), run.toString());
    assertTrue(run.err().startsWith("error: workflow: request workflow request-r2"), run.err());
  }
}

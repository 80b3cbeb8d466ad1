package dev.vmigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A name the API sends (a plan's, a VM's, a mapping key) with a line feed or a bidirectional
 * override prints escaped, so it can neither start a line of its own nor reorder one; JSON output
 * keeps the name as it is (JSON escapes it).
 */
class HostileNamesTest {
  // A plan name that would print a forged second line, then reverse what follows it.
  private static final String NAME = "p1\nRequest r9 approved\u202Etxt.exe";
  private static HttpServer api;

  @BeforeAll
  static void start() throws IOException {
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext(
        "/plans/p1",
        ex -> {
          String body =
              "{\"id\":\"p1\",\"name\":\"p1\\nRequest r9 approved\\u202Etxt.exe\","
                  + "\"mappingId\":\"m\\u2066x\",\"approvalPolicy\":\"auto\","
                  + "\"options\":{},\"vms\":[{\"vmId\":\"vm-1\",\"name\":\"web\\u200F01\\r\","
                  + "\"status\":\"planned\"}]}";
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    api.createContext(
        "/plans/gone",
        ex -> {
          byte[] b =
              "{\"status\":404,\"detail\":\"plan 'x\\ny\\u202E' not found\"}"
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/problem+json");
          ex.sendResponseHeaders(404, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    api.start();
  }

  @AfterAll
  static void stop() {
    api.stop(0);
  }

  private static String url() {
    return "http://127.0.0.1:" + api.getAddress().getPort();
  }

  @Test
  void planShowPrintsNamesWithTheirControlAndBidiCharactersEscaped() {
    CliRun show = CliRun.at(url(), "plan", "show", "p1");
    assertEquals(0, show.exit(), show.toString());
    assertTrue(
        show.out()
            .contains("Plan p1\\nRequest r9 approved\\u202etxt.exe (id p1), mapping m\\u2066x"),
        show.toString());
    assertTrue(show.out().contains("web\\u200f01\\r"), show.toString());
    for (String line : show.out().split("\n")) {
      assertFalse(line.startsWith("Request r9"), "a forged line: " + show);
    }
    assertTrue(
        show.out().chars().noneMatch(c -> c == 0x202E || c == 0x2066 || c == 0x200F || c == '\r'),
        show.toString());
  }

  @Test
  void anErrorNamingAHostileNameIsOneVisibleLine() {
    CliRun gone = CliRun.at(url(), "plan", "show", "gone");
    assertEquals(3, gone.exit(), gone.toString());
    assertTrue(gone.err().contains("plan 'x\\ny\\u202e' not found"), gone.toString());
  }

  @Test
  void jsonOutputKeepsTheNameAsSent() throws IOException {
    CliRun json = CliRun.at(url(), "--output", "json", "plan", "show", "p1");
    assertEquals(0, json.exit(), json.toString());
    assertEquals(
        NAME,
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(json.out())
            .get("name")
            .asText());
  }
}

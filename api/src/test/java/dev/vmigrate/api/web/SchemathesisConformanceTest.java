package dev.vmigrate.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Schemathesis fuzzes the running API from the OpenAPI document the API serves: every operation,
 * positive and negative inputs, stateful sequences along the document's links. The API must never
 * answer 5xx and every answer must match the document (status code, content type, schema). Needs
 * the Schemathesis binary that {@code scripts/schemathesis install} puts in .tools/schemathesis;
 * {@code scripts/test} sets VMIGRATE_SCHEMATHESIS_BIN.
 */
@MicronautTest(transactional = false)
@Property(
    name = "datasources.default.url",
    value =
        "jdbc:h2:mem:fuzz;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
class SchemathesisConformanceTest {
  static final String BIN = System.getenv("VMIGRATE_SCHEMATHESIS_BIN");

  /** Test cases per operation and phase: the whole run stays within about three minutes. */
  static final int EXAMPLES = Integer.getInteger("vmigrate.schemathesis.examples", 20);

  @Inject EmbeddedServer server;

  @Inject
  @Client("/")
  HttpClient http;

  private void post(String path, Map<String, Object> body) {
    http.toBlocking().exchange(HttpRequest.POST(path, body).bearerAuth("test-token"));
  }

  @Test
  void everyAnswerMatchesTheDocumentAndNoneIsAServerError() throws Exception {
    Assumptions.assumeTrue(
        BIN != null && !BIN.isBlank(),
        "VMIGRATE_SCHEMATHESIS_BIN is not set: run scripts/schemathesis install and point it at"
            + " .tools/schemathesis/bin/schemathesis (scripts/test does)");
    // Something to find: the vCenters the test configuration knows, a mapping and a plan.
    for (String id : List.of("src", "dst")) {
      post(
          "/vcenters",
          Map.of(
              "id",
              id,
              "url",
              "https://" + id + ".example/sdk",
              "thumbprint",
              "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD",
              "credentialsRef",
              "config:" + id));
    }
    post(
        "/mappings",
        Map.of(
            "name",
            "fuzz-mapping",
            "sourceVcenter",
            "src",
            "destinationVcenter",
            "dst",
            "clusters",
            List.of(Map.of("source", "Cluster-A", "destination", "Cluster-X")),
            "datastores",
            Map.of("DS1", "DS-X"),
            "networks",
            Map.of("VM Network", "VM Network X")));
    post(
        "/plans",
        Map.of(
            "name",
            "fuzz-plan",
            "mapping",
            "fuzz-mapping",
            "approvalPolicy",
            "manual",
            "vms",
            List.of(Map.of("name", "web01"))));

    // Schemathesis keeps its cache in its working directory: that is this folder, under target/.
    Path reports = Path.of("target", "schemathesis").toAbsolutePath();
    Files.createDirectories(reports);
    Path junit = reports.resolve("junit.xml");
    Files.deleteIfExists(junit);
    String base = "http://127.0.0.1:" + server.getPort();
    List<String> command =
        new ArrayList<>(
            List.of(
                BIN,
                "run",
                base + "/openapi.yml",
                "--url",
                base,
                "--header",
                "Authorization: Bearer test-token",
                "--checks",
                "not_a_server_error,status_code_conformance,content_type_conformance,"
                    + "response_schema_conformance,response_headers_conformance",
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--max-examples",
                String.valueOf(EXAMPLES),
                "--seed",
                "20261127",
                // One worker: Hypothesis's caches are not safe across Schemathesis's worker
                // threads.
                "--workers",
                "1",
                "--request-timeout",
                "20",
                "--continue-on-failure",
                "--no-color",
                "--report",
                "junit",
                "--report-junit-path",
                junit.toString()));
    Process p =
        new ProcessBuilder(command)
            .directory(reports.toFile())
            .redirectErrorStream(true)
            .redirectOutput(reports.resolve("output.txt").toFile())
            .start();
    if (!p.waitFor(8, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("schemathesis did not finish within 8 minutes");
    }
    String out = Files.readString(reports.resolve("output.txt"), StandardCharsets.UTF_8);
    Counts c = Counts.of(out);
    System.out.println(out);
    System.out.printf(
        "schemathesis: %d generated cases, %d server errors, %d document mismatches (exit %d)%n",
        c.cases(), c.serverErrors(), c.mismatches(), p.exitValue());
    assertTrue(c.cases() > 0, "no test cases ran:\n" + out);
    assertEquals(0, c.serverErrors(), "server errors:\n" + out);
    assertEquals(0, c.mismatches(), "answers that disagree with the document:\n" + out);
    // A failure of Schemathesis itself (its "Errors" section, such as a flaky data generator) is
    // printed above but is not the API's: the API's failures are the two counts asserted here.
  }

  /** The run's numbers, from Schemathesis's summary. */
  record Counts(int cases, int serverErrors, int mismatches) {
    static Counts of(String out) {
      int cases = first(out, "Test cases:\\s*(\\d+) generated");
      int server = 0;
      int mismatches = 0;
      // The summary's failures, one line each: "ST101 Server error: 2".
      Matcher m = Pattern.compile("(?m)^\\W*ST\\d+ ([^:\\n]+): (\\d+)$").matcher(out);
      while (m.find()) {
        int n = Integer.parseInt(m.group(2));
        if (m.group(1).trim().equals("Server error")) {
          server += n;
        } else {
          mismatches += n;
        }
      }
      return new Counts(cases, server, mismatches);
    }

    private static int first(String s, String regex) {
      Matcher m = Pattern.compile(regex).matcher(s);
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
  }
}

package dev.vmigrate.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

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
    boolean installed = BIN != null && !BIN.isBlank();
    // In CI a missing binary is a broken set-up, not a reason to pass without fuzzing.
    assertTrue(
        installed || !"true".equals(System.getenv("CI")),
        "CI=true but VMIGRATE_SCHEMATHESIS_BIN is not set (scripts/test sets it)");
    Assumptions.assumeTrue(
        installed,
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
    System.out.println(out);
    int exit = p.exitValue();
    // Exit 0: every check passed; 1: a check failed or Schemathesis met an error of its own (the
    // report tells which); anything else is a usage or internal error of the run itself.
    assertTrue(exit == 0 || exit == 1, "schemathesis exited " + exit + ":\n" + out);
    assertTrue(Files.isRegularFile(junit), "schemathesis wrote no JUnit report:\n" + out);
    JunitReport report = JunitReport.read(junit);
    System.out.printf(
        "schemathesis: exit %d, %d operations, %d failed checks, %d errors of its own%n",
        exit, report.operations().size(), report.failures().size(), report.errors().size());
    assertEquals(
        List.of(), report.failures(), "answers that break a check (server errors, document):");
    assertEquals(
        exit == 0,
        report.errors().isEmpty(),
        "the exit code and the report disagree; errors: " + report.errors() + "\n" + out);
    // An operation Schemathesis never ran would pass unseen: every documented one must be there.
    Set<String> documented = documentedOperations();
    assertTrue(!documented.isEmpty(), "the served document lists no operation");
    Set<String> missing = new TreeSet<>(documented);
    missing.removeAll(report.operations());
    missing.removeAll(erroredOperations(report));
    assertEquals(Set.of(), missing, "documented operations the run did not test");
    // A failure of Schemathesis itself (a flaky data generator, say) is an error, not a failed
    // check: printed above, and not the API's.
  }

  /** Every "METHOD /path" the served OpenAPI document lists. */
  private Set<String> documentedOperations() throws Exception {
    String yaml =
        http.toBlocking().retrieve(HttpRequest.GET("/openapi.yml").bearerAuth("test-token"));
    JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    Set<String> ops = new TreeSet<>();
    doc.path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (HTTP_METHODS.contains(method)) {
                            ops.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                          }
                        }));
    return ops;
  }

  private static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options");

  // An operation whose every case Schemathesis could not generate is reported as an error of its
  // own; it was attempted, and the error is asserted on through the exit code above.
  private static Set<String> erroredOperations(JunitReport report) {
    Set<String> ops = new TreeSet<>();
    report.errors().forEach(e -> ops.add(e.substring(0, e.indexOf(':'))));
    return ops;
  }

  /**
   * Schemathesis's JUnit report: one test case per operation ({@code name="GET /plans"}), with a
   * {@code failure} element per failed check and an {@code error} element for errors of its own.
   *
   * @param operations the operations with a test case
   * @param failures "OPERATION: message" of each failed check
   * @param errors "OPERATION: message" of each error of Schemathesis's own
   */
  record JunitReport(Set<String> operations, List<String> failures, List<String> errors) {
    static JunitReport read(Path file) throws Exception {
      var factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document doc = factory.newDocumentBuilder().parse(file.toFile());
      Set<String> operations = new TreeSet<>();
      List<String> failures = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      NodeList cases = doc.getElementsByTagName("testcase");
      for (int i = 0; i < cases.getLength(); i++) {
        Element testCase = (Element) cases.item(i);
        String name = testCase.getAttribute("name");
        operations.add(name);
        collect(testCase, "failure", name, failures);
        collect(testCase, "error", name, errors);
      }
      return new JunitReport(operations, failures, errors);
    }

    private static void collect(Element testCase, String tag, String name, List<String> into) {
      NodeList found = testCase.getElementsByTagName(tag);
      for (int i = 0; i < found.getLength(); i++) {
        Element e = (Element) found.item(i);
        String message = e.getAttribute("message");
        if (message.isBlank()) {
          message = e.getTextContent().strip().lines().findFirst().orElse("");
        }
        into.add(name + ": " + message);
      }
    }
  }
}

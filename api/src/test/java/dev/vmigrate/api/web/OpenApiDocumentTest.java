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
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document against the server's own routes: every route is documented (the
 * document cannot drift from the controllers), and every operation documents the errors it can
 * answer in the problem shape. It is served without a token, on purpose.
 */
@MicronautTest(transactional = false)
@Property(name = "vmigrate.ledger-worker.enabled", value = "false")
@Property(
    name = "datasources.default.url",
    value =
        "jdbc:h2:mem:openapi;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
class OpenApiDocumentTest {
  @Inject Router router;

  @Inject
  @Client("/")
  HttpClient http;

  private JsonNode document() throws Exception {
    String yaml = http.toBlocking().retrieve(HttpRequest.GET("/openapi.yml"));
    return new ObjectMapper(new YAMLFactory()).readTree(yaml);
  }

  @Test
  void everyRouteOfTheServerIsDocumentedAndNothingElse() throws Exception {
    JsonNode paths = document().get("paths");
    Set<String> served = new TreeSet<>();
    router
        .uriRoutes()
        .forEach(
            r -> {
              String path = r.getUriMatchTemplate().toPathString();
              boolean ours =
                  r.getTargetMethod().getDeclaringType().getName().startsWith("dev.vmigrate.");
              // HEAD is answered for every GET; the document itself is not an operation.
              if (ours && !r.getHttpMethodName().equals("HEAD") && !path.equals("/openapi.yml")) {
                served.add(r.getHttpMethodName().toLowerCase(Locale.ROOT) + " " + path);
              }
            });
    Set<String> documented = new TreeSet<>();
    paths
        .fields()
        .forEachRemaining(
            p ->
                p.getValue()
                    .fieldNames()
                    .forEachRemaining(m -> documented.add(m + " " + p.getKey())));
    assertEquals(served, documented);
  }

  @Test
  void everyOperationDocumentsItsErrorsAsProblems() throws Exception {
    JsonNode doc = document();
    assertTrue(doc.at("/components/schemas/Problem/properties/rule").isObject(), doc.toString());
    List<String> missing = new ArrayList<>();
    doc.get("paths")
        .fields()
        .forEachRemaining(
            p ->
                p.getValue()
                    .fields()
                    .forEachRemaining(
                        op -> {
                          String at = op.getKey() + " " + p.getKey();
                          JsonNode responses = op.getValue().get("responses");
                          List<String> codes = new ArrayList<>(List.of("401"));
                          if (p.getKey().contains("{")) {
                            codes.add("404");
                          }
                          if (op.getValue().has("requestBody")) {
                            codes.addAll(List.of("400", "413", "415"));
                          }
                          for (String c : codes) {
                            if (!responses.has(c)) {
                              missing.add(at + ": no " + c);
                            }
                          }
                          responses
                              .fields()
                              .forEachRemaining(
                                  r -> {
                                    if (r.getKey().compareTo("400") >= 0
                                        && !r.getValue()
                                            .at("/content/application~1problem+json/schema/$ref")
                                            .asText()
                                            .equals("#/components/schemas/Problem")) {
                                      missing.add(at + " " + r.getKey() + ": not a Problem");
                                    }
                                  });
                          if (op.getKey().equals("delete") && !responses.has("204")) {
                            missing.add(at + ": no 204");
                          }
                        }));
    assertEquals(List.of(), missing);
  }
}

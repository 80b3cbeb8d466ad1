package dev.vmigrate.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Walks every field of every JSON request body in the served OpenAPI document: each free-text
 * string has a {@code maxLength}, each array a {@code maxItems}, each map a {@code maxProperties},
 * each number a {@code maximum}; and each documented bound is the enforced one: one past it is a
 * 400 naming the field, and the bound itself is not refused for that field. Strings with an {@code
 * enum} or a {@code format} (times, durations) are bounded by what they may hold.
 */
@MicronautTest(transactional = false)
@Property(name = "micronaut.server.max-request-size", value = "16MB")
@Property(name = "vmigrate.ledger-worker.enabled", value = "false")
@Property(
    name = "datasources.default.url",
    value =
        "jdbc:h2:mem:bounds;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
class DocumentedBoundsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final HttpClient client = HttpClient.newHttpClient();

  @Inject EmbeddedServer server;

  /** One bounded field: where it is, what bounds it, and how to build a body at a size. */
  record Field(
      String operation,
      String path,
      String bound,
      long limit,
      java.util.function.LongFunction<JsonNode> body) {}

  private JsonNode document() throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(uri("/openapi.yml")).build(),
            HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper(new YAMLFactory()).readTree(r.body());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getPort() + path);
  }

  private static JsonNode resolve(JsonNode doc, JsonNode schema) {
    while (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      schema = doc.at(ref.substring(1));
    }
    if (schema.has("allOf") && schema.get("allOf").size() == 1) {
      return resolve(doc, schema.get("allOf").get(0));
    }
    return schema;
  }

  /**
   * Collects the bounded fields of a schema; {@code wrap} puts a value where the field is in a
   * whole body; unbounded fields are added to {@code unbounded}.
   */
  private static void walk(
      JsonNode doc,
      String operation,
      JsonNode schema,
      String path,
      UnaryOperator<JsonNode> wrap,
      List<Field> fields,
      List<String> unbounded,
      int depth) {
    JsonNode s = resolve(doc, schema);
    String type = s.path("type").asText("");
    if (type.equals("object") || s.has("properties")) {
      if (s.has("properties")) {
        s.get("properties")
            .fields()
            .forEachRemaining(
                p -> {
                  String name = p.getKey();
                  String at = path.isEmpty() ? name : path + "." + name;
                  walk(
                      doc,
                      operation,
                      p.getValue(),
                      at,
                      v -> wrap.apply(NODES.objectNode().set(name, v)),
                      fields,
                      unbounded,
                      depth + 1);
                });
      }
      if (s.has("additionalProperties") && s.get("additionalProperties").isObject()) {
        if (!s.has("maxProperties")) {
          unbounded.add(operation + " " + path + " (maxProperties)");
        } else {
          fields.add(
              new Field(
                  operation,
                  path,
                  "maxProperties",
                  s.get("maxProperties").asLong(),
                  n -> {
                    ObjectNode m = NODES.objectNode();
                    for (long i = 0; i < n; i++) {
                      m.put("k" + i, "v");
                    }
                    return wrap.apply(m);
                  }));
        }
        JsonNode value = resolve(doc, s.get("additionalProperties"));
        if (value.path("type").asText().equals("string") && !value.has("maxLength")) {
          unbounded.add(operation + " " + path + " values (maxLength)");
        }
      }
      return;
    }
    switch (type) {
      case "string" -> {
        if (s.has("enum") || s.has("format")) {
          return;
        }
        if (!s.has("maxLength")) {
          unbounded.add(operation + " " + path + " (maxLength)");
          return;
        }
        fields.add(
            new Field(
                operation,
                path,
                "maxLength",
                s.get("maxLength").asLong(),
                n -> wrap.apply(NODES.textNode("x".repeat((int) n)))));
      }
      case "array" -> {
        if (!s.has("maxItems")) {
          unbounded.add(operation + " " + path + " (maxItems)");
        } else {
          JsonNode items = resolve(doc, s.get("items"));
          boolean objects = items.has("properties");
          fields.add(
              new Field(
                  operation,
                  path,
                  "maxItems",
                  s.get("maxItems").asLong(),
                  n -> {
                    ArrayNode a = NODES.arrayNode();
                    for (long i = 0; i < n; i++) {
                      if (objects) {
                        a.addObject();
                      } else {
                        a.add("x" + i);
                      }
                    }
                    return wrap.apply(a);
                  }));
        }
        walk(
            doc,
            operation,
            s.get("items"),
            path + "[0]",
            v -> wrap.apply(NODES.arrayNode().add(v)),
            fields,
            unbounded,
            depth + 1);
      }
      case "integer", "number" -> {
        if (!s.has("maximum")) {
          unbounded.add(operation + " " + path + " (maximum)");
          return;
        }
        long max = s.get("maximum").asLong();
        fields.add(
            new Field(
                operation,
                path,
                "maximum",
                max,
                n ->
                    wrap.apply(
                        type.equals("integer") ? NODES.numberNode(n) : NODES.numberNode(n))));
      }
      default -> {}
    }
  }

  private List<Field> bodies(JsonNode doc, List<String> unbounded) {
    List<Field> fields = new ArrayList<>();
    for (Map.Entry<String, JsonNode> p : iterable(doc.get("paths"))) {
      for (Map.Entry<String, JsonNode> op : iterable(p.getValue())) {
        JsonNode schema = op.getValue().at("/requestBody/content/application~1json/schema");
        if (schema.isMissingNode()) {
          continue;
        }
        String operation =
            op.getKey().toUpperCase() + " " + p.getKey().replaceAll("\\{[^}]+}", "x");
        walk(doc, operation, schema, "", v -> v, fields, unbounded, 0);
      }
    }
    return fields;
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode n) {
    return n::fields;
  }

  private HttpResponse<String> send(String operation, JsonNode body) throws Exception {
    String[] mp = operation.split(" ", 2);
    return client.send(
        HttpRequest.newBuilder(uri(mp[1]))
            .header("Authorization", "Bearer test-token")
            .header("Content-Type", "application/json")
            .method(mp[0], HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyFieldOfEveryRequestBodyIsBoundedInTheDocument() throws Exception {
    List<String> unbounded = new ArrayList<>();
    List<Field> fields = bodies(document(), unbounded);
    assertEquals(List.of(), unbounded);
    // The bodies the API reads: plans, mappings, vCenters, requests, simulations, recoveries.
    for (String op :
        List.of(
            "POST /plans",
            "PUT /plans/x",
            "POST /mappings",
            "POST /vcenters",
            "POST /requests/x/deny",
            "POST /requests/x/close",
            "POST /plans/x/simulate",
            "POST /vcenters/x/recover")) {
      assertTrue(fields.stream().anyMatch(f -> f.operation().equals(op)), op + " walked");
    }
    assertTrue(
        fields.stream()
            .anyMatch(
                f ->
                    f.path().equals("options.postRollbackHooks")
                        && f.limit() == Bounds.HOOKS
                        && f.bound().equals("maxItems")),
        "postRollbackHooks bounded");
  }

  @Test
  void eachDocumentedBoundIsTheEnforcedOne() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Field f : bodies(document(), new ArrayList<>())) {
      HttpResponse<String> over = send(f.operation(), f.body().apply(f.limit() + 1));
      JsonNode p = JSON.readTree(over.body());
      if (over.statusCode() != 400 || !f.path().equals(p.path("field").asText())) {
        wrong.add(f + " +1: " + over.statusCode() + " " + over.body());
        continue;
      }
      HttpResponse<String> at = send(f.operation(), f.body().apply(f.limit()));
      JsonNode q = JSON.readTree(at.body());
      if (f.path().equals(q.path("field").asText())
          && List.of("max", "max-length", "max-items", "maximum")
              .contains(q.path("rule").asText())) {
        wrong.add(f + " at the bound: " + at.body());
      }
    }
    assertEquals(List.of(), wrong);
  }
}

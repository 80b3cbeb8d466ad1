package dev.vmigrate.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Serves the OpenAPI document that micronaut-openapi generated at compile time from the
 * controllers, completed in one place with what every operation shares and the generator cannot
 * see: the error answers ({@code application/problem+json}, schema {@code Problem}) each kind of
 * operation can give, and that an answer leaves out a property without a value (the server writes
 * no null and no empty text, list or map). The document is public, like the API's version: it holds
 * no data.
 */
@Controller
@Hidden
public class OpenApiController {
  static final String RESOURCE = "META-INF/swagger/vmigrate-1.yml";

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build());

  private volatile String document;

  @Get(value = "/openapi.yml", produces = "application/yaml")
  public HttpResponse<String> openapi() throws IOException {
    String doc = document;
    if (doc == null) {
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE)) {
        if (in == null) {
          return HttpResponse.notFound();
        }
        ObjectNode root = (ObjectNode) YAML.readTree(in);
        complete(root);
        doc = YAML.writeValueAsString(root);
        document = doc;
      }
    }
    return HttpResponse.ok(doc).contentType(MediaType.of("application/yaml"));
  }

  /** The error answers by status, and why an operation can give each. */
  private static final Map<String, String> ERRORS =
      Map.of(
          "400", "the body, a parameter or a query value is invalid; the field and rule are named",
          "401", "no bearer token, or an unknown one",
          "404", "no such resource",
          "409", "the change conflicts with what is stored (a duplicate, a state, a use)",
          "413", "the body is larger than the server accepts",
          "415", "the body's Content-Type is not one this operation reads",
          "503", "Temporal or vCenter did not answer; nothing was changed");

  static void complete(ObjectNode root) {
    ObjectNode schemas = (ObjectNode) root.with("components").with("schemas");
    Set<String> answered = new HashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = root.with("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      String route = path.getKey();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        String method = op.getKey();
        ObjectNode operation = (ObjectNode) op.getValue();
        ObjectNode responses = operation.with("responses");
        boolean body = operation.has("requestBody");
        boolean params = operation.has("parameters") && operation.get("parameters").size() > 0;
        boolean write = !method.equals("get");
        error(responses, "401");
        if (body || params) {
          error(responses, "400");
        }
        if (route.contains("{")) {
          error(responses, "404");
        }
        if (write) {
          error(responses, "409");
        }
        if (body) {
          error(responses, "413");
          error(responses, "415");
        }
        if (route.startsWith("/requests/") && write
            || route.endsWith("/order")
            || route.endsWith("/inventory")) {
          error(responses, "503");
        }
        for (Iterator<Map.Entry<String, JsonNode>> rs = responses.fields(); rs.hasNext(); ) {
          Map.Entry<String, JsonNode> r = rs.next();
          if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
            ObjectNode response = (ObjectNode) r.getValue();
            response
                .putObject("content")
                .putObject(ApiError.MEDIA_TYPE)
                .putObject("schema")
                .put("$ref", "#/components/schemas/Problem");
          } else {
            r.getValue().findValues("$ref").forEach(ref -> answered.add(name(ref.asText())));
          }
        }
      }
    }
    // Every schema an answer can reach: a property without a value is left out of the answer.
    Deque<String> todo = new ArrayDeque<>(answered);
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      String n = todo.pop();
      JsonNode s = schemas.get(n);
      if (!seen.add(n) || s == null) {
        continue;
      }
      s.findValues("$ref").forEach(ref -> todo.push(name(ref.asText())));
      if (s instanceof ObjectNode o && o.has("required") && o.has("properties")) {
        ArrayNode kept = YAML.createArrayNode();
        for (JsonNode p : o.get("required")) {
          JsonNode prop = o.get("properties").get(p.asText());
          String type = prop == null || !prop.has("type") ? "" : prop.get("type").asText();
          boolean always =
              (type.equals("integer") || type.equals("number") || type.equals("boolean"))
                  && !prop.path("nullable").asBoolean(false);
          if (always || n.equals("Problem")) {
            kept.add(p);
          }
        }
        if (kept.isEmpty()) {
          o.remove("required");
        } else {
          o.set("required", kept);
        }
      }
    }
  }

  private static void error(ObjectNode responses, String code) {
    if (!responses.has(code)) {
      responses.putObject(code).put("description", ERRORS.get(code));
    }
  }

  private static String name(String ref) {
    return ref.substring(ref.lastIndexOf('/') + 1);
  }
}

package dev.vmigrate.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.vmigrate.cli.CliException;
import dev.vmigrate.cli.ExitCode;
import dev.vmigrate.cli.output.TerminalText;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The REST API as the CLI sees it: JSON in, JSON out, and every HTTP failure turned into a {@link
 * CliException} whose exit code names the kind of failure. The token goes in the Authorization
 * header only; it is never logged.
 */
public class ApiClient {
  private final URI base;
  private final String token;
  private final ObjectMapper json;
  private final PrintWriter log;
  private final HttpClient http;
  // Whether answers come with their text made visible (TerminalText), for printing as text.
  private boolean visibleText;

  /**
   * @param base the API's URL, e.g. http://127.0.0.1:8080
   * @param token a bearer token, or null
   * @param json the mapper for bodies
   * @param log where to log each exchange when verbose, or null
   */
  public ApiClient(URI base, String token, ObjectMapper json, PrintWriter log) {
    this.base = base;
    this.token = token;
    this.json = json;
    this.log = log;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * This client, answering with every text value and field name made visible ({@link
   * TerminalText#visibleTree}): for commands that print answers as text, never for JSON output.
   */
  public ApiClient withVisibleText() {
    visibleText = true;
    return this;
  }

  public URI base() {
    return base;
  }

  public JsonNode get(String path) {
    return send("GET", path, null, null);
  }

  public JsonNode post(String path, Object body) {
    return send("POST", path, "application/json", write(body));
  }

  /** Posts a JSON body with extra headers (e.g. an Idempotency-Key). */
  public JsonNode post(String path, Object body, java.util.Map<String, String> headers) {
    return send("POST", path, "application/json", write(body), headers);
  }

  /**
   * Posts a JSON body and waits up to {@code timeout} for the answer, for calls that take long on
   * purpose (a plan's simulation).
   */
  public JsonNode post(String path, Object body, Duration timeout) {
    return send("POST", path, "application/json", write(body), java.util.Map.of(), timeout);
  }

  /** Replaces a resource with this body. */
  public JsonNode put(String path, Object body) {
    return send("PUT", path, "application/json", write(body));
  }

  private String write(Object body) {
    try {
      return json.writeValueAsString(body);
    } catch (IOException e) {
      throw new CliException(ExitCode.FAILURE, "cannot write the request body: " + e.getMessage());
    }
  }

  public JsonNode delete(String path) {
    return send("DELETE", path, null, null);
  }

  /** Posts a document as it is, e.g. a CSV or YAML VM list. */
  public JsonNode postText(String path, String contentType, String text) {
    return send("POST", path, contentType, text);
  }

  /** POSTs a binary body (a workbook) with its media type. */
  public JsonNode postBytes(String path, String contentType, byte[] body) {
    return send(
        "POST",
        path,
        contentType,
        HttpRequest.BodyPublishers.ofByteArray(body),
        java.util.Map.of(),
        Duration.ofSeconds(60));
  }

  /** Encodes one path segment, e.g. a plan name with spaces. */
  public static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private JsonNode send(String method, String path, String contentType, String body) {
    return send(method, path, contentType, body, java.util.Map.of());
  }

  private JsonNode send(
      String method,
      String path,
      String contentType,
      String body,
      java.util.Map<String, String> headers) {
    return send(method, path, contentType, body, headers, Duration.ofSeconds(60));
  }

  private JsonNode send(
      String method,
      String path,
      String contentType,
      String body,
      java.util.Map<String, String> headers,
      Duration timeout) {
    return send(
        method,
        path,
        contentType,
        body == null ? null : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8),
        headers,
        timeout);
  }

  private JsonNode send(
      String method,
      String path,
      String contentType,
      HttpRequest.BodyPublisher body,
      java.util.Map<String, String> headers,
      Duration timeout) {
    URI uri = base.resolve(path);
    HttpRequest.Builder req =
        HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
    headers.forEach(req::header);
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      req.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      req.header("Content-Type", contentType);
      req.method(method, body);
    }
    long start = System.nanoTime();
    HttpResponse<String> res;
    try {
      res = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new CliException(
          ExitCode.UNREACHABLE,
          "cannot reach the vmigrate API at " + base + " (is `vmigrate server` running?)",
          e);
    } catch (HttpTimeoutException e) {
      throw new CliException(ExitCode.UNREACHABLE, "the vmigrate API at " + base + " timed out", e);
    } catch (IOException e) {
      throw new CliException(
          ExitCode.UNREACHABLE, "cannot reach the vmigrate API at " + base + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.FAILURE, "interrupted");
    }
    if (log != null) {
      log.printf(
          "%s %s -> %d (%d ms)%n",
          method, uri, res.statusCode(), (System.nanoTime() - start) / 1_000_000);
    }
    int status = res.statusCode();
    if (status >= 200 && status < 300) {
      return parse(res.body());
    }
    throw failure(method, path, status, res.body());
  }

  private JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return NullNode.getInstance();
    }
    try {
      JsonNode n = json.readTree(body);
      return visibleText ? TerminalText.visibleTree(n) : n;
    } catch (IOException e) {
      throw new CliException(ExitCode.FAILURE, "the API answered something that is not JSON");
    }
  }

  private CliException failure(String method, String path, int status, String body) {
    String message = messageOf(body);
    if (message == null) {
      message = method + " " + path + " answered HTTP " + status;
    }
    ExitCode code =
        switch (status) {
          case 404 -> ExitCode.NOT_FOUND;
          case 409 -> ExitCode.CONFLICT;
          case 502, 503, 504 -> ExitCode.UNREACHABLE;
          default -> ExitCode.FAILURE;
        };
    if (status == 401 || status == 403) {
      message += " (give a token with --token or VMIGRATE_TOKEN)";
    }
    // An error names what was sent (a plan's name...): printed on one line, whatever it holds.
    return new CliException(code, TerminalText.visible(message));
  }

  // The API answers every error as application/problem+json: {title, status, detail, field, rule,
  // line, column, message}, message repeating detail. Older servers sent {status, field, message},
  // or Micronaut's own {message, _embedded}.
  private String messageOf(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      JsonNode n = json.readTree(body);
      JsonNode errors = n.path("_embedded").path("errors");
      if (errors.isArray() && errors.size() > 0 && errors.get(0).hasNonNull("message")) {
        return errors.get(0).get("message").asText();
      }
      if (n.hasNonNull("detail")) {
        return n.get("detail").asText();
      }
      return n.hasNonNull("message") ? n.get("message").asText() : null;
    } catch (IOException e) {
      return null;
    }
  }
}

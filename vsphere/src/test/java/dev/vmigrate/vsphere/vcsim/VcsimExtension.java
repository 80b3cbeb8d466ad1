package dev.vmigrate.vsphere.vcsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.vsphere.vim25.PasswordSource;
import dev.vmigrate.vsphere.vim25.SoapTransport;
import dev.vmigrate.vsphere.vim25.TlsSettings;
import dev.vmigrate.vsphere.vim25.Vim25Connection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs vmigrate's vcsim launcher ({@code vcsim/bin/vmigrate-vcsim}, or {@code VMIGRATE_VCSIM_BIN})
 * on a free loopback port for a test class ({@link #perClass}) or for each test ({@link #perTest}),
 * and stops it afterwards. Without the binary the tests are skipped, or fail when the environment
 * variable {@code CI} is set. Register with {@code @RegisterExtension}.
 */
public final class VcsimExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ExecutionCondition {
  private static final String NOT_BUILT =
      "vcsim launcher not built: run `scripts/vcsim build` (or set VMIGRATE_VCSIM_BIN)";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final List<String> args;
  private final boolean perTest;
  private Process process;
  private URI url;
  private String thumbprint;
  private Path log;

  private VcsimExtension(List<String> args, boolean perTest) {
    this.args = List.copyOf(args);
    this.perTest = perTest;
  }

  /** One simulator for the whole test class, with these launcher flags. */
  public static VcsimExtension perClass(String... args) {
    return new VcsimExtension(List.of(args), false);
  }

  /** A fresh simulator for each test, with these launcher flags. */
  public static VcsimExtension perTest(String... args) {
    return new VcsimExtension(List.of(args), true);
  }

  /**
   * A launcher started elsewhere (e.g. by scripts/cluster), at {@code url} with the certificate of
   * this SHA-256 {@code thumbprint}: for its control calls and connections only; never registered
   * as an extension, it is neither started nor stopped here.
   */
  public static VcsimExtension running(URI url, String thumbprint) {
    VcsimExtension v = new VcsimExtension(List.of(), false);
    v.url = url;
    v.thumbprint = thumbprint;
    return v;
  }

  /** Skips (reported per test, with the reason) when the binary is missing, unless CI is set. */
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (binary() == null && System.getenv("CI") == null) {
      return ConditionEvaluationResult.disabled(NOT_BUILT);
    }
    return ConditionEvaluationResult.enabled("vcsim launcher available or CI set");
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (!perTest) {
      start();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (!perTest) {
      stop();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (perTest) {
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perTest) {
      stop();
    }
  }

  /** The launcher binary, or null when it has not been built. */
  static Path binary() {
    String env = System.getenv("VMIGRATE_VCSIM_BIN");
    if (env != null && !env.isBlank()) {
      Path p = Path.of(env);
      return Files.isExecutable(p) ? p : null;
    }
    // Tests run in the module directory; the repository root is the nearest one holding vcsim/.
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("vcsim/main.go"))) {
        Path p = dir.resolve("vcsim/bin/vmigrate-vcsim");
        return Files.isExecutable(p) ? p : null;
      }
    }
    return null;
  }

  private void start() throws IOException, InterruptedException {
    Path bin = binary();
    if (bin == null) {
      if (System.getenv("CI") != null) {
        throw new IllegalStateException(NOT_BUILT);
      }
      Assumptions.abort(NOT_BUILT);
    }
    List<String> cmd = new ArrayList<>(List.of(bin.toString(), "-listen", "127.0.0.1:0"));
    cmd.addAll(args);
    log = Files.createTempFile("vmigrate-vcsim-", ".log");
    process =
        new ProcessBuilder(cmd)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> ready =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line; (line = out.readLine()) != null; ) {
                  if (line.startsWith("VMIGRATE_VCSIM_READY ")) {
                    return line.substring("VMIGRATE_VCSIM_READY ".length());
                  }
                }
                return null;
              } catch (IOException e) {
                return null;
              }
            });
    String line;
    try {
      line = ready.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      line = null;
    }
    if (line == null) {
      stop();
      throw new IllegalStateException(
          "vcsim did not start: " + Files.readString(log, StandardCharsets.UTF_8));
    }
    JsonNode j = JSON.readTree(line);
    url = URI.create(j.get("url").asText());
    thumbprint = j.get("thumbprint").asText();
  }

  private void stop() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
    if (log != null) {
      try {
        Files.deleteIfExists(log);
      } catch (IOException ignored) {
        // a leftover temp log is harmless
      }
    }
  }

  /** The SDK URL, e.g. {@code http://127.0.0.1:41235/sdk}. */
  public URI url() {
    return url;
  }

  /** SHA-256 thumbprint of the server certificate ("" without -tls). */
  public String thumbprint() {
    return thumbprint;
  }

  /** A connection with vcsim's default login; with -tls it pins the server's thumbprint. */
  public Vim25Connection connection(String vcenterId) {
    return connection(vcenterId, "user", "pass");
  }

  public Vim25Connection connection(String vcenterId, String username, String password) {
    TlsSettings tls = thumbprint.isEmpty() ? null : TlsSettings.pinned(thumbprint);
    return new Vim25Connection(
        vcenterId,
        url,
        username,
        PasswordSource.of(password),
        tls,
        Duration.ofSeconds(5),
        Duration.ofSeconds(30));
  }

  /**
   * Arms fault injection for a vim25 method: the next {@code count} calls (0: every call) answer
   * this fault type (null for none) after {@code delayMs}.
   */
  public void injectFault(String method, String fault, int count, int delayMs) {
    Map<String, Object> rule =
        fault == null
            ? Map.of("method", method, "count", count, "delayMs", delayMs)
            : Map.of("method", method, "fault", fault, "count", count, "delayMs", delayMs);
    control("POST", rule);
  }

  /** The next {@code count} calls of the method have their connection closed without answer. */
  public void injectDrop(String method, int count) {
    control("POST", Map.of("method", method, "drop", true, "count", count));
  }

  /**
   * The next {@code count} calls of the method (0: every call until cleared) reach the simulator
   * and run there, but their reply is held back for {@code ms}: the call is done while the client
   * still waits, as on a loaded vCenter or a slow link.
   */
  public void holdReply(String method, int ms, int count) {
    control("POST", Map.of("method", method, "holdReplyMs", ms, "count", count));
  }

  public void clearFaults() {
    control("DELETE", null);
  }

  /**
   * Keeps the tasks of a vim25 method (e.g. {@code RelocateVM_Task}) running for {@code ms} before
   * the simulator carries them out; 0 removes the delay.
   */
  public void delayTasks(String method, int ms) {
    control("/vmigrate/task-delays", "POST", Map.of(method, ms));
  }

  public void clearTaskDelays() {
    control("/vmigrate/task-delays", "DELETE", null);
  }

  /**
   * SOAP calls that reached the simulator: {@code methods} (count per method), {@code byObject}
   * (per method, count per VM id for calls on a VM) and {@code injected} (calls answered by an
   * injected fault or dropped, per method).
   */
  public JsonNode calls() {
    return readJson(control("/vmigrate/calls", "GET", null));
  }

  /** Calls of {@code method} on the VM {@code vmId} that reached the simulator. */
  public int calls(String method, String vmId) {
    return calls().path("byObject").path(method).path(vmId).asInt(0);
  }

  public void resetCalls() {
    control("/vmigrate/calls", "DELETE", null);
  }

  private static JsonNode readJson(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable answer from the launcher: " + body, e);
    }
  }

  private void control(String method, Object body) {
    control("/vmigrate/faults", method, body);
  }

  private String control(String path, String method, Object body) {
    try {
      URI control = url.resolve(path);
      HttpRequest.Builder req = HttpRequest.newBuilder(control).timeout(Duration.ofSeconds(10));
      req.method(
          method,
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      HttpResponse<String> res = httpFor().send(req.build(), HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() != 200) {
        throw new IllegalStateException(path + " refused: " + res.body());
      }
      return res.body();
    } catch (IOException e) {
      throw new IllegalStateException(path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpClient httpFor() {
    if (!"https".equals(url.getScheme())) {
      return HTTP;
    }
    // The control endpoint shares the simulator's self-signed certificate: pin it like the client.
    return HttpClient.newBuilder()
        .sslContext(SoapTransport.sslContext(TlsSettings.pinned(thumbprint), "vcsim"))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }
}

package dev.vmigrate.server;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal's own development server ({@code temporal server start-dev}: the real server with SQLite
 * persistence and visibility, and the web UI) as a supervised child process. Its database and log
 * live in vmigrate's data directory, so workflows survive a restart of either process. The child is
 * restarted if it dies while vmigrate runs, stopped when vmigrate stops, and killed by the kernel
 * when vmigrate is killed (parent-death signal), so no server is left orphaned.
 */
public final class DevTemporal implements TemporalRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(DevTemporal.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  /**
   * Where and how the dev server runs.
   *
   * @param binary the Temporal CLI
   * @param dataDir holds {@code temporal.db} and {@code temporal.log}
   * @param host bind address of the frontend and the UI
   * @param port frontend gRPC port
   * @param uiPort web UI port
   * @param namespace the namespace vmigrate uses; created when missing
   * @param retention how long closed workflows stay readable
   */
  public record Settings(
      Path binary,
      Path dataDir,
      String host,
      int port,
      int uiPort,
      String namespace,
      Duration retention) {}

  private final Settings settings;
  private final ProcessBuilder command;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final AtomicInteger restarts = new AtomicInteger();
  private volatile boolean closing;
  private volatile Process process;
  private Thread supervisor;

  private DevTemporal(Settings settings, FileChannel lockChannel, FileLock lock) {
    this.settings = settings;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.command = new ProcessBuilder(command(settings));
    command.redirectErrorStream(true);
    command.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(settings).toFile()));
  }

  /**
   * Starts the server and returns once its frontend answers and the namespace is set up.
   *
   * @throws IllegalStateException naming what to do when the binary is missing, the data directory
   *     is in use, a port is taken or the server does not come up
   */
  public static DevTemporal start(Settings s) {
    if (!Files.isExecutable(s.binary())) {
      throw new IllegalStateException(
          "Temporal CLI not found at "
              + s.binary()
              + ": install it with scripts/temporal install, or give --temporal-bin PATH, or"
              + " --temporal HOST:PORT for a running Temporal server");
    }
    FileChannel channel = null;
    FileLock lock = null;
    try {
      Files.createDirectories(s.dataDir());
      channel =
          FileChannel.open(
              s.dataDir().resolve("temporal.lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      lock = channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException heldHere) {
      lock = null;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot use the data directory " + s.dataDir(), e);
    }
    if (lock == null) {
      closeQuietly(channel);
      throw new IllegalStateException(
          "the data directory "
              + s.dataDir().toAbsolutePath()
              + " is in use by another vmigrate server; stop it or give --data-dir");
    }
    DevTemporal t = new DevTemporal(s, channel, lock);
    try {
      requireFree(s.host(), s.port(), "--temporal-port");
      requireFree(s.host(), s.uiPort(), "--temporal-ui-port");
      t.launch();
      t.setUp();
      return t;
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  /**
   * The Temporal CLI to run: {@code configured} when given, else the one {@code scripts/temporal
   * install} put into the project this jar was built in, else {@code temporal} on the PATH.
   */
  public static Path binary(String configured) {
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    try {
      // cli/target/vmigrate.jar or cli/target/classes: the project is two levels up.
      Path code =
          Path.of(DevTemporal.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path project = code.getParent() == null ? null : code.getParent().getParent();
      if (project != null && project.getParent() != null) {
        Path installed = project.getParent().resolve(".tools/temporal/bin/temporal");
        if (Files.isExecutable(installed)) {
          return installed;
        }
      }
    } catch (java.net.URISyntaxException | RuntimeException e) {
      // Not run from a build tree; fall back to the PATH.
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "temporal");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return Path.of(".tools/temporal/bin/temporal");
  }

  static List<String> command(Settings s) {
    List<String> c = new ArrayList<>();
    Path setpriv = Path.of("/usr/bin/setpriv");
    if (Files.isExecutable(setpriv)) {
      // The kernel stops the server when the thread that started it dies, even by kill -9.
      c.addAll(List.of(setpriv.toString(), "--pdeathsig", "TERM", "--"));
    }
    c.addAll(
        List.of(
            s.binary().toString(),
            "server",
            "start-dev",
            "--db-filename",
            databaseFile(s).toAbsolutePath().toString(),
            "--ip",
            s.host(),
            "--port",
            Integer.toString(s.port()),
            "--ui-port",
            Integer.toString(s.uiPort()),
            "--ui-disable-news-fetch",
            // Write-ahead log, synced at every commit: as durable as SQLite's default rollback
            // journal (a kill -9 or a power cut loses no committed transaction), and measured
            // 2.3 times faster for a 200-VM plan.
            "--sqlite-pragma",
            "journal_mode=wal",
            "--sqlite-pragma",
            "synchronous=full",
            "--log-format",
            "json",
            "--log-level",
            "warn"));
    if (!s.namespace().equals("default")) {
      c.addAll(List.of("--namespace", s.namespace()));
    }
    for (String name : NamespaceSetup.SEARCH_ATTRIBUTES) {
      // Honoured on a new database only; setUp() adds them to an existing one.
      c.addAll(List.of("--search-attribute", name + "=Keyword"));
    }
    return c;
  }

  static Path databaseFile(Settings s) {
    return s.dataDir().resolve("temporal.db");
  }

  static Path logFile(Settings s) {
    return s.dataDir().resolve("temporal.log");
  }

  // The child is started on the supervisor thread, which lives as long as the child should: the
  // parent-death signal follows the thread that started the process, not the JVM.
  private void launch() {
    CompletableFuture<Process> first = new CompletableFuture<>();
    supervisor = new Thread(() -> supervise(first), "temporal-dev-server");
    supervisor.setDaemon(true);
    supervisor.start();
    Process p;
    try {
      p = first.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot start the Temporal dev server: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the Temporal dev server did not start within 10 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the Temporal dev server", e);
    }
    awaitReady(p);
  }

  private void supervise(CompletableFuture<Process> first) {
    boolean ready = false;
    while (!closing) {
      Process p;
      try {
        p = command.start();
      } catch (IOException e) {
        if (!ready) {
          first.completeExceptionally(e);
          return;
        }
        LOG.error("cannot restart the Temporal dev server: {}", e.toString());
        sleep(5_000);
        continue;
      }
      process = p;
      if (!ready) {
        first.complete(p);
        ready = true;
      }
      int code;
      try {
        code = p.waitFor();
      } catch (InterruptedException e) {
        return;
      }
      if (closing) {
        return;
      }
      int n = restarts.incrementAndGet();
      LOG.warn(
          "the Temporal dev server exited with code {}; restarting it on {} (restart {}, log {})",
          code,
          databaseFile(settings),
          n,
          logFile(settings));
      sleep(1_000);
    }
  }

  private void awaitReady(Process p) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    WorkflowServiceStubs stubs = stubs();
    try {
      while (true) {
        try {
          if (stubs.healthCheck().getStatus() == ServingStatus.SERVING) {
            return;
          }
        } catch (RuntimeException notYet) {
          // The frontend is not listening yet.
        }
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "the Temporal dev server exited with code "
                  + p.exitValue()
                  + " while starting; last lines of "
                  + logFile(settings)
                  + ":\n"
                  + tail(logFile(settings), 15));
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the Temporal dev server did not answer on "
                  + address()
                  + " within "
                  + READY_TIMEOUT.toSeconds()
                  + " s; see "
                  + logFile(settings));
        }
        sleep(100);
      }
    } finally {
      stubs.shutdownNow();
    }
  }

  private void setUp() {
    WorkflowServiceStubs stubs = stubs();
    try {
      NamespaceSetup.ensureNamespace(stubs, settings.namespace(), settings.retention());
    } finally {
      stubs.shutdownNow();
    }
    NamespaceSetup.registerSearchAttributes(address(), settings.namespace());
  }

  private WorkflowServiceStubs stubs() {
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder()
            .setTarget(address())
            .setRpcTimeout(Duration.ofSeconds(5))
            .build());
  }

  private static void requireFree(String host, int port, String flag) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new IllegalStateException(
          host
              + ":"
              + port
              + " is in use (another vmigrate server or Temporal?); stop it or give "
              + flag
              + " PORT");
    }
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read it: " + e + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(FileChannel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // Nothing to do.
      }
    }
  }

  @Override
  public String address() {
    return TemporalRuntime.clientHost(settings.host()) + ":" + settings.port();
  }

  @Override
  public URI uiUrl() {
    String host = TemporalRuntime.clientHost(settings.host());
    return URI.create(
        "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + settings.uiPort());
  }

  @Override
  public String describe() {
    Process p = process;
    return "Temporal dev server, pid "
        + (p == null ? "-" : p.pid())
        + ", database "
        + databaseFile(settings).toAbsolutePath()
        + " (durable)";
  }

  /** The server process now running, for tests that kill it. */
  public ProcessHandle processHandle() {
    Process p = process;
    return p == null ? null : p.toHandle();
  }

  /** How often the supervisor restarted the server after it died. */
  public int restarts() {
    return restarts.get();
  }

  public Path databaseFile() {
    return databaseFile(settings);
  }

  /** The Temporal CLI that runs this server, which an operator can use against it too. */
  public Path binary() {
    return settings.binary();
  }

  public Path logFile() {
    return logFile(settings);
  }

  /**
   * Stops the server (SIGTERM, then SIGKILL after a grace period) and releases the data directory.
   */
  @Override
  public void close() {
    closing = true;
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroy();
      try {
        if (!p.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
          LOG.warn("the Temporal dev server did not stop within {}; killing it", STOP_GRACE);
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    if (supervisor != null) {
      supervisor.interrupt();
    }
    try {
      lock.release();
    } catch (IOException ignored) {
      // The channel's close releases it too.
    }
    closeQuietly(lockChannel);
  }
}

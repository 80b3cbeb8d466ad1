package dev.vmigrate.server;

import dev.vmigrate.api.auth.BearerTokenFilter;
import dev.vmigrate.api.db.EmbeddedH2;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of vmigrate in one process: a Temporal server it starts (Temporal's dev server as a
 * supervised child by default) unless an external one is given, then one Micronaut application
 * context holding the API and the worker, each switched by configuration. Closing stops them in
 * reverse order.
 */
public final class AllInOneServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AllInOneServer.class);

  private final TemporalRuntime temporal;
  private final ApplicationContext context;
  private final EmbeddedServer http;
  private final TemporalConnection connection;

  private AllInOneServer(
      TemporalRuntime temporal,
      ApplicationContext context,
      EmbeddedServer http,
      TemporalConnection connection) {
    this.temporal = temporal;
    this.context = context;
    this.http = http;
    this.connection = connection;
  }

  /** Starts every part the options ask for; on failure, stops what had started. */
  public static AllInOneServer start(ServerOptions o) {
    List<ConfigFile> files = readConfigFiles(o.configFiles());
    TemporalSettings settings = layered(o.temporal().connection(), files);
    TemporalRuntime temporal = null;
    TemporalConnection connection;
    boolean searchAttributes;
    if (o.temporal().mode() == TemporalOptions.Mode.EXTERNAL) {
      connection = TemporalConnection.resolve(settings);
      TemporalSetup.Report report =
          TemporalSetup.ensure(connection, o.temporal().retention(), null, log::warn);
      log.info(
          "Temporal {}: namespace {}, search attributes {}",
          connection.describe(),
          report.namespaceCreated() ? "created" : "present",
          report.registered().isEmpty()
              ? "present"
              : "registered now: " + String.join(", ", report.registered()));
      searchAttributes = report.searchAttributesAvailable();
    } else {
      // A server started here is reached in plaintext on loopback: Temporal's TLS settings and
      // API key are for clusters. It has vmigrate's search attributes registered.
      String namespace =
          settings.namespace() != null
              ? settings.namespace()
              : TemporalConnection.DEFAULT_NAMESPACE;
      temporal = startTemporal(o, namespace);
      connection = TemporalConnection.plain(temporal.address(), namespace);
      searchAttributes = true;
    }
    searchAttributes &= !Boolean.FALSE.equals(settings.searchAttributes());
    ApplicationContext context = null;
    try {
      context =
          ApplicationContext.builder()
              .deduceEnvironment(false)
              .banner(false)
              .singletons(connection)
              .propertySources(propertySources(o, files, connection, searchAttributes))
              .start();
      EmbeddedServer http = null;
      if (o.api()) {
        refuseWithoutTokens(o, context);
        http = context.getBean(EmbeddedServer.class);
        http.start();
      }
      context.getBean(TemporalWorkers.class).start();
      return new AllInOneServer(temporal, context, http, connection);
    } catch (RuntimeException e) {
      if (context != null) {
        context.close();
      }
      if (temporal != null) {
        temporal.close();
      }
      throw e;
    }
  }

  /**
   * The Temporal connection of a process with these flags and {@code --config} files: flags over
   * the files over {@code VMIGRATE_TEMPORAL_*} over Temporal's environment configuration.
   *
   * @throws IllegalArgumentException naming the setting or file that is unusable
   */
  public static TemporalConnection resolveConnection(TemporalSettings flags, List<Path> files) {
    return TemporalConnection.resolve(layered(flags, readConfigFiles(files)));
  }

  private static TemporalSettings layered(TemporalSettings flags, List<ConfigFile> files) {
    TemporalSettings layered = flags;
    // Later files outrank earlier ones, as in the context's property sources.
    for (int i = files.size() - 1; i >= 0; i--) {
      layered = layered.over(TemporalSettings.fromProperties(files.get(i).properties()));
    }
    return layered.over(TemporalSettings.fromEnvironment(System.getenv()));
  }

  /**
   * Off loopback every request needs a token: without one configured the API could only answer 401,
   * so it does not open its port. The filter's own tokens are read, from every source the context
   * merged (flags, --config files, VMIGRATE_API_TOKENS).
   */
  private static void refuseWithoutTokens(ServerOptions o, ApplicationContext context) {
    if (!o.loopback() && !context.getBean(BearerTokenFilter.class).hasTokens()) {
      throw new Misconfigured(
          "--host "
              + o.host()
              + " needs API tokens: set VMIGRATE_API_TOKENS or vmigrate.auth.tokens in a --config"
              + " file (only a loopback --host, such as 127.0.0.1, runs without them)");
    }
  }

  /** The options cannot make a working server; the message says what to change. */
  public static final class Misconfigured extends RuntimeException {
    Misconfigured(String message) {
      super(message);
    }
  }

  private static TemporalRuntime startTemporal(ServerOptions o, String namespace) {
    TemporalOptions t = o.temporal();
    return switch (t.mode()) {
      case DEV_SERVER ->
          DevTemporal.start(
              new DevTemporal.Settings(
                  DevTemporal.binary(t.binary()),
                  o.dataDir(),
                  t.host(),
                  t.port(),
                  t.uiPort(),
                  namespace,
                  t.retention()));
      case IN_MEMORY -> EmbeddedTemporal.start(t.host(), t.port(), namespace);
      case EXTERNAL -> null;
    };
  }

  /** The configuration the options stand for; what is not given here comes from the files. */
  static Map<String, Object> properties(
      ServerOptions o, TemporalConnection temporal, boolean searchAttributes) {
    Map<String, Object> p = new HashMap<>();
    p.put("micronaut.server.host", o.host());
    p.put("micronaut.server.port", o.port());
    p.put("vmigrate.temporal.address", temporal.address());
    p.put("vmigrate.temporal.namespace", temporal.namespace());
    // The connection itself is the singleton resolved in start(): TemporalFactory uses it.
    p.put("vmigrate.temporal.resolved", true);
    p.put("vmigrate.worker.enabled", o.worker());
    // Derived from what the start check found (and the setting, which may force them off).
    p.put("vmigrate.temporal.search-attributes", searchAttributes);
    // The ledger is served by the process that owns the database, which is the API's.
    p.put("vmigrate.ledger-worker.enabled", o.api());
    if (!o.api()) {
      // The API's beans share the jar, and its data source starts eagerly: a process without the
      // API (a worker) must not open the API's database file, which one process alone may hold.
      p.put("datasources.default.url", "jdbc:h2:mem:vmigrate-no-api;DB_CLOSE_DELAY=-1");
      p.put("flyway.datasources.default.enabled", false);
    } else if (o.jdbcUrl() != null) {
      p.put("datasources.default.url", o.jdbcUrl());
    } else if (o.dataDir() != null) {
      p.put("datasources.default.url", h2Url(o.dataDir()));
    }
    if (o.simulatedVcenter() != null) {
      p.put("vmigrate.vcenters." + o.simulatedVcenter() + ".simulated", true);
      p.put("vmigrate.vcenters." + o.simulatedVcenter() + ".simulated-vms", o.simulatedVms());
    }
    if (o.loopback()) {
      // Trying it out on one machine: no token needed, and only from this machine.
      p.put("vmigrate.auth.allow-unauthenticated", true);
    }
    p.putAll(o.extra());
    return p;
  }

  /**
   * The embedded H2 database in the data directory, as application.yml configures by default: a
   * commit is written before it returns, so a ledger write reported done survives kill -9.
   */
  static String h2Url(Path dataDir) {
    return EmbeddedH2.fileUrl(dataDir);
  }

  /** A {@code --config} file, read once for both the connection and the context. */
  private record ConfigFile(Path path, Map<String, Object> properties) {}

  private static List<ConfigFile> readConfigFiles(List<Path> files) {
    List<ConfigFile> read = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        read.add(new ConfigFile(file, new YamlPropertySourceLoader().read(file.toString(), in)));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e, e);
      }
    }
    return read;
  }

  // Flags outrank configuration files, which outrank environment variables and application.yml.
  private static PropertySource[] propertySources(
      ServerOptions o,
      List<ConfigFile> files,
      TemporalConnection temporal,
      boolean searchAttributes) {
    List<PropertySource> sources = new ArrayList<>();
    int order = 10_000;
    for (ConfigFile file : files) {
      sources.add(PropertySource.of(file.path().toString(), file.properties(), order++));
    }
    sources.add(
        PropertySource.of(
            "vmigrate-server-flags", properties(o, temporal, searchAttributes), 20_000));
    return sources.toArray(PropertySource[]::new);
  }

  /** The API's URL, or null when this process runs no API. */
  public URI apiUrl() {
    return http == null
        ? null
        : URI.create("http://" + hostForUrl(http.getHost()) + ":" + http.getPort());
  }

  private static String hostForUrl(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /** The worker's own metrics URL when {@code vmigrate.metrics.port} is set, else null. */
  public URI metricsUrl() {
    return context.findBean(MetricsPort.class).map(MetricsPort::url).orElse(null);
  }

  public String temporalAddress() {
    return connection.address();
  }

  /** The one Temporal connection of this process (no secret in its {@code toString}). */
  public TemporalConnection temporalConnection() {
    return connection;
  }

  /** The Temporal server this process started, or null when it uses an external one. */
  public TemporalRuntime temporal() {
    return temporal;
  }

  public ApplicationContext context() {
    return context;
  }

  @Override
  public void close() {
    try {
      // Workers first: stopping the HTTP server stops the whole context, whose pre-destroy of the
      // worker factory is a plain shutdown that closes the channel under the long polls (each then
      // logs "Channel shutdown invoked"). TemporalWorkers.stop cancels them after a grace period.
      if (context.isRunning()) {
        context.getBean(TemporalWorkers.class).stop(Duration.ofSeconds(5));
      }
      if (http != null) {
        http.stop();
      }
      context.close();
    } finally {
      if (temporal != null) {
        temporal.close();
      }
    }
    log.info("vmigrate server stopped");
  }
}

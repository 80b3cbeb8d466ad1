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
  private final String temporalAddress;

  private AllInOneServer(
      TemporalRuntime temporal,
      ApplicationContext context,
      EmbeddedServer http,
      String temporalAddress) {
    this.temporal = temporal;
    this.context = context;
    this.http = http;
    this.temporalAddress = temporalAddress;
  }

  /** Starts every part the options ask for; on failure, stops what had started. */
  public static AllInOneServer start(ServerOptions o) {
    TemporalRuntime temporal = startTemporal(o);
    String address = temporal != null ? temporal.address() : o.temporal().address();
    ApplicationContext context = null;
    try {
      context =
          ApplicationContext.builder()
              .deduceEnvironment(false)
              .banner(false)
              .propertySources(propertySources(o, address))
              .start();
      EmbeddedServer http = null;
      if (o.api()) {
        refuseWithoutTokens(o, context);
        http = context.getBean(EmbeddedServer.class);
        http.start();
      }
      context.getBean(TemporalWorkers.class).start();
      return new AllInOneServer(temporal, context, http, address);
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

  private static TemporalRuntime startTemporal(ServerOptions o) {
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
                  t.namespace(),
                  t.retention()));
      case IN_MEMORY -> EmbeddedTemporal.start(t.host(), t.port(), t.namespace());
      case EXTERNAL -> null;
    };
  }

  /** The configuration the options stand for; what is not given here comes from the files. */
  static Map<String, Object> properties(ServerOptions o, String temporalAddress) {
    Map<String, Object> p = new HashMap<>();
    p.put("micronaut.server.host", o.host());
    p.put("micronaut.server.port", o.port());
    p.put("vmigrate.temporal.address", temporalAddress);
    p.put("vmigrate.temporal.namespace", o.namespace());
    p.put("vmigrate.worker.enabled", o.worker());
    // A server started here has vmigrate's search attributes registered, so runs can carry them.
    p.put("vmigrate.temporal.search-attributes", o.temporal().started());
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

  // Flags outrank configuration files, which outrank environment variables and application.yml.
  private static PropertySource[] propertySources(ServerOptions o, String temporalAddress) {
    List<PropertySource> sources = new ArrayList<>();
    int order = 10_000;
    for (Path file : o.configFiles()) {
      try (InputStream in = Files.newInputStream(file)) {
        sources.add(
            PropertySource.of(
                file.toString(),
                new YamlPropertySourceLoader().read(file.toString(), in),
                order++));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e, e);
      }
    }
    sources.add(PropertySource.of("vmigrate-server-flags", properties(o, temporalAddress), 20_000));
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
    return temporalAddress;
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

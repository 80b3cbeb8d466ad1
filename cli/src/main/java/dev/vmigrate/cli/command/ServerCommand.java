package dev.vmigrate.cli.command;

import dev.vmigrate.cli.CliException;
import dev.vmigrate.cli.ExitCode;
import dev.vmigrate.server.AllInOneServer;
import dev.vmigrate.server.DevTemporal;
import dev.vmigrate.server.ServerOptions;
import dev.vmigrate.server.TemporalOptions;
import dev.vmigrate.server.TemporalRuntime;
import dev.vmigrate.server.TemporalSetup;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vmigrate server}: by default the API, the worker, Temporal's own dev server as a
 * supervised child process (database and log in the data directory, web UI on a port of its own),
 * the embedded database and a simulated vCenter. Each part can be switched off or pointed
 * elsewhere, which is how the container deployment runs the API and the worker apart.
 */
@Command(
    name = "server",
    description = "Run the API, the worker and (unless --temporal is given) a Temporal server.")
public class ServerCommand implements Callable<Integer> {
  /** Ten years: longer is surely a typo. */
  static final Duration MAX_RETENTION = Duration.ofDays(3650);

  @Spec CommandSpec spec;

  @Option(
      names = "--host",
      defaultValue = "${env:VMIGRATE_API_HOST:-127.0.0.1}",
      description =
          "API bind address (env VMIGRATE_API_HOST, default ${DEFAULT-VALUE}); on loopback the"
              + " API accepts requests without a token.")
  String host;

  @Option(
      names = "--port",
      defaultValue = "${env:VMIGRATE_API_PORT:-8080}",
      description = "API port (env VMIGRATE_API_PORT, default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--no-api", description = "Run no REST API in this process.")
  boolean noApi;

  @Option(names = "--no-worker", description = "Run no Temporal worker in this process.")
  boolean noWorker;

  @Option(
      names = "--data-dir",
      defaultValue = "${env:VMIGRATE_DATA_DIR:-vmigrate-data}",
      description =
          "Where the Temporal dev server's database and log and the embedded H2 database live"
              + " (env VMIGRATE_DATA_DIR, default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Mixin TemporalConnectionOptions temporal = new TemporalConnectionOptions();

  @Option(
      names = "--temporal-in-memory",
      description =
          "Run Temporal's in-memory Java test server instead of the dev server: not durable,"
              + " no web UI; every workflow is lost when this process stops.")
  boolean temporalInMemory;

  @Option(
      names = "--temporal-port",
      defaultValue = "7233",
      description = "gRPC port of the Temporal server started here (default ${DEFAULT-VALUE}).")
  int temporalPort;

  @Option(
      names = "--temporal-ui-port",
      defaultValue = "8233",
      description = "Web UI port of the Temporal dev server (default ${DEFAULT-VALUE}).")
  int temporalUiPort;

  @Option(
      names = "--temporal-host",
      defaultValue = "127.0.0.1",
      description =
          "Bind address of the Temporal server started here and its UI, which have no"
              + " authentication (default ${DEFAULT-VALUE}).")
  String temporalHost;

  @Option(
      names = "--temporal-bin",
      paramLabel = "PATH",
      defaultValue = "${env:VMIGRATE_TEMPORAL_BIN}",
      description =
          "The Temporal CLI that runs the dev server (env VMIGRATE_TEMPORAL_BIN); default: the"
              + " one scripts/temporal install put in .tools, else temporal on the PATH.")
  String temporalBin;

  @Option(
      names = "--temporal-retention",
      paramLabel = "DURATION",
      defaultValue = "P30D",
      description =
          "How long closed workflows stay readable in a namespace created here, on the dev"
              + " server or on a cluster (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration temporalRetention;

  @Option(
      names = "--jdbc-url",
      defaultValue = "${env:VMIGRATE_DB_URL}",
      description =
          "API database (env VMIGRATE_DB_URL); default: embedded H2 in the data directory.")
  String jdbcUrl;

  @Option(
      names = "--simulated-vcenter",
      paramLabel = "ID",
      defaultValue = "sim",
      description = "Id of the in-process simulated vCenter (default ${DEFAULT-VALUE}).")
  String simulatedVcenter;

  @Option(names = "--no-simulated-vcenter", description = "Configure no simulated vCenter.")
  boolean noSimulatedVcenter;

  @Option(
      names = "--simulated-vms",
      defaultValue = "200",
      description = "VMs in the simulated inventory (default ${DEFAULT-VALUE}).")
  int simulatedVms;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "A YAML configuration file (vCenters, tokens, ...); repeatable.")
  List<Path> configFiles = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    ServerOptions options = options();
    try {
      return runUntilStopped(options, spec.commandLine().getOut());
    } catch (AllInOneServer.Misconfigured e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (TemporalSetup.Refused | IllegalArgumentException e) {
      // One message naming what to change or the commands to run; no stack trace.
      throw new CliException(ExitCode.USAGE, e.getMessage());
    }
  }

  /** Starts the parts, prints the banner and waits for Ctrl-C or SIGTERM. */
  static int runUntilStopped(ServerOptions options, PrintWriter out) throws InterruptedException {
    AllInOneServer server = AllInOneServer.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "vmigrate-shutdown"));
    out.println(banner(server, options));
    out.flush();
    stopped.await();
    return 0;
  }

  ServerOptions options() {
    if (temporal.addressGiven() && temporalInMemory) {
      throw new ParameterException(
          spec.commandLine(), "--temporal and --temporal-in-memory exclude each other");
    }
    if (temporalRetention.compareTo(Duration.ofDays(1)) < 0
        || temporalRetention.compareTo(MAX_RETENTION) > 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--temporal-retention: "
              + temporalRetention
              + " is outside 1 day (Temporal's minimum) to "
              + MAX_RETENTION.toDays()
              + " days");
    }
    TemporalOptions options;
    if (temporalInMemory) {
      options =
          new TemporalOptions(
              TemporalOptions.Mode.IN_MEMORY,
              temporalHost,
              temporalPort,
              0,
              null,
              temporalRetention,
              temporal.settings());
    } else if (external()) {
      options = TemporalOptions.external(temporal.settings(), temporalRetention);
    } else {
      options =
          new TemporalOptions(
              TemporalOptions.Mode.DEV_SERVER,
              temporalHost,
              temporalPort,
              temporalUiPort,
              temporalBin,
              temporalRetention,
              temporal.settings());
    }
    return new ServerOptions(
        host,
        port,
        !noApi,
        !noWorker,
        options,
        dataDir,
        jdbcUrl == null || jdbcUrl.isBlank() ? null : jdbcUrl,
        noSimulatedVcenter ? null : simulatedVcenter,
        simulatedVms,
        configFiles,
        Map.of());
  }

  /**
   * An address set anywhere (flag, {@code --config}, {@code VMIGRATE_TEMPORAL_ADDRESS}, {@code
   * TEMPORAL_ADDRESS}, a TOML profile) means a cluster run elsewhere; else the dev server.
   */
  private boolean external() {
    if (temporal.addressGiven()) {
      return true;
    }
    try {
      return AllInOneServer.resolveConnection(temporal.settings(), configFiles).addressGiven();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  static String banner(AllInOneServer server, ServerOptions o) {
    // `vmigrate worker` runs the same parts without the API: say which one started.
    boolean workerOnly = !o.api() && o.worker();
    StringBuilder sb =
        new StringBuilder(workerOnly ? "vmigrate worker started\n" : "vmigrate server started\n");
    if (server.apiUrl() != null) {
      sb.append("  API          ").append(server.apiUrl());
      sb.append(o.loopback() ? " (loopback: no token needed)\n" : " (bearer token required)\n");
    }
    sb.append("  Temporal     ").append(server.temporalAddress());
    TemporalRuntime t = server.temporal();
    sb.append(
            t == null
                ? " (external: " + server.temporalConnection().describe() + ")"
                : " (" + t.describe() + ")")
        .append('\n');
    if (t != null && t.uiUrl() != null) {
      sb.append("  Temporal UI  ").append(t.uiUrl()).append('\n');
    }
    if (t instanceof DevTemporal dev) {
      sb.append("  Temporal CLI ")
          .append(dev.binary())
          .append(" workflow list --address ")
          .append(server.temporalAddress())
          .append(" --query \"MigrationState='FAILED_WAITING'\"\n");
    }
    sb.append("  worker       ").append(o.worker() ? "running" : "off").append('\n');
    if (o.simulatedVcenter() != null) {
      sb.append("  vCenter      ")
          .append(o.simulatedVcenter())
          .append(" (simulated, ")
          .append(o.simulatedVms())
          .append(" VMs, in this process: its state is lost when it stops)\n");
    }
    sb.append("Stop with Ctrl-C.");
    return sb.toString();
  }
}

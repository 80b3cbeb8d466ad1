package dev.vmigrate.cli.server;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vmigrate server}: by default the API, the worker, an embedded Temporal server on a real
 * gRPC port, the embedded database and a simulated vCenter, all in this process. Each part can be
 * switched off or pointed elsewhere, which is how the container deployment runs the API and the
 * worker apart.
 */
@Command(
    name = "server",
    description = "Run the API, the worker and (unless --temporal is given) a Temporal server.")
public class ServerCommand implements Callable<Integer> {
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
      names = "--temporal",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:VMIGRATE_TEMPORAL_ADDRESS}",
      description =
          "An external Temporal frontend (env VMIGRATE_TEMPORAL_ADDRESS); default: embed.")
  String temporalAddress;

  @Option(
      names = "--temporal-port",
      defaultValue = "7233",
      description = "gRPC port of the embedded Temporal server (default ${DEFAULT-VALUE}).")
  int temporalPort;

  @Option(
      names = "--temporal-host",
      defaultValue = "127.0.0.1",
      description =
          "Bind address of the embedded Temporal server, which has no authentication (default"
              + " ${DEFAULT-VALUE}).")
  String temporalHost;

  @Option(
      names = "--namespace",
      defaultValue = "${env:VMIGRATE_TEMPORAL_NAMESPACE:-default}",
      description =
          "Temporal namespace (env VMIGRATE_TEMPORAL_NAMESPACE, default ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--jdbc-url",
      defaultValue = "${env:VMIGRATE_DB_URL}",
      description = "API database (env VMIGRATE_DB_URL); default: embedded H2 in ./vmigrate-data.")
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
    PrintWriter out = spec.commandLine().getOut();
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
    return new ServerOptions(
        host,
        port,
        !noApi,
        !noWorker,
        temporalAddress == null || temporalAddress.isBlank() ? null : temporalAddress,
        temporalPort,
        temporalHost,
        namespace,
        jdbcUrl == null || jdbcUrl.isBlank() ? null : jdbcUrl,
        noSimulatedVcenter ? null : simulatedVcenter,
        simulatedVms,
        configFiles,
        Map.of());
  }

  static String banner(AllInOneServer server, ServerOptions o) {
    StringBuilder sb = new StringBuilder("vmigrate server started\n");
    if (server.apiUrl() != null) {
      sb.append("  API       ").append(server.apiUrl());
      sb.append(o.loopback() ? " (loopback: no token needed)\n" : " (bearer token required)\n");
    }
    sb.append("  Temporal  ").append(server.temporalAddress());
    sb.append(server.embeddedTemporal() ? " (embedded; try: temporal workflow list)\n" : "\n");
    sb.append("  worker    ").append(o.worker() ? "running" : "off").append('\n');
    if (o.simulatedVcenter() != null) {
      sb.append("  vCenter   ")
          .append(o.simulatedVcenter())
          .append(" (simulated, ")
          .append(o.simulatedVms())
          .append(" VMs)\n");
    }
    sb.append("Stop with Ctrl-C.");
    return sb.toString();
  }
}

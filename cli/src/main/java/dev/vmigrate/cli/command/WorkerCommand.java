package dev.vmigrate.cli.command;

import dev.vmigrate.cli.CliException;
import dev.vmigrate.cli.ExitCode;
import dev.vmigrate.server.ServerOptions;
import dev.vmigrate.server.TemporalOptions;
import dev.vmigrate.server.TemporalSetup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vmigrate worker}: only the migration worker, polling the task queues of the vCenters in
 * its configuration on a Temporal server that runs elsewhere. Several workers share the queues, so
 * any of them may be stopped or killed while the others carry on.
 */
@Command(
    name = "worker",
    description =
        "Run only the migration worker against a running Temporal server (several may share it).")
public class WorkerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TemporalConnectionOptions temporal = new TemporalConnectionOptions();

  @Option(
      names = "--config",
      paramLabel = "FILE",
      required = true,
      description =
          "A YAML configuration file with the vCenters this worker serves (vmigrate.vcenters.*);"
              + " repeatable.")
  List<Path> configFiles = new ArrayList<>();

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      defaultValue = "${env:VMIGRATE_METRICS_PORT}",
      description =
          "Serve Prometheus metrics at http://HOST:PORT/metrics (env VMIGRATE_METRICS_PORT;"
              + " default: no metrics port).")
  Integer metricsPort;

  @Option(
      names = "--metrics-host",
      paramLabel = "HOST",
      defaultValue = "${env:VMIGRATE_METRICS_HOST:-127.0.0.1}",
      description =
          "Address the metrics port binds to (env VMIGRATE_METRICS_HOST, default"
              + " ${DEFAULT-VALUE}); off loopback, scrapes need an API token.")
  String metricsHost;

  @Override
  public Integer call() throws InterruptedException {
    for (Path f : configFiles) {
      if (!f.toFile().isFile()) {
        throw new ParameterException(spec.commandLine(), "--config: no such file " + f);
      }
    }
    ServerOptions options =
        new ServerOptions(
            "127.0.0.1",
            0,
            false,
            true,
            TemporalOptions.external(temporal.settings(), null),
            null,
            null,
            null,
            0,
            configFiles,
            metricsPort == null
                ? Map.of()
                : Map.of(
                    "vmigrate.metrics.port", metricsPort, "vmigrate.metrics.host", metricsHost));
    try {
      return ServerCommand.runUntilStopped(options, spec.commandLine().getOut());
    } catch (TemporalSetup.Refused | IllegalArgumentException e) {
      // One message naming what to change or the commands to run; no stack trace.
      throw new CliException(ExitCode.USAGE, e.getMessage());
    }
  }
}

package dev.vmigrate.cli.command;

import dev.vmigrate.cli.CliException;
import dev.vmigrate.cli.ExitCode;
import dev.vmigrate.server.AllInOneServer;
import dev.vmigrate.server.TemporalConnection;
import dev.vmigrate.server.TemporalSetup;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vmigrate temporal setup}: creates the namespace (with a retention) and registers
 * vmigrate's search attributes where missing, on the cluster the connection options name, and says
 * what it did. Safe to run again: it changes nothing that exists. Every vmigrate process does the
 * same on start; this command is for an operator with broader credentials than the processes'.
 */
@Command(
    name = "setup",
    description =
        "Create the Temporal namespace and vmigrate's search attributes where missing, and print"
            + " what was done.")
public class TemporalSetupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TemporalConnectionOptions temporal = new TemporalConnectionOptions();

  @Option(
      names = "--retention",
      paramLabel = "DURATION",
      defaultValue = "P30D",
      description =
          "How long closed workflows stay readable in a namespace created here (ISO-8601,"
              + " default ${DEFAULT-VALUE}).")
  Duration retention;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      defaultValue = "PT1M",
      description =
          "How long to keep trying while Temporal cannot be reached (ISO-8601, default"
              + " ${DEFAULT-VALUE}).")
  Duration wait;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "A YAML configuration file (vmigrate.temporal.*); repeatable.")
  List<Path> configFiles = new ArrayList<>();

  @Override
  public Integer call() {
    if (retention.compareTo(Duration.ofDays(1)) < 0
        || retention.compareTo(ServerCommand.MAX_RETENTION) > 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--retention: "
              + retention
              + " is outside 1 day (Temporal's minimum) to "
              + ServerCommand.MAX_RETENTION.toDays()
              + " days");
    }
    if (wait.isNegative() || wait.compareTo(Duration.ofHours(1)) > 0) {
      throw new ParameterException(
          spec.commandLine(), "--wait: " + wait + " is outside 0 to 1 hour");
    }
    TemporalConnection connection;
    try {
      connection = AllInOneServer.resolveConnection(temporal.settings(), configFiles);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    out.println("Temporal " + connection.describe());
    out.flush();
    TemporalSetup.Report report;
    try {
      report =
          TemporalSetup.ensure(
              connection,
              retention,
              wait,
              line -> {
                err.println(line);
                err.flush();
              });
    } catch (TemporalSetup.Refused e) {
      throw new CliException(ExitCode.USAGE, e.getMessage());
    } catch (TemporalSetup.Unreachable e) {
      throw new CliException(ExitCode.UNREACHABLE, e.getMessage());
    }
    for (String line : report.lines(retention)) {
      out.println(line);
    }
    return ExitCode.OK.code();
  }
}

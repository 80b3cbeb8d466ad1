package dev.vmigrate.cli;

import dev.vmigrate.cli.command.DemoCommand;
import dev.vmigrate.cli.command.InventoryCommand;
import dev.vmigrate.cli.command.MappingCommand;
import dev.vmigrate.cli.command.PlanCommand;
import dev.vmigrate.cli.command.RecoverCommand;
import dev.vmigrate.cli.command.RequestCommand;
import dev.vmigrate.cli.command.ServerCommand;
import dev.vmigrate.cli.command.TemporalCommand;
import dev.vmigrate.cli.command.VcenterCommand;
import dev.vmigrate.cli.command.VmCommand;
import dev.vmigrate.cli.command.WorkerCommand;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code vmigrate} command and its global options, which every subcommand inherits so that they
 * may be given before or after the subcommand's name.
 */
@Command(
    name = "vmigrate",
    mixinStandardHelpOptions = true,
    // Inherited, so that --help (and --version) work on every subcommand too.
    scope = ScopeType.INHERIT,
    versionProvider = VersionProvider.class,
    description = "Migrates vSphere VMs with durable, rollback-safe Temporal workflows.",
    subcommands = {
      VcenterCommand.class,
      InventoryCommand.class,
      MappingCommand.class,
      PlanCommand.class,
      RequestCommand.class,
      VmCommand.class,
      ServerCommand.class,
      WorkerCommand.class,
      TemporalCommand.class,
      DemoCommand.class,
      RecoverCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:failure",
      "2:usage error",
      "3:not found",
      "4:conflict",
      "5:API unreachable",
      "6:held: a followed request (--watch) needs an operator",
      "7:live state unavailable: the ledger's last record was shown"
    })
public class VmigrateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--api",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:VMIGRATE_API:-http://127.0.0.1:8080}",
      description = "URL of the vmigrate API (env VMIGRATE_API, default ${DEFAULT-VALUE}).")
  URI api;

  @Option(
      names = "--token",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:VMIGRATE_TOKEN}",
      description = "Bearer token for the API (env VMIGRATE_TOKEN).")
  String token;

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Log each HTTP exchange and print stack traces on errors.")
  boolean verbose;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "a command is required");
  }

  public URI api() {
    return api;
  }

  /** The bearer token, or null; never printed. */
  public String token() {
    return token == null || token.isBlank() ? null : token;
  }

  public OutputFormat output() {
    return output;
  }

  public boolean verbose() {
    return verbose;
  }
}

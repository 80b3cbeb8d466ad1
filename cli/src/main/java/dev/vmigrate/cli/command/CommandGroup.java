package dev.vmigrate.cli.command;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands: given alone, it is a usage error. */
public abstract class CommandGroup implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(),
        "'"
            + spec.qualifiedName()
            + "' needs a subcommand: "
            + String.join(", ", spec.subcommands().keySet()));
  }
}

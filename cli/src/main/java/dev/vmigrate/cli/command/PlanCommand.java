package dev.vmigrate.cli.command;

import picocli.CommandLine.Command;

/** {@code vmigrate plan}: plans (a mapping, VMs and options) and ordering them. */
@Command(
    name = "plan",
    description = "Create, import, list, show, update, delete and run migration plans.",
    subcommands = {
      PlanCreateCommand.class,
      PlanImportCommand.class,
      PlanShowCommand.class,
      PlanRunCommand.class,
      PlanListCommand.class,
      PlanUpdateCommand.class,
      DeleteCommand.class,
      PlanSimulateCommand.class
    })
public class PlanCommand extends CommandGroup {}

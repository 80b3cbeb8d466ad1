package dev.vmigrate.cli.command;

import picocli.CommandLine.Command;

/** {@code vmigrate vm}: one VM's migration, addressed by its migration (workflow) id. */
@Command(
    name = "vm",
    description = "Show and steer one VM's migration.",
    subcommands = {
      VmStatusCommand.class,
      VmSignalCommand.Pause.class,
      VmSignalCommand.Resume.class,
      VmSignalCommand.Rollback.class,
      VmSignalCommand.Confirm.class
    })
public class VmCommand extends CommandGroup {}

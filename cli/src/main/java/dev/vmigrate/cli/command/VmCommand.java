package dev.vmigrate.cli.command;

import picocli.CommandLine.Command;

/** {@code vmigrate vm}: one VM's migration, addressed by its migration (workflow) id. */
@Command(
    name = "vm",
    description = "List VMs across requests; show and steer one VM's migration.",
    subcommands = {
      VmStatusCommand.class,
      VmSignalCommand.Pause.class,
      VmSignalCommand.Resume.class,
      VmSignalCommand.Rollback.class,
      VmSignalCommand.Confirm.class,
      VmListCommand.class
    })
public class VmCommand extends CommandGroup {}

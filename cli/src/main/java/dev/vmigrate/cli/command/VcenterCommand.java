package dev.vmigrate.cli.command;

import picocli.CommandLine.Command;

/** {@code vmigrate vcenter}: the vCenter connections the API knows. */
@Command(
    name = "vcenter",
    description = "Register, list, show, update and delete vCenter connections.",
    subcommands = {
      VcenterAddCommand.class,
      VcenterListCommand.class,
      VcenterShowCommand.class,
      VcenterUpdateCommand.class,
      DeleteCommand.class
    })
public class VcenterCommand extends CommandGroup {}

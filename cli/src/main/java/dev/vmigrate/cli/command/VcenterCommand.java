package dev.vmigrate.cli.command;

import picocli.CommandLine.Command;

/** {@code vmigrate vcenter}: the vCenter connections the API knows. */
@Command(
    name = "vcenter",
    description = "Register and list vCenter connections.",
    subcommands = {VcenterAddCommand.class, VcenterListCommand.class})
public class VcenterCommand extends CommandGroup {}

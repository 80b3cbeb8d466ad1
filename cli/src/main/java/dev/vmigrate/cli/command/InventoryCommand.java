package dev.vmigrate.cli.command;

import picocli.CommandLine.Command;

/** {@code vmigrate inventory}: what a vCenter holds, read live through the API. */
@Command(
    name = "inventory",
    description = "Read a vCenter's inventory.",
    subcommands = {InventoryListCommand.class})
public class InventoryCommand extends CommandGroup {}

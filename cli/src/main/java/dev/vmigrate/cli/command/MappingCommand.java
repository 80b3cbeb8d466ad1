package dev.vmigrate.cli.command;

import picocli.CommandLine.Command;

/** {@code vmigrate mapping}: infrastructure mappings from source to destination. */
@Command(
    name = "mapping",
    description = "Create and show infrastructure mappings.",
    subcommands = {MappingCreateCommand.class, MappingShowCommand.class})
public class MappingCommand extends CommandGroup {}

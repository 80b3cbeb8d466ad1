package dev.vmigrate.cli.command;

import picocli.CommandLine.Command;

/** {@code vmigrate mapping}: infrastructure mappings from source to destination. */
@Command(
    name = "mapping",
    description = "Create, list, show, update and delete infrastructure mappings.",
    subcommands = {
      MappingCreateCommand.class,
      MappingListCommand.class,
      MappingShowCommand.class,
      MappingUpdateCommand.class,
      DeleteCommand.class
    })
public class MappingCommand extends CommandGroup {}

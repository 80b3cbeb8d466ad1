package dev.vmigrate.cli.command;

import picocli.CommandLine.Command;

/** {@code vmigrate temporal}: what vmigrate needs of a Temporal cluster run elsewhere. */
@Command(
    name = "temporal",
    description = "Prepare a Temporal cluster for vmigrate.",
    subcommands = {TemporalSetupCommand.class})
public class TemporalCommand extends CommandGroup {}

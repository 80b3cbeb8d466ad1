package dev.vmigrate.cli.command;

import picocli.CommandLine.Command;

/** {@code vmigrate request}: orders of a plan and their progress. */
@Command(
    name = "request",
    description = "Follow, approve and close requests (orders of a plan).",
    subcommands = {
      RequestStatusCommand.class,
      RequestApproveCommand.class,
      RequestCloseCommand.class
    })
public class RequestCommand extends CommandGroup {}

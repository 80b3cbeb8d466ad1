package dev.vmigrate.cli.command;

import picocli.CommandLine.Command;

/** {@code vmigrate request}: orders of a plan and their progress. */
@Command(
    name = "request",
    description =
        "List, follow, approve, deny, pause, resume, cancel and close requests (orders of a plan).",
    subcommands = {
      RequestStatusCommand.class,
      RequestApproveCommand.class,
      RequestCloseCommand.class,
      RequestListCommand.class,
      RequestDenyCommand.class,
      RequestSignalCommand.Pause.class,
      RequestSignalCommand.Resume.class,
      RequestSignalCommand.Cancel.class
    })
public class RequestCommand extends CommandGroup {}

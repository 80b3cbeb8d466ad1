package dev.vmigrate.cli.command;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --watch} and {@code --interval}, shared by the commands that can follow a request. */
public class WatchOptions {
  @Option(
      names = "--watch",
      description =
          "Follow the request's progress until every VM is done, or until every VM left waits for"
              + " an operator (exit code 6, with the commands to resume or roll back).")
  boolean watch;

  @Option(
      names = "--interval",
      defaultValue = "PT1S",
      description = "Refresh interval of --watch (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration interval;
}

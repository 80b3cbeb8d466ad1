package dev.vmigrate.cli;

import dev.vmigrate.cli.output.TerminalText;
import io.micronaut.configuration.picocli.MicronautFactory;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/** Entry point of the {@code vmigrate} executable. */
public final class VmigrateMain {
  private VmigrateMain() {}

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /**
   * Runs one command line in a small Micronaut context and returns its exit code. The context only
   * builds the commands; {@code server} and {@code demo} start their own application context.
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    try (ApplicationContext context =
        ApplicationContext.builder()
            .environments(Environment.CLI)
            .deduceEnvironment(false)
            .banner(false)
            // The client context must never start a worker or open the database.
            .properties(Map.of("vmigrate.worker.enabled", false))
            .start()) {
      return commandLine(context, out, err).execute(args);
    }
  }

  /** The configured command line; shared with tests that keep their own context. */
  public static CommandLine commandLine(
      ApplicationContext context, PrintWriter out, PrintWriter err) {
    CommandLine cmd = new CommandLine(VmigrateCommand.class, new MicronautFactory(context));
    cmd.setOut(out);
    // Error messages quote what the API said: shown with its control characters visible.
    cmd.setErr(TerminalText.writer(err));
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExecutionExceptionHandler(new OneLineErrors());
    cmd.setParameterExceptionHandler(
        (ex, argv) -> {
          ex.getCommandLine().getErr().println("error: " + ex.getMessage());
          ex.getCommandLine()
              .getErr()
              .println(
                  "Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return ExitCode.USAGE.code();
        });
    return cmd;
  }

  /** Any exception a command lets through ends as one line on stderr, with a stack if verbose. */
  static final class OneLineErrors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(
        Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
      PrintWriter err = cmd.getErr();
      if (ex instanceof CliException cli) {
        err.println("error: " + cli.getMessage());
        if (verbose(cmd) && cli.getCause() != null) {
          cli.getCause().printStackTrace(err);
        }
        return cli.exitCode().code();
      }
      err.println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      if (verbose(cmd)) {
        ex.printStackTrace(err);
      }
      return ExitCode.FAILURE.code();
    }

    private static boolean verbose(CommandLine cmd) {
      return cmd.getCommandSpec().root().userObject() instanceof VmigrateCommand root
          && root.verbose();
    }
  }
}

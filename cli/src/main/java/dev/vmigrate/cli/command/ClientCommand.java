package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vmigrate.cli.CliException;
import dev.vmigrate.cli.ExitCode;
import dev.vmigrate.cli.OutputFormat;
import dev.vmigrate.cli.VmigrateCommand;
import dev.vmigrate.cli.client.ApiClient;
import dev.vmigrate.cli.output.RequestWatcher;
import dev.vmigrate.cli.output.TerminalText;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that are clients of the REST API: the global options, the API client, and
 * printing in the chosen output format.
 */
public abstract class ClientCommand implements Callable<Integer> {
  @Spec protected CommandSpec spec;

  @Inject protected ObjectMapper json;

  private ApiClient api;

  private PrintWriter textOut;

  /** The exit code once {@link #execute()} returned; a command that watches sets the outcome's. */
  protected int exitCode = ExitCode.OK.code();

  /** Does the work; returns normally for {@link #exitCode} or throws {@link CliException}. */
  protected abstract void execute();

  @Override
  public Integer call() {
    execute();
    return exitCode;
  }

  /** Follows a request until every VM is done; the exit code says how it ended. */
  protected void watch(String requestId, WatchOptions options) {
    exitCode =
        new RequestWatcher(api(), spec.commandLine().getOut(), jsonOutput() ? json : null)
            .watch(requestId, options.interval);
  }

  protected VmigrateCommand globals() {
    return (VmigrateCommand) spec.root().userObject();
  }

  protected ApiClient api() {
    if (api == null) {
      VmigrateCommand g = globals();
      api = new ApiClient(g.api(), g.token(), json, g.verbose() ? err() : null);
      if (!jsonOutput()) {
        api.withVisibleText(); // no name the API sends can forge a line or reorder one
      }
    }
    return api;
  }

  /**
   * Where a command prints: in text mode a writer that shows control characters in what the API
   * sent visibly ({@link TerminalText}); in JSON mode the plain output, which JSON escapes itself.
   */
  protected PrintWriter out() {
    if (jsonOutput()) {
      return spec.commandLine().getOut();
    }
    if (textOut == null) {
      textOut = TerminalText.writer(spec.commandLine().getOut());
    }
    return textOut;
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }

  protected boolean jsonOutput() {
    return globals().output() == OutputFormat.json;
  }

  /** Prints an API answer as indented JSON, for scripts. */
  protected void printJson(JsonNode node) {
    try {
      out()
          .println(json.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
      out().flush();
    } catch (IOException e) {
      throw new CliException(ExitCode.FAILURE, "cannot print JSON: " + e.getMessage());
    }
  }

  /** A text field of a JSON answer, or null. */
  protected static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}

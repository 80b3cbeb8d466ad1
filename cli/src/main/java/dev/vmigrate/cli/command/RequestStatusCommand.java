package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.ExitCode;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.cli.output.RequestView;
import dev.vmigrate.cli.output.RequestWatcher;
import io.micronaut.context.annotation.Prototype;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vmigrate request status ID [--watch]}. */
@Prototype
@Command(name = "status", description = "Show a request's progress, once or until it ends.")
public class RequestStatusCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "REQUEST", description = "The request's id.")
  String requestId;

  @Option(names = "--watch", description = "Refresh until every VM is done.")
  boolean watch;

  @Option(
      names = "--interval",
      defaultValue = "PT1S",
      description = "Refresh interval (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration interval;

  private int exit = ExitCode.OK.code();

  @Override
  public Integer call() {
    execute();
    return exit;
  }

  @Override
  protected void execute() {
    if (watch) {
      exit =
          new RequestWatcher(api(), out(), jsonOutput() ? json : null).watch(requestId, interval);
      return;
    }
    JsonNode r = api().get(ApiPaths.request(requestId));
    if (jsonOutput()) {
      printJson(r);
      return;
    }
    RequestView.lines(r).forEach(out()::println);
    out().println();
    RequestView.summary(r, out());
  }
}

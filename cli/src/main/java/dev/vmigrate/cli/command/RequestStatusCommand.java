package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.ExitCode;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.cli.output.RequestView;
import io.micronaut.context.annotation.Prototype;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code vmigrate request status ID [--watch]}. */
@Prototype
@Command(name = "status", description = "Show a request's progress, once or until it ends.")
public class RequestStatusCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "REQUEST", description = "The request's id.")
  String requestId;

  @Mixin WatchOptions watching;

  @Override
  protected void execute() {
    if (watching.watch) {
      watch(requestId, watching);
      return;
    }
    JsonNode r = api().get(ApiPaths.request(requestId));
    if (jsonOutput()) {
      printJson(r);
      if (RequestView.firstUnavailable(r) != null) {
        exitCode = ExitCode.LIVE_UNAVAILABLE.code();
      }
      return;
    }
    RequestView.lines(r).forEach(out()::println);
    out().println();
    RequestView.summary(r, out());
    String unavailable = RequestView.firstUnavailable(r);
    if (unavailable != null) {
      // What was printed is the ledger's last record, not the present: say so, and exit non-zero.
      err().println("error: " + unavailable + "; the states shown are the last recorded ones");
      exitCode = ExitCode.LIVE_UNAVAILABLE.code();
    }
  }
}

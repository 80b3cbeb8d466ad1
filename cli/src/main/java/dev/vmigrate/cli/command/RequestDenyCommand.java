package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import io.micronaut.context.annotation.Prototype;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vmigrate request deny ID --reason TEXT}: refuses a request that waits for approval. */
@Prototype
@Command(
    name = "deny",
    description = {
      "Deny a request that waits for approval: none of its VMs runs and the request finishes.",
      "A request already approved or denied is refused (exit 4)."
    })
public class RequestDenyCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "REQUEST", description = "The request's id.")
  String requestId;

  @Option(
      names = "--reason",
      required = true,
      paramLabel = "TEXT",
      description = "Why the request is denied; kept in its message and each VM's.")
  String reason;

  @Override
  protected void execute() {
    JsonNode r = api().post(ApiPaths.requestDeny(requestId), Map.of("reason", reason));
    if (jsonOutput()) {
      printJson(r);
    } else {
      out().println("request " + requestId + " " + text(r, "message"));
    }
  }
}

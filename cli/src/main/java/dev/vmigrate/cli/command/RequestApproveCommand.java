package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import io.micronaut.context.annotation.Prototype;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vmigrate request approve ID}: approves a request of a plan with manual approval. */
@Prototype
@Command(name = "approve", description = "Approve a request that waits for approval.")
public class RequestApproveCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "REQUEST", description = "The request's id.")
  String requestId;

  @Override
  protected void execute() {
    JsonNode r = api().post(ApiPaths.requestApprove(requestId), Map.of());
    if (jsonOutput()) {
      printJson(r);
    } else {
      out().println("request " + requestId + " approved");
    }
  }
}

package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import io.micronaut.context.annotation.Prototype;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vmigrate plan run PLAN}: orders the plan, which creates a request; with {@code --approve}
 * approves a request that waits for manual approval, with {@code --watch} follows it to the end.
 */
@Prototype
@Command(name = "run", description = "Order a plan: create a request and start it once approved.")
public class PlanRunCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "PLAN", description = "The plan's id or name.")
  String plan;

  @Option(names = "--approve", description = "Approve the request if the plan needs approval.")
  boolean approve;

  @Mixin WatchOptions watching;

  @Override
  protected void execute() {
    JsonNode order = api().post(ApiPaths.planOrder(plan), Map.of());
    String requestId = text(order, "requestId");
    if (approve && "pending".equals(text(order, "approvalState"))) {
      order = api().post(ApiPaths.requestApprove(requestId), Map.of());
    }
    if (!watching.watch) {
      if (jsonOutput()) {
        printJson(order);
      } else {
        out()
            .printf(
                "request %s created for plan %s (approval %s)%n",
                requestId, plan, text(order, "approvalState"));
        out().println("follow it with: vmigrate request status " + requestId + " --watch");
      }
      return;
    }
    watch(requestId, watching);
  }
}

package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.ExitCode;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.cli.output.RequestWatcher;
import io.micronaut.context.annotation.Prototype;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
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

  @Option(names = "--watch", description = "Follow the request's progress until it ends.")
  boolean watch;

  @Option(
      names = "--interval",
      defaultValue = "PT1S",
      description = "Refresh interval of --watch (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration interval;

  private int exit = ExitCode.OK.code();

  @Override
  public Integer call() {
    execute();
    return exit;
  }

  @Override
  protected void execute() {
    JsonNode order = api().post(ApiPaths.planOrder(plan), Map.of());
    String requestId = text(order, "requestId");
    if (approve && "pending".equals(text(order, "approvalState"))) {
      order = api().post(ApiPaths.requestApprove(requestId), Map.of());
    }
    if (!watch) {
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
    exit = new RequestWatcher(api(), out(), jsonOutput() ? json : null).watch(requestId, interval);
  }
}

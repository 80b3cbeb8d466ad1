package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import io.micronaut.context.annotation.Prototype;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vmigrate plan run PLAN}: orders the plan, which creates a request; with {@code --approve}
 * approves a request that waits for manual approval, with {@code --watch} follows it to the end.
 * While the plan has an open request the API refuses the order (exit code 4) naming it, unless
 * {@code --allow-concurrent}; {@code --idempotency-key} makes a retried run answer the request the
 * first run made instead of ordering again.
 */
@Prototype
@Command(name = "run", description = "Order a plan: create a request and start it once approved.")
public class PlanRunCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "PLAN", description = "The plan's id or name.")
  String plan;

  @Option(names = "--approve", description = "Approve the request if the plan needs approval.")
  boolean approve;

  @Option(
      names = "--allow-concurrent",
      description = "Order even though the plan has an open request (by default refused).")
  boolean allowConcurrent;

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description =
          "A key of your own for this order (up to 255 printable ASCII characters): running again"
              + " with the same key answers the request the first run made and orders nothing.")
  String idempotencyKey;

  @Mixin WatchOptions watching;

  @Override
  protected void execute() {
    Map<String, Object> body = new LinkedHashMap<>();
    if (allowConcurrent) {
      body.put("allowConcurrent", true);
    }
    JsonNode order =
        api()
            .post(
                ApiPaths.planOrder(plan),
                body,
                idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
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

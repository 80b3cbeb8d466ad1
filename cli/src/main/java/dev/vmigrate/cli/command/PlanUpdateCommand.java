package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import io.micronaut.context.annotation.Prototype;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vmigrate plan update PLAN}: the plan as it is, with what the file and the options give in
 * its place. Its VMs stay unless {@code --vm} or the file lists VMs, which then replace them all;
 * {@code plan import} appends VMs instead.
 */
@Prototype
@Command(name = "update", description = "Change a plan's mapping, approval, options or VMs.")
public class PlanUpdateCommand extends PlanCreateCommand {
  @Parameters(index = "0", paramLabel = "PLAN", description = "The plan's id or name.")
  String plan;

  @Override
  protected Map<String, Object> start() {
    JsonNode current = api().get(ApiPaths.plan(plan));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", text(current, "name"));
    body.put("mapping", text(current, "mappingId"));
    body.put("approvalPolicy", text(current, "approvalPolicy"));
    body.put("options", json.convertValue(current.get("options"), Object.class));
    return body;
  }

  @Override
  protected JsonNode submit(Map<String, Object> body) {
    return api().put(ApiPaths.plan(plan), body);
  }

  @Override
  protected String done() {
    return "updated";
  }
}

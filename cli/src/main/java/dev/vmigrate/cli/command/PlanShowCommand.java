package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.cli.output.Table;
import io.micronaut.context.annotation.Prototype;
import java.util.Iterator;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vmigrate plan show PLAN}: the plan, its options and each VM's status. */
@Prototype
@Command(name = "show", description = "Show a plan and the status of its VMs.")
public class PlanShowCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "PLAN", description = "The plan's id or name.")
  String plan;

  @Override
  protected void execute() {
    JsonNode p = api().get(ApiPaths.plan(plan));
    if (jsonOutput()) {
      printJson(p);
      return;
    }
    out()
        .printf(
            "Plan %s (id %s), mapping %s, approval %s%n",
            text(p, "name"), text(p, "id"), text(p, "mappingId"), text(p, "approvalPolicy"));
    StringBuilder opts = new StringBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = p.path("options").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      opts.append(opts.length() == 0 ? "" : ", ")
          .append(e.getKey())
          .append('=')
          .append(e.getValue().asText());
    }
    out().println("Options: " + (opts.length() == 0 ? "defaults" : opts));
    if (p.hasNonNull("archivedAt")) {
      out()
          .println(
              "Archived "
                  + text(p, "archivedAt")
                  + ": deleted after it was ordered; kept for its requests, never ordered again");
    }
    out().println();
    Table t = new Table("VM", "ID", "INSTANCE UUID", "STATUS", "REQUEST");
    for (JsonNode vm : p.path("vms")) {
      t.row(
          text(vm, "name"),
          text(vm, "vmId"),
          text(vm, "instanceUuid"),
          text(vm, "status"),
          text(vm, "requestId"));
    }
    t.print(out());
  }
}

package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.cli.output.Table;
import io.micronaut.context.annotation.Prototype;
import picocli.CommandLine.Command;

/** {@code vmigrate plan list}. */
@Prototype
@Command(name = "list", description = "List the plans, with their mapping and VM count.")
public class PlanListCommand extends ClientCommand {
  @Override
  protected void execute() {
    JsonNode list = api().get(ApiPaths.plans());
    if (jsonOutput()) {
      printJson(list);
      return;
    }
    Table t = new Table("ID", "NAME", "MAPPING", "APPROVAL", "VMS");
    for (JsonNode p : list) {
      t.row(
          text(p, "id"),
          text(p, "name"),
          text(p, "mappingId"),
          text(p, "approvalPolicy"),
          text(p, "vmCount"));
    }
    t.print(out());
  }
}

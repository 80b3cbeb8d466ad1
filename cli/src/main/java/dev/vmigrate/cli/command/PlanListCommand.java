package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.cli.output.Table;
import io.micronaut.context.annotation.Prototype;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vmigrate plan list [--archived]}. */
@Prototype
@Command(name = "list", description = "List the plans, with their mapping and VM count.")
public class PlanListCommand extends ClientCommand {
  @Option(
      names = "--archived",
      description =
          "Also list archived plans (deleted after they were ordered, kept for their requests).")
  boolean archived;

  @Override
  protected void execute() {
    JsonNode list = api().get(archived ? ApiPaths.plansWithArchived() : ApiPaths.plans());
    if (jsonOutput()) {
      printJson(list);
      return;
    }
    Table t =
        archived
            ? new Table("ID", "NAME", "MAPPING", "APPROVAL", "VMS", "ARCHIVED")
            : new Table("ID", "NAME", "MAPPING", "APPROVAL", "VMS");
    for (JsonNode p : list) {
      String[] row = {
        text(p, "id"),
        text(p, "name"),
        text(p, "mappingId"),
        text(p, "approvalPolicy"),
        text(p, "vmCount"),
        p.hasNonNull("archivedAt") ? text(p, "archivedAt") : "-"
      };
      t.row(archived ? row : java.util.Arrays.copyOf(row, 5));
    }
    t.print(out());
  }
}

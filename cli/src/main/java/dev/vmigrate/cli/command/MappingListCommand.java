package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.cli.output.Table;
import io.micronaut.context.annotation.Prototype;
import picocli.CommandLine.Command;

/** {@code vmigrate mapping list}. */
@Prototype
@Command(name = "list", description = "List infrastructure mappings.")
public class MappingListCommand extends ClientCommand {
  @Override
  protected void execute() {
    JsonNode list = api().get(ApiPaths.mappings());
    if (jsonOutput()) {
      printJson(list);
      return;
    }
    Table t = new Table("ID", "NAME", "FROM", "TO", "CLUSTERS", "DATASTORES", "NETWORKS");
    for (JsonNode m : list) {
      t.row(
          text(m, "id"),
          text(m, "name"),
          text(m, "sourceVcenter"),
          text(m, "destinationVcenter"),
          String.valueOf(m.path("clusters").size()),
          String.valueOf(m.path("datastores").size()),
          String.valueOf(m.path("networks").size()));
    }
    t.print(out());
  }
}

package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.cli.output.Table;
import io.micronaut.context.annotation.Prototype;
import java.util.Iterator;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vmigrate mapping show NAME}. */
@Prototype
@Command(name = "show", description = "Show a mapping.")
public class MappingShowCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "MAPPING", description = "The mapping's id or name.")
  String mapping;

  @Override
  protected void execute() {
    JsonNode m = api().get(ApiPaths.mapping(mapping));
    if (jsonOutput()) {
      printJson(m);
      return;
    }
    out()
        .printf(
            "Mapping %s (id %s): vCenter %s -> %s%n%n",
            text(m, "name"),
            text(m, "id"),
            text(m, "sourceVcenter"),
            text(m, "destinationVcenter"));
    Table t = new Table("KIND", "SOURCE", "DESTINATION", "RESOURCE POOL", "FOLDER");
    for (JsonNode c : m.path("clusters")) {
      t.row(
          "cluster",
          text(c, "source"),
          text(c, "destination"),
          text(c, "resourcePool"),
          text(c, "folder"));
    }
    rows(t, "datastore", m.path("datastores"));
    rows(t, "network", m.path("networks"));
    t.print(out());
  }

  private static void rows(Table t, String kind, JsonNode map) {
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      t.row(kind, e.getKey(), e.getValue().asText(), null, null);
    }
  }
}

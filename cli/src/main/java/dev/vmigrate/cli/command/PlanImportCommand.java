package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import io.micronaut.context.annotation.Prototype;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vmigrate plan import PLAN FILE}: adds the VMs of a CSV (a plain list or an RVTools vInfo
 * export) or YAML list to a plan. The API resolves them against the source vCenter.
 */
@Prototype
@Command(name = "import", description = "Add VMs from a CSV or YAML file to a plan.")
public class PlanImportCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "PLAN", description = "The plan's id or name.")
  String plan;

  @Parameters(index = "1", paramLabel = "FILE", description = "A .csv, .yaml or .yml VM list.")
  Path file;

  @Override
  protected void execute() {
    String type = Documents.vmListType(file);
    JsonNode v = api().postText(ApiPaths.planImport(plan), type, Documents.read(file));
    if (jsonOutput()) {
      printJson(v);
    } else {
      out()
          .printf(
              "imported %d VMs into plan %s (%d VMs in the plan)%n",
              v.path("imported").asInt(), plan, v.path("total").asInt());
    }
  }
}

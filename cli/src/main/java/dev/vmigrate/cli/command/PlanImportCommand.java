package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.cli.output.TerminalText;
import io.micronaut.context.annotation.Prototype;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vmigrate plan import PLAN FILE}: adds the VMs of a CSV (a plain list or an RVTools vInfo
 * export), an RVTools workbook (.xlsx) or a YAML list to a plan. The API resolves them against the
 * source vCenter; for a workbook it also says which networks and disks the export lists for them.
 */
@Prototype
@Command(
    name = "import",
    description = "Add VMs from a CSV, RVTools workbook (.xlsx) or YAML file to a plan.")
public class PlanImportCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "PLAN", description = "The plan's id or name.")
  String plan;

  @Parameters(
      index = "1",
      paramLabel = "FILE",
      description = "A .csv, .xlsx (RVTools), .yaml or .yml VM list.")
  Path file;

  @Override
  protected void execute() {
    String type = Documents.vmListType(file);
    JsonNode v =
        type.equals(Documents.XLSX)
            ? api().postBytes(ApiPaths.planImport(plan), type, Documents.readBytes(file))
            : api().postText(ApiPaths.planImport(plan), type, Documents.read(file));
    if (jsonOutput()) {
      printJson(v);
      return;
    }
    out()
        .printf(
            "imported %d VMs into plan %s (%d VMs in the plan)%n",
            v.path("imported").asInt(), plan, v.path("total").asInt());
    if (v.has("disks")) {
      out()
          .printf(
              "the workbook's vDisk sheet lists %d disks of %d MiB for them%n",
              v.path("disks").asInt(), v.path("diskCapacityMib").asLong());
    }
    if (v.has("networks")) {
      List<String> networks = new ArrayList<>();
      v.path("networks").forEach(n -> networks.add(TerminalText.visible(n.asText())));
      out()
          .printf(
              "their NICs are on %s (vNetwork); the plan's mapping must map each%n",
              networks.isEmpty() ? "no network" : String.join(", ", networks));
    }
  }
}

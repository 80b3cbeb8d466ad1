package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.cli.output.ProgressBar;
import dev.vmigrate.cli.output.Sizes;
import dev.vmigrate.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vmigrate vm status MIGRATION}: the live status query of the migration workflow. */
@Command(name = "status", description = "Show a VM migration's live status.")
public class VmStatusCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "MIGRATION", description = "The migration id.")
  String migrationId;

  @Override
  protected void execute() {
    JsonNode s = api().get(ApiPaths.migration(migrationId));
    if (jsonOutput()) {
      printJson(s);
      return;
    }
    JsonNode vm = s.path("vm");
    out()
        .printf(
            "%s  %s  %s%n",
            vm.path("name").asText(text(s, "migrationId")),
            text(s, "state"),
            ProgressBar.render(s.path("percent").asInt(), 30));
    out().println("  migration  " + text(s, "migrationId"));
    if (s.hasNonNull("mode")) {
      out().println("  mode       " + text(s, "mode"));
    }
    if (s.hasNonNull("currentAction")) {
      out().println("  action     " + text(s, "currentAction"));
    }
    out()
        .printf(
            "  actions    %d done, %d queued%n",
            s.path("doneActions").size(), s.path("queuedActions").size());
    JsonNode origin = s.path("origin");
    if (!origin.isMissingNode() && !origin.isNull()) {
      out()
          .printf(
              "  origin     host %s, cluster %s%n",
              origin.path("host").asText("-"), origin.path("cluster").asText("-"));
    }
    JsonNode dest = s.path("destination");
    if (!dest.isMissingNode() && !dest.isNull()) {
      out()
          .printf(
              "  target     host %s, pool %s%n",
              dest.path("host").asText("-"), dest.path("resourcePool").asText("-"));
    }
    if (s.hasNonNull("lastError")) {
      out().println("  last error " + text(s, "lastError"));
    }
    if (s.path("disks").size() > 0) {
      out().println();
      Table t = new Table("DISK", "CAPACITY", "PROGRESS");
      for (JsonNode d : s.path("disks")) {
        t.row(
            d.path("label").asText(d.path("diskKey").asText()),
            Sizes.bytes(d.path("capacityBytes").asLong()),
            ProgressBar.render(d.path("percent").asInt(), 20));
      }
      t.print(out());
    }
  }
}

package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.ExitCode;
import dev.vmigrate.cli.output.LiveDetails;
import dev.vmigrate.cli.output.ProgressBar;
import dev.vmigrate.cli.output.RequestView;
import io.micronaut.context.annotation.Prototype;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code vmigrate vm status REQUEST VM}: one VM's migration as its request sees it. */
@Prototype
@Command(name = "status", description = "Show one VM's migration within a request.")
public class VmStatusCommand extends ClientCommand {
  @Mixin VmTarget target;

  @Override
  protected void execute() {
    JsonNode t = target.task(api());
    if (jsonOutput()) {
      printJson(t);
      if (t.has("liveUnavailable")) {
        exitCode = ExitCode.LIVE_UNAVAILABLE.code();
      }
      return;
    }
    if (t.has("liveUnavailable")) {
      // The percentage below is the ledger's last record; never show it as the present.
      out()
          .printf(
              "%s  %s (last recorded %s %d%%)%n",
              text(t, "name"),
              RequestView.unavailable(t),
              text(t, "state"),
              t.path("progress").path("vm_migrate").asInt());
      err().println("error: " + RequestView.unavailable(t));
      exitCode = ExitCode.LIVE_UNAVAILABLE.code();
    } else {
      out()
          .printf(
              "%s  %s  %s%n",
              text(t, "name"),
              t.path("migrationState").asText(text(t, "state")),
              ProgressBar.render(t.path("progress").path("vm_migrate").asInt(), 30));
    }
    line("vm id", text(t, "vmId"));
    line("instance", text(t, "instanceUuid"));
    line("task state", text(t, "state"));
    line("migration", text(t, "migrationId"));
    line("disks", t.path("progress").path("disk_migrate").asInt() + "% copied");
    line("message", text(t, "message"));
    line("reason", text(t, "reason"));
    LiveDetails.lines(t).forEach(l -> line(l[0], l[1]));
  }

  private void line(String label, String value) {
    if (value != null && !value.isBlank()) {
      out().printf("  %-11s%s%n", label, value);
    }
  }
}

package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.cli.output.Table;
import io.micronaut.context.annotation.Prototype;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vmigrate request close ID [--reason TEXT]}: finishes a request whose workflow Temporal
 * lost, printing what vCenter shows of each VM that was still in play and what is left to do by
 * hand.
 */
@Prototype
@Command(
    name = "close",
    description = {
      "Close a request whose workflow Temporal no longer knows (its state was lost).",
      "Reads each VM in vCenter without changing it, records what was found and frees the VMs"
          + " for another plan. A request whose workflow exists is refused (exit 4).",
    })
public class RequestCloseCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "REQUEST", description = "The request's id.")
  String requestId;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "Why the request is closed; kept in its message.")
  String reason;

  @Override
  protected void execute() {
    JsonNode r =
        api()
            .post(
                ApiPaths.requestClose(requestId),
                reason == null ? Map.of() : Map.of("reason", reason));
    if (jsonOutput()) {
      printJson(r);
      return;
    }
    out().println("request " + requestId + " " + text(r, "message"));
    JsonNode vms = r.path("vms");
    if (vms.isEmpty()) {
      out().println("No VM was still in play.");
      out().flush();
      return;
    }
    out().println();
    Table t = new Table("VM", "WAS", "FOUND", "LOCKED BY", "ORIGIN", "MIGRATION WORKFLOW");
    List<String> todo = new ArrayList<>();
    for (JsonNode vm : vms) {
      String found =
          vm.path("registered").asBoolean()
              ? text(vm, "host") + " in " + text(vm, "vcenter") + ", " + text(vm, "powerState")
              : "not registered";
      String origin =
          text(vm, "originHost") == null
              ? null
              : text(vm, "originHost")
                  + (vm.path("atOrigin").asBoolean() ? " (at origin)" : " (away from it)");
      t.row(
          text(vm, "name"),
          text(vm, "previousState"),
          found,
          text(vm, "lockedBy"),
          origin,
          text(vm, "migrationWorkflow"));
      if (text(vm, "action") != null) {
        todo.add(text(vm, "name") + ": " + text(vm, "action"));
      }
    }
    t.print(out());
    out().println();
    if (todo.isEmpty()) {
      out().println("Nothing is left to do by hand.");
    } else {
      out().println("Left to do by hand (vmigrate cannot finish these VMs):");
      todo.forEach(s -> out().println("  " + s));
    }
    out().flush();
  }
}

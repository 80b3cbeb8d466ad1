package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.cli.output.Table;
import io.micronaut.context.annotation.Prototype;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vmigrate vm list [--state STATE ...] [--plan P] [--request R]}: VMs across requests, a
 * page at a time, the most recently changed first.
 */
@Prototype
@Command(
    name = "list",
    description = {
      "List VMs across requests, the most recently changed first, e.g. every failed one.",
      "A VM ordered in two requests is listed once per request."
    })
public class VmListCommand extends ClientCommand {
  @Option(
      names = "--state",
      paramLabel = "STATE",
      split = ",",
      description =
          "Only VMs in this state: planned, approved, started, completed, failed, rolled_back,"
              + " skipped (repeat or separate with commas).")
  List<String> states = new ArrayList<>();

  @Option(names = "--plan", paramLabel = "PLAN", description = "Only this plan's (id or name).")
  String plan;

  @Option(names = "--request", paramLabel = "REQUEST", description = "Only this request's.")
  String request;

  @Option(
      names = "--limit",
      defaultValue = "100",
      paramLabel = "N",
      description = "At most N VMs, 1 to 1000 (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--offset",
      defaultValue = "0",
      paramLabel = "N",
      description = "Pass over the first N matching VMs (default ${DEFAULT-VALUE}).")
  int offset;

  @Override
  protected void execute() {
    JsonNode page = api().get(ApiPaths.vms(states, plan, request, offset, limit));
    if (jsonOutput()) {
      printJson(page);
      return;
    }
    Table t = new Table("REQUEST", "PLAN", "VM", "NAME", "STATE", "PROGRESS", "UPDATED", "MESSAGE");
    for (JsonNode v : page.path("items")) {
      t.row(
          text(v, "requestId"),
          text(v, "planName"),
          text(v, "vmId"),
          text(v, "name"),
          text(v, "state"),
          v.path("progress").path("vm_migrate").asInt() + "%",
          text(v, "updated_on"),
          text(v, "message"));
    }
    t.print(out());
    long total = page.path("total").asLong();
    int shown = page.path("items").size();
    if (shown < total) {
      out()
          .printf(
              "%d-%d of %d VMs; next page: --offset %d%n",
              shown == 0 ? offset : offset + 1, offset + shown, total, offset + shown);
      out().flush();
    }
  }
}

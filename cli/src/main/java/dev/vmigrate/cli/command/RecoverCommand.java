package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import io.micronaut.context.annotation.Prototype;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vmigrate recover VCENTER [--apply] [--vm NAME]... [--finalise NAME]...}: finds what
 * migrations whose state vmigrate lost left in vCenter (locks, origin records, reservations) and,
 * with {@code --apply}, starts a recovery workflow for each.
 */
@Prototype
@Command(
    name = "recover",
    description = {
      "Find and clean up what lost migrations left in a vCenter, from vCenter alone.",
      "Reads vmigrate's custom attributes on every VM and datastore, matches them against the"
          + " migrations Temporal runs and the ledger (either may be empty), and lists each"
          + " leftover with what it proposes: roll back to the recorded origin, finalise, or"
          + " clear the marks. A dry run unless --apply, which starts one recovery workflow per"
          + " VM (id recover-VCENTER-UUID; applying again starts none while one runs).",
    })
public class RecoverCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "VCENTER", description = "The vCenter connection id.")
  String vcenter;

  @Option(names = "--apply", description = "Start the recoveries (default: dry run).")
  boolean apply;

  @Option(
      names = "--vm",
      paramLabel = "NAME",
      description = "Only this VM (repeatable); default: every leftover.")
  List<String> vms;

  @Option(
      names = "--finalise",
      paramLabel = "NAME",
      description = "Accept this VM where it is instead of rolling it back (repeatable).")
  List<String> finalise;

  @Override
  protected void execute() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("apply", apply);
    if (vms != null) {
      body.put("vms", vms);
    }
    if (finalise != null) {
      body.put("finalise", finalise);
    }
    JsonNode r = api().post(ApiPaths.recover(vcenter), body);
    if (jsonOutput()) {
      printJson(r);
      return;
    }
    out()
        .println(
            "vCenter "
                + text(r, "vcenter")
                + ": "
                + r.path("markedVms").asInt()
                + " VMs and "
                + r.path("markedDatastores").asInt()
                + " datastores carry vmigrate marks");
    JsonNode findings = r.path("findings");
    for (JsonNode f : findings) {
      out().println();
      String vm = text(f, "vm");
      out()
          .println(
              (vm == null ? "(no VM) reservations of " + text(f, "migrationId") : "VM " + vm)
                  + ": "
                  + text(f, "description"));
      for (JsonNode line : f.path("found")) {
        out().println("  found:  " + line.asText());
      }
      out().println("  will:   " + text(f, "proposal"));
      if (text(f, "note") != null) {
        out().println("  note:   " + text(f, "note"));
      }
      String workflow = text(f, "workflowId");
      String started = text(f, "started");
      if (workflow != null) {
        out().println("  workflow: " + workflow + (started == null ? "" : " (" + started + ")"));
      } else if (started != null) {
        out().println("  " + started);
      }
    }
    out().println();
    out().println(text(r, "message"));
    if (!apply && !findings.isEmpty()) {
      out().println("Run again with --apply to start the recoveries.");
    } else if (apply && !findings.isEmpty()) {
      out()
          .println(
              "Follow them in the Temporal UI (workflow type VmRecovery) or with"
                  + " `temporal workflow describe --workflow-id ID`.");
    }
    out().flush();
  }
}

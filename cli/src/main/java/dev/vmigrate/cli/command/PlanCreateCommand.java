package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.CliException;
import dev.vmigrate.cli.ExitCode;
import dev.vmigrate.cli.client.ApiPaths;
import io.micronaut.context.annotation.Prototype;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vmigrate plan create}: from options, or from a YAML/JSON plan document (options given as
 * well override the document's).
 */
@Prototype
@Command(name = "create", description = "Create a migration plan.")
public class PlanCreateCommand extends ClientCommand {
  @Option(names = "--file", paramLabel = "FILE", description = "YAML or JSON plan document.")
  Path file;

  @Option(names = "--name", description = "The plan's name.")
  String name;

  @Option(names = "--mapping", description = "The mapping's id or name.")
  String mapping;

  @Option(names = "--approval", description = "auto (default) or manual.")
  String approval;

  @Option(names = "--vm", paramLabel = "NAME", description = "A VM by name, repeatable.")
  List<String> vms = new ArrayList<>();

  @Option(
      names = "--type",
      description = "auto, hot, cold, or network (move the VMs' NICs only, no relocate).")
  String migrationType;

  @Option(names = "--failure-policy", description = "hold (default) or rollback.")
  String failurePolicy;

  @Option(names = "--verify", description = "Stop in VERIFYING until confirmed.")
  Boolean verify;

  @Option(
      names = "--auto-confirm-after",
      paramLabel = "DURATION",
      description = "ISO-8601 duration after which VERIFYING confirms itself, e.g. PT1H.")
  String autoConfirmAfter;

  @Option(names = "--concurrency", description = "The plan's own concurrency limit.")
  Integer concurrency;

  @Option(
      names = "--remigrate",
      description = "Order VMs again that were already migrated (default: skip them).")
  Boolean remigrate;

  @Option(
      names = "--admission-policy",
      paramLabel = "POLICY",
      description =
          "vmigrate (default: vCenter's cost model, the bottleneck's work first) or fifo (a"
              + " baseline to compare against: the plan's VMs in order, at most --fifo-throttle"
              + " at once).")
  String admissionPolicy;

  @Option(
      names = "--fifo-throttle",
      paramLabel = "N",
      description = "How many VMs the fifo policy migrates at once, 1 to 1000 (fifo only).")
  Integer fifoThrottle;

  @Override
  @SuppressWarnings("unchecked")
  protected void execute() {
    Map<String, Object> body = start();
    if (file != null) {
      body.putAll(Documents.yamlMap(file));
    }
    put(body, "name", name);
    put(body, "mapping", mapping);
    put(body, "approvalPolicy", approval);
    Map<String, Object> options =
        body.get("options") instanceof Map<?, ?> m
            ? new LinkedHashMap<>((Map<String, Object>) m)
            : new LinkedHashMap<>();
    put(options, "migrationType", migrationType);
    put(options, "failurePolicy", failurePolicy);
    put(options, "verify", verify);
    put(options, "autoConfirmAfter", autoConfirmAfter);
    put(options, "concurrencyLimit", concurrency);
    put(options, "remigrate", remigrate);
    if (admissionPolicy != null) {
      String policy = admissionPolicy.toLowerCase(Locale.ROOT);
      options.put("admissionPolicy", policy);
      if (!policy.equals("fifo") && fifoThrottle == null) {
        // Back to vmigrate's policy on update: the throttle was the fifo policy's alone.
        options.remove("fifoThrottle");
      }
    }
    put(options, "fifoThrottle", fifoThrottle);
    body.put("options", options);
    if (!vms.isEmpty()) {
      List<Map<String, String>> refs = new ArrayList<>();
      for (String vm : vms) {
        refs.add(Map.of("name", vm));
      }
      body.put("vms", refs);
    }
    if (body.get("name") == null || body.get("mapping") == null) {
      throw new CliException(ExitCode.USAGE, "a plan needs --name and --mapping (or a --file)");
    }
    JsonNode v = submit(body);
    if (jsonOutput()) {
      printJson(v);
    } else {
      out()
          .printf(
              "plan %s %s (id %s) with %d VMs%n",
              text(v, "name"), done(), text(v, "id"), v.path("vms").size());
    }
  }

  /** The body before the file and the options: empty for a new plan. */
  protected Map<String, Object> start() {
    return new LinkedHashMap<>();
  }

  protected JsonNode submit(Map<String, Object> body) {
    return api().post(ApiPaths.plans(), body);
  }

  protected String done() {
    return "created";
  }

  private static void put(Map<String, Object> body, String key, Object value) {
    if (value != null) {
      body.put(key, value);
    }
  }
}

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
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vmigrate mapping create}: from options, or from a YAML/JSON file with the API's mapping
 * fields (options given as well override the file's).
 */
@Prototype
@Command(name = "create", description = "Create an infrastructure mapping.")
public class MappingCreateCommand extends ClientCommand {
  @Option(names = "--file", paramLabel = "FILE", description = "YAML or JSON mapping document.")
  Path file;

  @Option(names = "--name", description = "The mapping's name.")
  String name;

  @Option(names = "--source", paramLabel = "VCENTER", description = "Source vCenter id.")
  String source;

  @Option(names = "--destination", paramLabel = "VCENTER", description = "Destination vCenter id.")
  String destination;

  @Option(
      names = "--cluster",
      paramLabel = "SRC=DST",
      description = "Cluster mapping, repeatable; DST may be CLUSTER[/POOL[/FOLDER]].")
  List<String> clusters = new ArrayList<>();

  @Option(names = "--datastore", paramLabel = "SRC=DST", description = "Repeatable.")
  List<String> datastores = new ArrayList<>();

  @Option(names = "--network", paramLabel = "SRC=DST", description = "Repeatable.")
  List<String> networks = new ArrayList<>();

  @Override
  protected void execute() {
    Map<String, Object> body = start();
    if (file != null) {
      body.putAll(Documents.yamlMap(file));
    }
    putIfSet(body, "name", name);
    putIfSet(body, "sourceVcenter", source);
    putIfSet(body, "destinationVcenter", destination);
    if (!clusters.isEmpty()) {
      List<Map<String, String>> list = new ArrayList<>();
      for (String c : clusters) {
        String[] p = Documents.pair("--cluster", c);
        String[] dst = p[1].split("/", 3);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("source", p[0]);
        m.put("destination", dst[0]);
        m.put("resourcePool", dst.length > 1 ? dst[1] : null);
        m.put("folder", dst.length > 2 ? dst[2] : null);
        list.add(m);
      }
      body.put("clusters", list);
    }
    if (!datastores.isEmpty()) {
      body.put("datastores", pairs("--datastore", datastores));
    }
    if (!networks.isEmpty()) {
      body.put("networks", pairs("--network", networks));
    }
    if (body.get("name") == null) {
      throw new CliException(ExitCode.USAGE, "a mapping needs a name (--name or the file's name)");
    }
    JsonNode v = submit(body);
    if (jsonOutput()) {
      printJson(v);
    } else {
      out().println("mapping " + text(v, "name") + " " + done() + " (id " + text(v, "id") + ")");
    }
  }

  /** The body before the file and the options: empty for a new mapping. */
  protected Map<String, Object> start() {
    return new LinkedHashMap<>();
  }

  protected JsonNode submit(Map<String, Object> body) {
    return api().post(ApiPaths.mappings(), body);
  }

  protected String done() {
    return "created";
  }

  private static void putIfSet(Map<String, Object> body, String key, String value) {
    if (value != null) {
      body.put(key, value);
    }
  }

  private static Map<String, String> pairs(String option, List<String> values) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String v : values) {
      String[] p = Documents.pair(option, v);
      m.put(p[0], p[1]);
    }
    return m;
  }
}

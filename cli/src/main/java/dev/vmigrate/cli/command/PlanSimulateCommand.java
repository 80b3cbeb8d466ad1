package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vmigrate.cli.CliException;
import dev.vmigrate.cli.ExitCode;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.cli.output.SimulationView;
import dev.vmigrate.cli.output.TerminalText;
import dev.vmigrate.simulation.SimulationReport;
import dev.vmigrate.simulation.SimulationSettings;
import dev.vmigrate.simulation.TimelineChart;
import io.micronaut.context.annotation.Prototype;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vmigrate plan simulate PLAN}: asks the API to run the request the plan would make on a
 * simulated copy of its vCenter's inventory, as planned and under alternative settings, and prints
 * the predicted makespans, bottlenecks and findings side by side; {@code --chart} writes the
 * timeline as an SVG.
 */
@Prototype
@Command(
    name = "simulate",
    description = {
      "Predict a plan's duration, bottlenecks and failures without migrating anything.",
      "The API reads the source vCenter's inventory once (read-only) and runs the real request"
          + " and migration workflows on a simulated copy of it, with shared host links and"
          + " datastores, on a clock that skips ahead. The first run is the plan as it is; each"
          + " --compare-limit and --compare-fifo value adds a run beside it. Hooks and time"
          + " windows are not simulated."
    })
public class PlanSimulateCommand extends ClientCommand {
  /** How long the API may take to answer: several runs of a large plan take minutes. */
  static final Duration TIMEOUT = Duration.ofMinutes(30);

  @Parameters(index = "0", paramLabel = "PLAN", description = "The plan's id or name.")
  String plan;

  @Option(
      names = "--compare-limit",
      split = ",",
      paramLabel = "N",
      description =
          "Also run with the plan's concurrency limit set to N (0: no plan limit), under"
              + " vmigrate's admission; one run per value, e.g. 16,32.")
  List<Integer> compareLimits = new ArrayList<>();

  @Option(
      names = "--compare-fifo",
      split = ",",
      paramLabel = "N",
      description =
          "Also run with first-in-first-out admission, at most N migrations at once, within"
              + " vCenter's cost limits; one run per value, e.g. 4,8.")
  List<Integer> compareFifo = new ArrayList<>();

  @Option(
      names = "--link-efficiency",
      paramLabel = "F",
      description =
          "Share of a host's vMotion link line rate migrations achieve together, above 0 and at"
              + " most 1 (default: the server's, 0.9).")
  Double linkEfficiency;

  @Option(
      names = "--datastore-mbps",
      paramLabel = "MB/s",
      description =
          "Throughput of each datastore in MB/s (10^6 bytes), shared by every copy reading or"
              + " writing it (default: the server's, 500).")
  Double datastoreMbps;

  @Option(
      names = "--dirty-mbps",
      paramLabel = "MB/s",
      description =
          "How fast a running guest dirties memory during a hot migration, in MB/s (default: the"
              + " server's, 100).")
  Double dirtyMbps;

  @Option(
      names = "--precopy-passes",
      paramLabel = "N",
      description = "At most this many memory pre-copy passes, the first included (default: 10).")
  Integer precopyPasses;

  @Option(
      names = "--switchover-seconds",
      paramLabel = "S",
      description =
          "Pre-copy stops once what is left could be copied within this many seconds (default:"
              + " 1).")
  Double switchoverSeconds;

  @Option(
      names = "--chart",
      paramLabel = "FILE",
      description =
          "Write the timeline chart (SVG: a bar per VM coloured by how it ended, the bottleneck's"
              + " use below, one column per run) to FILE.")
  Path chart;

  @Option(
      names = "--vms",
      description = "Also print each VM's predicted state, start and end in every run.")
  boolean vms;

  @Override
  protected void execute() {
    JsonNode answer = api().post(ApiPaths.planSimulate(plan), body(), TIMEOUT);
    // The chart is read from the answer with its text made visible, as text mode prints it: a
    // name's escape character in an SVG would be invalid XML, and both modes write one chart.
    SimulationReport report =
        chart != null || !jsonOutput() ? report(TerminalText.visibleTree(answer)) : null;
    if (jsonOutput()) {
      printJson(answer);
    } else {
      new SimulationView(report).print(out(), vms);
    }
    if (chart != null) {
      writeChart(report);
    }
  }

  /** The request body: the alternatives to run beside the plan, and the model's overrides. */
  Map<String, Object> body() {
    List<Map<String, Object>> compare = new ArrayList<>();
    for (int limit : compareLimits) {
      if (limit < 0) {
        throw usage("--compare-limit: a plan limit must not be negative, was " + limit);
      }
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("label", limit == 0 ? "no plan limit" : "plan limit " + limit);
      run.put("planLimit", limit);
      run.put("policy", SimulationSettings.VMIGRATE);
      compare.add(run);
    }
    for (int throttle : compareFifo) {
      if (throttle < 1) {
        throw usage("--compare-fifo: the throttle must be at least 1, was " + throttle);
      }
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("label", "fifo " + throttle);
      run.put("policy", SimulationSettings.FIFO);
      run.put("fifoThrottle", throttle);
      compare.add(run);
    }
    Map<String, Object> model = new LinkedHashMap<>();
    if (linkEfficiency != null) {
      if (!(linkEfficiency > 0 && linkEfficiency <= 1)) {
        throw usage("--link-efficiency: must be above 0 and at most 1, was " + linkEfficiency);
      }
      model.put("linkEfficiency", linkEfficiency);
    }
    if (datastoreMbps != null) {
      if (!(datastoreMbps > 0)) {
        throw usage("--datastore-mbps: must be positive, was " + datastoreMbps);
      }
      model.put("datastoreBytesPerSecond", Math.round(datastoreMbps * 1_000_000));
    }
    if (dirtyMbps != null) {
      if (!(dirtyMbps >= 0)) {
        throw usage("--dirty-mbps: must not be negative, was " + dirtyMbps);
      }
      model.put("memoryDirtyBytesPerSecond", Math.round(dirtyMbps * 1_000_000));
    }
    if (precopyPasses != null) {
      if (precopyPasses < 1) {
        throw usage("--precopy-passes: must be at least 1, was " + precopyPasses);
      }
      model.put("maxPrecopyPasses", precopyPasses);
    }
    if (switchoverSeconds != null) {
      if (!(switchoverSeconds >= 0)) {
        throw usage("--switchover-seconds: must not be negative, was " + switchoverSeconds);
      }
      model.put("switchoverTargetSeconds", switchoverSeconds);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("compare", compare);
    if (!model.isEmpty()) {
      body.put("model", model);
    }
    return body;
  }

  private static CliException usage(String message) {
    return new CliException(ExitCode.USAGE, message);
  }

  private SimulationReport report(JsonNode answer) {
    try {
      SimulationReport report =
          json.readerFor(SimulationReport.class)
              .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              .readValue(withEmptyLists(answer));
      if (report == null) {
        throw new CliException(ExitCode.FAILURE, "the API answered no simulation report");
      }
      return report;
    } catch (IOException | RuntimeException e) {
      if (e instanceof CliException cli) {
        throw cli;
      }
      throw new CliException(
          ExitCode.FAILURE,
          "the API's answer is not a simulation report: " + e.getMessage().split("\n")[0],
          e);
    }
  }

  /**
   * The answer with the lists it left out as empty ones: the API leaves empty lists out of its JSON
   * (a run without findings has no "findings"), and the report's records want them.
   */
  private static JsonNode withEmptyLists(JsonNode answer) {
    if (!(answer instanceof ObjectNode root)) {
      return answer;
    }
    ObjectNode copy = root.deepCopy();
    if (copy.path("runs").isMissingNode() || copy.path("runs").isNull()) {
      copy.putArray("runs");
    }
    for (JsonNode run : copy.path("runs")) {
      if (run instanceof ObjectNode r) {
        for (String list : List.of("vms", "bottlenecks", "findings")) {
          if (r.path(list).isMissingNode() || r.path(list).isNull()) {
            r.putArray(list);
          }
        }
      }
    }
    return copy;
  }

  private void writeChart(SimulationReport report) {
    Path file = chart.toAbsolutePath().normalize();
    try {
      Files.writeString(file, TimelineChart.svg(report), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException(ExitCode.FAILURE, "cannot write the chart to " + file + ": " + e);
    }
    // In JSON mode stdout holds the JSON alone.
    (jsonOutput() ? err() : out()).println("Timeline chart written to " + file);
    (jsonOutput() ? err() : out()).flush();
  }
}

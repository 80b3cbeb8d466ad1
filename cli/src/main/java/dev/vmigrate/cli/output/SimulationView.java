package dev.vmigrate.cli.output;

import dev.vmigrate.simulation.BottleneckSpan;
import dev.vmigrate.simulation.Finding;
import dev.vmigrate.simulation.SimulationReport;
import dev.vmigrate.simulation.SimulationRun;
import dev.vmigrate.simulation.TimelineChart;
import dev.vmigrate.simulation.VmTimeline;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A simulation report as text: the runs side by side (makespan, outcome counts, the resource that
 * was the bottleneck the longest, wall time), the findings grouped by kind, a one-line verdict
 * against the first run, and with {@code vms} each VM's predicted run. Names and messages come from
 * the inventory: every one is printed with its control characters visible.
 */
public final class SimulationView {
  /** At most this many findings of one kind are listed; the rest are counted. */
  static final int FINDINGS_PER_KIND = 20;

  private static final List<String> KINDS =
      List.of(Finding.PRECHECK, Finding.CAPACITY, Finding.FAILED, Finding.SKIPPED);

  private final SimulationReport report;

  public SimulationView(SimulationReport report) {
    this.report = report;
  }

  /** The resource that was the bottleneck the longest in a run, and for how many seconds. */
  public record Bottleneck(String resource, long seconds) {}

  /** The run's longest bottleneck, or null when it recorded none. */
  public static Bottleneck longestBottleneck(SimulationRun run) {
    Map<String, Long> seconds = new HashMap<>();
    for (BottleneckSpan s : run.bottlenecks()) {
      seconds.merge(
          String.valueOf(s.resource()), Math.max(0, s.toSecond() - s.fromSecond()), Long::sum);
    }
    return seconds.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .max(
            Map.Entry.<String, Long>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder())))
        .map(e -> new Bottleneck(e.getKey(), e.getValue()))
        .orElse(null);
  }

  public void print(PrintWriter out, boolean vms) {
    List<SimulationRun> runs = report.runs();
    out.println(
        "Plan "
            + v(report.planName())
            + " on vCenter "
            + v(report.vcenterId())
            + ": "
            + report.vms()
            + " VMs, "
            + runs.size()
            + (runs.size() == 1 ? " run" : " runs")
            + " simulated");
    out.println();
    Table table =
        new Table(
            "RUN",
            "MAKESPAN",
            "COMPLETED",
            "FAILED",
            "SKIPPED",
            "LONGEST BOTTLENECK",
            "OF MAKESPAN",
            "WALL TIME");
    for (SimulationRun run : runs) {
      Bottleneck b = longestBottleneck(run);
      table.row(
          label(run),
          TimelineChart.clock(run.makespanSeconds()),
          run.completed(),
          run.failed(),
          run.skipped(),
          b == null ? null : b.resource(),
          b == null || run.makespanSeconds() <= 0
              ? null
              : Math.round(Math.min(1.0, (double) b.seconds() / run.makespanSeconds()) * 100) + "%",
          String.format(Locale.ROOT, "%.1f s", run.wallMillis() / 1000.0));
    }
    table.print(out);
    findings(out);
    if (vms) {
      vms(out);
    }
    out.println();
    out.println(verdict());
    out.flush();
  }

  private static String label(SimulationRun run) {
    return run.settings() == null ? "-" : run.settings().label();
  }

  private static String v(String s) {
    return TerminalText.visible(s);
  }

  /** The findings of every run, each once, grouped by kind; which runs found it, when not all. */
  private void findings(PrintWriter out) {
    List<SimulationRun> runs = report.runs();
    Map<List<String>, Set<String>> foundIn = new LinkedHashMap<>();
    Map<List<String>, Finding> first = new LinkedHashMap<>();
    for (SimulationRun run : runs) {
      for (Finding f : run.findings()) {
        List<String> key =
            java.util.Arrays.asList(f.vmId(), f.name(), f.kind(), f.action(), f.message());
        first.putIfAbsent(key, f);
        foundIn.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(label(run));
      }
    }
    if (first.isEmpty()) {
      out.println();
      out.println("No findings: no VM was skipped, blocked or failed in any run.");
      return;
    }
    List<String> kinds = new ArrayList<>(KINDS);
    first.values().stream().map(Finding::kind).filter(k -> !kinds.contains(k)).forEach(kinds::add);
    for (String kind : kinds) {
      List<List<String>> keys =
          first.entrySet().stream()
              .filter(e -> java.util.Objects.equals(e.getValue().kind(), kind))
              .map(Map.Entry::getKey)
              .toList();
      if (keys.isEmpty()) {
        continue;
      }
      out.println();
      out.println(heading(kind) + " (" + keys.size() + "):");
      Table t =
          runs.size() > 1
              ? new Table("VM", "ACTION", "MESSAGE", "RUNS")
              : new Table("VM", "ACTION", "MESSAGE");
      for (List<String> key : keys.subList(0, Math.min(FINDINGS_PER_KIND, keys.size()))) {
        Finding f = first.get(key);
        String name = f.name() == null ? f.vmId() : f.name();
        if (runs.size() > 1) {
          Set<String> in = foundIn.get(key);
          t.row(
              name,
              f.action(),
              f.message(),
              in.size() == runs.size() ? "all" : String.join(", ", in));
        } else {
          t.row(name, f.action(), f.message());
        }
      }
      t.print(out);
      if (keys.size() > FINDINGS_PER_KIND) {
        out.println("and " + (keys.size() - FINDINGS_PER_KIND) + " more");
      }
    }
  }

  private static String heading(String kind) {
    if (kind == null) {
      return "Other findings";
    }
    return switch (kind) {
      case Finding.PRECHECK -> "Blocked by prechecks";
      case Finding.CAPACITY -> "No destination capacity";
      case Finding.FAILED -> "Failed during the run";
      case Finding.SKIPPED -> "Skipped by approval";
      default -> "Findings of kind " + v(kind);
    };
  }

  /** Each VM's predicted run, one row per VM and one column per run. */
  private void vms(PrintWriter out) {
    List<SimulationRun> runs = report.runs();
    Map<String, String> names = new LinkedHashMap<>();
    List<Map<String, VmTimeline>> byRun = new ArrayList<>();
    for (SimulationRun run : runs) {
      Map<String, VmTimeline> m = new HashMap<>();
      for (VmTimeline vm : run.vms()) {
        String key = vm.vmId() == null ? "name:" + vm.name() : vm.vmId();
        names.putIfAbsent(key, vm.name() == null ? vm.vmId() : vm.name());
        m.put(key, vm);
      }
      byRun.add(m);
    }
    out.println();
    Table t;
    if (runs.size() == 1) {
      t = new Table("VM", "STATE", "START", "END", "MESSAGE");
      for (Map.Entry<String, String> e : names.entrySet()) {
        VmTimeline vm = byRun.get(0).get(e.getKey());
        t.row(
            e.getValue(),
            vm.state(),
            vm.startSecond() < 0 ? null : TimelineChart.clock(vm.startSecond()),
            vm.endSecond() < 0 ? null : TimelineChart.clock(vm.endSecond()),
            vm.message());
      }
    } else {
      String[] headers = new String[runs.size() + 1];
      headers[0] = "VM";
      for (int i = 0; i < runs.size(); i++) {
        headers[i + 1] = v(label(runs.get(i))).toUpperCase(Locale.ROOT);
      }
      t = new Table(headers);
      for (Map.Entry<String, String> e : names.entrySet()) {
        Object[] cells = new Object[runs.size() + 1];
        cells[0] = e.getValue();
        for (int i = 0; i < runs.size(); i++) {
          VmTimeline vm = byRun.get(i).get(e.getKey());
          cells[i + 1] = vm == null ? null : span(vm);
        }
        t.row(cells);
      }
    }
    t.print(out);
  }

  private static String span(VmTimeline vm) {
    if (vm.startSecond() < 0) {
      return vm.state();
    }
    return vm.state()
        + " "
        + TimelineChart.clock(vm.startSecond())
        + "-"
        + (vm.endSecond() < 0 ? "?" : TimelineChart.clock(vm.endSecond()));
  }

  /** One line: each alternative's makespan against the first run's. */
  String verdict() {
    List<SimulationRun> runs = report.runs();
    if (runs.isEmpty()) {
      return "No runs.";
    }
    SimulationRun base = runs.get(0);
    String baseline = v(label(base)) + " (" + TimelineChart.clock(base.makespanSeconds()) + ")";
    if (runs.size() == 1) {
      return "Predicted makespan "
          + baseline
          + "; compare alternatives with --compare-limit or --compare-fifo.";
    }
    StringBuilder sb = new StringBuilder("Against " + baseline + ": ");
    for (int i = 1; i < runs.size(); i++) {
      SimulationRun run = runs.get(i);
      sb.append(i == 1 ? "" : "; ")
          .append(v(label(run)))
          .append(": ")
          .append(TimelineChart.clock(run.makespanSeconds()))
          .append(" (")
          .append(change(base.makespanSeconds(), run.makespanSeconds()))
          .append(')');
      if (run.failed() != base.failed()) {
        sb.append(", ").append(run.failed()).append(" failed");
      }
    }
    return sb.toString();
  }

  private static String change(long base, long other) {
    if (base <= 0) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%+d%%", Math.round((other - base) * 100.0 / base));
  }
}

package dev.vmigrate.simulation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A simulation report drawn as one self-contained SVG: the runs side by side on the same time
 * scale, one row per VM (the same VM on the same row in every run, in ledger order), each VM's bar
 * from its start to its end coloured by how it ended, and below the bars the bottleneck resource's
 * use over time, coloured per resource. Every bar and bottleneck stretch carries a tooltip with the
 * details; rows shrink so that a 1,000-VM plan stays within about 1,100 pixels of height.
 *
 * <p>Every text from the report (plan, labels, VM names, messages, resource names) is escaped, and
 * characters XML cannot hold at all are replaced, so the document is well-formed whatever the
 * inventory holds.
 */
public final class TimelineChart {

  private static final Map<String, String> STATE_COLOURS = new LinkedHashMap<>();

  static {
    STATE_COLOURS.put("COMPLETED", "#2e7d32");
    STATE_COLOURS.put("FAILED", "#c62828");
    STATE_COLOURS.put("ROLLED_BACK", "#ef6c00");
    STATE_COLOURS.put("SKIPPED", "#9e9e9e");
  }

  /** Any other state a report may hold (one the chart does not know). */
  private static final String OTHER_STATE_COLOUR = "#1565c0";

  /** Bottleneck resources in the order of how long they were the bottleneck, in all runs. */
  private static final String[] RESOURCE_COLOURS = {
    "#1f77b4", "#9467bd", "#17becf", "#bcbd22", "#8c564b", "#e377c2", "#393b79", "#ff7f0e"
  };

  private static final String OTHER_RESOURCE_COLOUR = "#c7c7c7";
  private static final String OTHER_RESOURCES = "other resources";

  private static final double MARGIN = 16;
  private static final double GAP = 28;
  private static final double TOP = 64;
  private static final double HEADING = 40;
  private static final double BARS_MAX_HEIGHT = 800;
  private static final double ROW_MAX_HEIGHT = 14;
  private static final double PANEL_GAP = 10;
  private static final double PANEL_HEIGHT = 80;
  private static final double AXIS_HEIGHT = 30;
  private static final double LEGEND_LINE = 18;
  private static final int NAME_MAX_CHARS = 32;
  private static final int MESSAGE_MAX_CHARS = 200;

  private TimelineChart() {}

  /** The colour a VM's bar has for its final state. */
  public static String colour(String state) {
    return STATE_COLOURS.getOrDefault(state, OTHER_STATE_COLOUR);
  }

  /** Seconds as h:mm:ss, e.g. 0:41:10 or 12:03:00. */
  public static String clock(long seconds) {
    long s = Math.max(0, seconds);
    return String.format(java.util.Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
  }

  /** The report as an SVG document. */
  public static String svg(SimulationReport report) {
    return new Drawing(report).draw();
  }

  /** The tick interval for an axis up to {@code seconds}, at most about {@code ticks} ticks. */
  static long tickStep(long seconds, int ticks) {
    long[] steps = {
      1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400
    };
    for (long step : steps) {
      if ((seconds + step - 1) / step <= ticks) {
        return step;
      }
    }
    long day = 86400;
    long days = (seconds + day * ticks - 1) / (day * ticks);
    return day * Math.max(1, days);
  }

  /** A tick's label: 0, 30s, 45m, 1h, 1h30m, 2d. */
  static String tickLabel(long second) {
    if (second == 0) {
      return "0";
    }
    long d = second / 86400;
    long h = (second % 86400) / 3600;
    long m = (second % 3600) / 60;
    long s = second % 60;
    StringBuilder sb = new StringBuilder();
    if (d > 0) {
      sb.append(d).append('d');
    }
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (m > 0) {
      sb.append(m).append('m');
    }
    if (s > 0) {
      sb.append(s).append('s');
    }
    return sb.toString();
  }

  /**
   * Text for XML content and attribute values: markup characters escaped, and characters XML 1.0
   * cannot hold at all (most controls, lone surrogates, U+FFFE/U+FFFF) replaced by U+FFFD.
   */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
        continue;
      }
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        case '\t' -> sb.append("&#9;");
        case '\n' -> sb.append("&#10;");
        case '\r' -> sb.append("&#13;");
        default -> {
          boolean allowed = c >= 0x20 && !Character.isSurrogate(c) && c != 0xfffe && c != 0xffff;
          sb.append(allowed ? c : '\ufffd');
        }
      }
    }
    return sb.toString();
  }

  private static String shorten(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    int cut = max - 1;
    if (Character.isHighSurrogate(s.charAt(cut - 1))) {
      cut--;
    }
    return s.substring(0, cut) + "\u2026";
  }

  /** A coordinate with at most one decimal and no trailing zero. */
  private static String num(double v) {
    long tenths = Math.round(v * 10);
    if (tenths % 10 == 0) {
      return Long.toString(tenths / 10);
    }
    return (tenths < 0 && tenths > -10 ? "-" : "") + tenths / 10 + "." + Math.abs(tenths % 10);
  }

  /** One chart being drawn: the layout computed once from the report, then the parts in order. */
  private static final class Drawing {
    private final SimulationReport report;
    private final List<SimulationRun> runs;
    private final Map<String, Integer> rows = new LinkedHashMap<>();
    private final List<String> rowNames = new ArrayList<>();
    private final Map<String, String> resourceColours = new LinkedHashMap<>();
    private final boolean otherResources;
    private final long domain;
    private final long step;
    private final double rowHeight;
    private final boolean showNames;
    private final double gutter;
    private final double plotWidth;
    private final double barsTop;
    private final double panelTop;
    private final double axisTop;
    private final double width;
    private final StringBuilder out = new StringBuilder(64 * 1024);

    Drawing(SimulationReport report) {
      this.report = report;
      this.runs = report.runs();
      long longest = 0;
      Map<String, Long> resourceSeconds = new HashMap<>();
      for (SimulationRun run : runs) {
        longest = Math.max(longest, run.makespanSeconds());
        for (VmTimeline vm : run.vms()) {
          longest = Math.max(longest, vm.endSecond());
          String key = key(vm);
          if (!rows.containsKey(key)) {
            rows.put(key, rows.size());
            rowNames.add(vm.name() == null ? vm.vmId() : vm.name());
          }
        }
        for (BottleneckSpan span : run.bottlenecks()) {
          longest = Math.max(longest, span.toSecond());
          resourceSeconds.merge(
              String.valueOf(span.resource()),
              Math.max(0, span.toSecond() - span.fromSecond()),
              Long::sum);
        }
      }
      List<Map.Entry<String, Long>> byTime = new ArrayList<>(resourceSeconds.entrySet());
      byTime.sort(
          Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
              .thenComparing(Map.Entry.comparingByKey()));
      for (int i = 0; i < byTime.size() && i < RESOURCE_COLOURS.length; i++) {
        resourceColours.put(byTime.get(i).getKey(), RESOURCE_COLOURS[i]);
      }
      otherResources = byTime.size() > RESOURCE_COLOURS.length;

      int columns = Math.max(1, runs.size());
      plotWidth = Math.max(300, Math.min(640, Math.floor(1600.0 / columns) - GAP));
      step = tickStep(Math.max(1, longest), (int) Math.max(2, plotWidth / 80));
      domain = Math.max(step, (longest + step - 1) / step * step);

      int rowCount = Math.max(1, rows.size());
      rowHeight = Math.min(ROW_MAX_HEIGHT, BARS_MAX_HEIGHT / rowCount);
      showNames = rowHeight >= 10;
      int longestName =
          rowNames.stream().mapToInt(n -> shorten(n, NAME_MAX_CHARS).length()).max().orElse(0);
      gutter = showNames ? Math.max(44, Math.min(200, longestName * 6.2 + 10)) : 44;
      barsTop = TOP + HEADING;
      panelTop = barsTop + rowCount * rowHeight + PANEL_GAP;
      axisTop = panelTop + PANEL_HEIGHT;
      width = 2 * MARGIN + gutter + columns * plotWidth + (columns - 1) * GAP;
    }

    private static String key(VmTimeline vm) {
      return vm.vmId() != null ? vm.vmId() : "name:" + vm.name();
    }

    private double columnX(int column) {
      return MARGIN + gutter + column * (plotWidth + GAP);
    }

    private double x(int column, long second) {
      return columnX(column) + Math.max(0, Math.min(domain, second)) * plotWidth / domain;
    }

    String draw() {
      StringBuilder legend = new StringBuilder();
      double legendBottom = resourceLegend(legend, axisTop + AXIS_HEIGHT + 6);
      double height = Math.ceil(legendBottom + MARGIN);
      out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
          .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
          .append(num(Math.ceil(width)))
          .append("\" height=\"")
          .append(num(height))
          .append("\" viewBox=\"0 0 ")
          .append(num(Math.ceil(width)))
          .append(' ')
          .append(num(height))
          .append("\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#212121\">\n");
      out.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
      title();
      stateLegend();
      if (showNames) {
        names();
      }
      if (runs.isEmpty()) {
        out.append("<text x=\"")
            .append(num(columnX(0)))
            .append("\" y=\"")
            .append(num(barsTop + 12))
            .append("\">no runs</text>\n");
      }
      for (int i = 0; i < runs.size(); i++) {
        run(i, runs.get(i));
      }
      out.append(legend);
      out.append("</svg>\n");
      return out.toString();
    }

    private void title() {
      out.append("<text x=\"")
          .append(num(MARGIN))
          .append("\" y=\"24\" font-size=\"15\" font-weight=\"bold\">")
          .append(escape("Simulated plan " + report.planName()))
          .append("</text>\n<text x=\"")
          .append(num(MARGIN))
          .append("\" y=\"40\" fill=\"#616161\">")
          .append(
              escape(
                  "vCenter "
                      + report.vcenterId()
                      + ", "
                      + report.vms()
                      + " VMs; one row per VM in ledger order; time from the request's start"))
          .append("</text>\n");
    }

    private void stateLegend() {
      double x = MARGIN;
      out.append("<g class=\"state-legend\">");
      for (Map.Entry<String, String> e : STATE_COLOURS.entrySet()) {
        String label =
            switch (e.getKey()) {
              case "COMPLETED" -> "completed";
              case "FAILED" -> "failed";
              case "ROLLED_BACK" -> "rolled back";
              default -> "skipped or never started";
            };
        out.append("<rect x=\"")
            .append(num(x))
            .append("\" y=\"48\" width=\"10\" height=\"10\" fill=\"")
            .append(e.getValue())
            .append("\"/><text x=\"")
            .append(num(x + 14))
            .append("\" y=\"57\">")
            .append(label)
            .append("</text>");
        x += 14 + label.length() * 6.2 + 16;
      }
      out.append("</g>\n");
    }

    private void names() {
      out.append("<g class=\"names\" text-anchor=\"end\" font-size=\"")
          .append(num(Math.min(11, rowHeight - 2)))
          .append("\">");
      for (int r = 0; r < rowNames.size(); r++) {
        out.append("<text x=\"")
            .append(num(MARGIN + gutter - 6))
            .append("\" y=\"")
            .append(num(barsTop + r * rowHeight + rowHeight - 3))
            .append("\">")
            .append(escape(shorten(rowNames.get(r), NAME_MAX_CHARS)))
            .append("</text>");
      }
      out.append("</g>\n");
    }

    private void run(int column, SimulationRun run) {
      double x0 = columnX(column);
      String label = run.settings() == null ? "run " + (column + 1) : run.settings().label();
      out.append("<g class=\"run\" data-label=\"").append(escape(label)).append("\">\n");
      out.append("<text x=\"")
          .append(num(x0))
          .append("\" y=\"")
          .append(num(TOP + 14))
          .append("\" font-size=\"13\" font-weight=\"bold\">")
          .append(escape(shorten(label, 60)))
          .append("</text><text x=\"")
          .append(num(x0))
          .append("\" y=\"")
          .append(num(TOP + 30))
          .append("\">")
          .append(
              escape(
                  "makespan "
                      + clock(run.makespanSeconds())
                      + " \u00b7 "
                      + run.completed()
                      + " completed \u00b7 "
                      + run.failed()
                      + " failed \u00b7 "
                      + run.skipped()
                      + " skipped"))
          .append("</text>\n");
      grid(column);
      bars(column, run);
      bottlenecks(column, run);
      axis(column);
      out.append("</g>\n");
    }

    private void grid(int column) {
      out.append("<g class=\"grid\" stroke=\"#eeeeee\">");
      for (long t = step; t < domain; t += step) {
        out.append("<line x1=\"")
            .append(num(x(column, t)))
            .append("\" x2=\"")
            .append(num(x(column, t)))
            .append("\" y1=\"")
            .append(num(barsTop))
            .append("\" y2=\"")
            .append(num(axisTop))
            .append("\"/>");
      }
      out.append("</g>\n");
    }

    private void bars(int column, SimulationRun run) {
      if (run.vms().isEmpty()) {
        out.append("<text x=\"")
            .append(num(columnX(column) + 4))
            .append("\" y=\"")
            .append(num(barsTop + 11))
            .append("\" fill=\"#616161\">no VMs</text>\n");
      }
      double barHeight = rowHeight >= 4 ? rowHeight - 2 : rowHeight;
      double inset = (rowHeight - barHeight) / 2;
      Map<String, StringBuilder> byState = new LinkedHashMap<>();
      for (VmTimeline vm : run.vms()) {
        double y = barsTop + rows.get(key(vm)) * rowHeight + inset;
        double from;
        double to;
        if (vm.startSecond() < 0) {
          // Never started: a short marker at the start of the row.
          from = columnX(column);
          to = from + 3;
        } else {
          long end = vm.endSecond() < 0 ? run.makespanSeconds() : vm.endSecond();
          from = x(column, vm.startSecond());
          to = Math.max(from + 1, x(column, Math.max(end, vm.startSecond())));
        }
        String state = vm.state() == null ? "UNKNOWN" : vm.state();
        byState
            .computeIfAbsent(state, s -> new StringBuilder())
            .append("<rect x=\"")
            .append(num(from))
            .append("\" y=\"")
            .append(num(y))
            .append("\" width=\"")
            .append(num(to - from))
            .append("\" height=\"")
            .append(num(barHeight))
            .append("\"><title>")
            .append(escape(tooltip(vm, state)))
            .append("</title></rect>");
      }
      for (Map.Entry<String, StringBuilder> e : byState.entrySet()) {
        out.append("<g class=\"bars\" data-state=\"")
            .append(escape(e.getKey()))
            .append("\" fill=\"")
            .append(colour(e.getKey()))
            .append("\">")
            .append(e.getValue())
            .append("</g>\n");
      }
    }

    private static String tooltip(VmTimeline vm, String state) {
      StringBuilder t = new StringBuilder();
      t.append(vm.name() == null ? vm.vmId() : vm.name()).append(": ").append(state);
      if (vm.startSecond() >= 0) {
        t.append(", ").append(clock(vm.startSecond()));
        if (vm.endSecond() >= 0) {
          t.append(" to ").append(clock(vm.endSecond()));
        }
      } else {
        t.append(", never started");
      }
      if (vm.message() != null && !vm.message().isBlank() && !"COMPLETED".equals(state)) {
        t.append(": ").append(shorten(vm.message(), MESSAGE_MAX_CHARS));
      }
      return t.toString();
    }

    private String resourceColour(String resource) {
      return resourceColours.getOrDefault(resource, OTHER_RESOURCE_COLOUR);
    }

    /** The resource's name in the legend: its own when it has a colour of its own. */
    private String legendName(BottleneckSpan span) {
      String resource = String.valueOf(span.resource());
      return resourceColours.containsKey(resource) ? resource : OTHER_RESOURCES;
    }

    private void bottlenecks(int column, SimulationRun run) {
      double x0 = columnX(column);
      double base = panelTop + PANEL_HEIGHT;
      out.append("<g class=\"bottleneck\">");
      out.append("<rect x=\"")
          .append(num(x0))
          .append("\" y=\"")
          .append(num(panelTop))
          .append("\" width=\"")
          .append(num(plotWidth))
          .append("\" height=\"")
          .append(num(PANEL_HEIGHT))
          .append("\" fill=\"#fafafa\" stroke=\"#e0e0e0\"/>");
      if (column == 0) {
        double lx = MARGIN + gutter - 6;
        out.append("<text x=\"")
            .append(num(lx))
            .append("\" y=\"")
            .append(num(panelTop + 9))
            .append("\" text-anchor=\"end\">100%</text><text x=\"")
            .append(num(lx))
            .append("\" y=\"")
            .append(num(base))
            .append("\" text-anchor=\"end\">0</text><text x=\"")
            .append(num(lx))
            .append("\" y=\"")
            .append(num(panelTop + PANEL_HEIGHT / 2 + 4))
            .append("\" text-anchor=\"end\" fill=\"#616161\">use</text>");
      }
      // One step per pixel column at most: the bottleneck there is the resource that was it the
      // longest within the column, its height the mean use over the column. Neighbouring columns
      // on the same resource make one area with one tooltip.
      Bucket[] buckets = buckets(run.bottlenecks());
      int b = 0;
      while (b < buckets.length) {
        if (buckets[b] == null) {
          b++;
          continue;
        }
        String named = buckets[b].resource();
        int first = b;
        double peak = 0;
        StringBuilder d = new StringBuilder();
        d.append('M').append(num(columnX(column) + first)).append(' ').append(num(base));
        while (b < buckets.length && buckets[b] != null && buckets[b].resource().equals(named)) {
          peak = Math.max(peak, buckets[b].peak());
          d.append('V')
              .append(num(base - buckets[b].use() * PANEL_HEIGHT))
              .append('H')
              .append(num(columnX(column) + Math.min(plotWidth, b + 1)));
          b++;
        }
        d.append('V').append(num(base)).append('Z');
        out.append("<path fill=\"")
            .append(named.equals(OTHER_RESOURCES) ? OTHER_RESOURCE_COLOUR : resourceColour(named))
            .append("\" d=\"")
            .append(d)
            .append("\"><title>")
            .append(
                escape(
                    named
                        + ": bottleneck "
                        + clock(Math.round(first * secondsPerPixel()))
                        + " to "
                        + clock(Math.round(Math.min(domain, b * secondsPerPixel())))
                        + ", up to "
                        + Math.round(peak * 100)
                        + "% used"))
            .append("</title></path>");
      }
      out.append("</g>\n");
    }

    private double secondsPerPixel() {
      return domain / plotWidth;
    }

    /** The bottleneck in one pixel column: its resource (legend name), mean use and peak use. */
    private record Bucket(String resource, double use, double peak) {}

    private Bucket[] buckets(List<BottleneckSpan> spans) {
      int n = (int) Math.ceil(plotWidth);
      double width = secondsPerPixel();
      List<Map<String, Double>> time = new ArrayList<>(n);
      double[] used = new double[n];
      double[] peak = new double[n];
      for (int b = 0; b < n; b++) {
        time.add(null);
      }
      for (BottleneckSpan s : spans) {
        double from = Math.max(0, s.fromSecond());
        double to = Math.min(domain, s.toSecond());
        if (to <= from) {
          continue;
        }
        double u = Math.max(0, Math.min(1, s.utilisation()));
        String named = legendName(s);
        int last = Math.min(n - 1, (int) Math.ceil(to / width) - 1);
        for (int b = Math.max(0, (int) (from / width)); b <= last; b++) {
          double overlap = Math.min(to, (b + 1) * width) - Math.max(from, b * width);
          if (overlap <= 0) {
            continue;
          }
          if (time.get(b) == null) {
            time.set(b, new HashMap<>(4));
          }
          time.get(b).merge(named, overlap, Double::sum);
          used[b] += u * overlap;
          peak[b] = Math.max(peak[b], u);
        }
      }
      Bucket[] out = new Bucket[n];
      for (int b = 0; b < n; b++) {
        if (time.get(b) == null) {
          continue;
        }
        String longest =
            time.get(b).entrySet().stream()
                .max(
                    Map.Entry.<String, Double>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .orElseThrow()
                .getKey();
        out[b] = new Bucket(longest, Math.min(1, used[b] / width), peak[b]);
      }
      return out;
    }

    private void axis(int column) {
      double x0 = columnX(column);
      out.append("<g class=\"axis\" data-domain=\"")
          .append(domain)
          .append("\"><line x1=\"")
          .append(num(x0))
          .append("\" x2=\"")
          .append(num(x0 + plotWidth))
          .append("\" y1=\"")
          .append(num(axisTop))
          .append("\" y2=\"")
          .append(num(axisTop))
          .append("\" stroke=\"#424242\"/>");
      for (long t = 0; t <= domain; t += step) {
        double x = x(column, t);
        out.append("<line x1=\"")
            .append(num(x))
            .append("\" x2=\"")
            .append(num(x))
            .append("\" y1=\"")
            .append(num(axisTop))
            .append("\" y2=\"")
            .append(num(axisTop + 4))
            .append("\" stroke=\"#424242\"/><text class=\"tick\" data-second=\"")
            .append(t)
            .append("\" x=\"")
            .append(num(x))
            .append("\" y=\"")
            .append(num(axisTop + 16))
            .append("\" text-anchor=\"")
            .append(t == 0 ? "start" : t == domain ? "end" : "middle")
            .append("\">")
            .append(tickLabel(t))
            .append("</text>");
      }
      out.append("</g>\n");
    }

    /** Writes the bottleneck colours' legend into {@code sb}; answers its bottom edge. */
    private double resourceLegend(StringBuilder sb, double top) {
      if (resourceColours.isEmpty()) {
        return top;
      }
      List<Map.Entry<String, String>> items = new ArrayList<>();
      resourceColours.forEach((r, c) -> items.add(Map.entry(r, c)));
      if (otherResources) {
        items.add(Map.entry(OTHER_RESOURCES, OTHER_RESOURCE_COLOUR));
      }
      sb.append("<g class=\"resource-legend\"><text x=\"")
          .append(num(MARGIN))
          .append("\" y=\"")
          .append(num(top + 10))
          .append("\">bottleneck:</text>");
      double x = MARGIN + 74;
      double y = top;
      for (Map.Entry<String, String> item : items) {
        String name = shorten(item.getKey(), 48);
        double w = 14 + name.length() * 6.2 + 16;
        if (x + w > width - MARGIN && x > MARGIN + 74) {
          x = MARGIN + 74;
          y += LEGEND_LINE;
        }
        sb.append("<rect x=\"")
            .append(num(x))
            .append("\" y=\"")
            .append(num(y + 1))
            .append("\" width=\"10\" height=\"10\" fill=\"")
            .append(item.getValue())
            .append("\"/><text x=\"")
            .append(num(x + 14))
            .append("\" y=\"")
            .append(num(y + 10))
            .append("\">")
            .append(escape(name))
            .append("</text>");
        x += w;
      }
      sb.append("</g>\n");
      return y + LEGEND_LINE;
    }
  }
}

package dev.vmigrate.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class TimelineChartTest {

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(false);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static NodeList nodes(Object context, String xpath) throws Exception {
    return (NodeList)
        XPathFactory.newInstance().newXPath().evaluate(xpath, context, XPathConstants.NODESET);
  }

  private static double attr(Element e, String name) {
    return Double.parseDouble(e.getAttribute(name));
  }

  private static SimulationRun run(
      String label, long makespan, List<VmTimeline> vms, List<BottleneckSpan> spans) {
    int completed = (int) vms.stream().filter(v -> v.state().equals("COMPLETED")).count();
    int skipped = (int) vms.stream().filter(v -> v.state().equals("SKIPPED")).count();
    return new SimulationRun(
        new SimulationSettings(label, 0, SimulationSettings.VMIGRATE, 0),
        makespan,
        completed,
        vms.size() - completed - skipped,
        skipped,
        vms,
        spans,
        List.of(),
        12);
  }

  private static SimulationReport sample() {
    List<VmTimeline> planned =
        List.of(
            new VmTimeline("vm-1", "web01", "COMPLETED", 0, 1200, null),
            new VmTimeline("vm-2", "web02", "FAILED", 60, 900, "CheckCompatibility: no host"),
            new VmTimeline("vm-3", "db01", "ROLLED_BACK", 300, 2000, "rolled back"),
            new VmTimeline("vm-4", "old01", "SKIPPED", -1, -1, "powered off template"));
    List<VmTimeline> limited =
        List.of(
            new VmTimeline("vm-1", "web01", "COMPLETED", 0, 1000, null),
            new VmTimeline("vm-2", "web02", "COMPLETED", 0, 1500, null),
            new VmTimeline("vm-3", "db01", "COMPLETED", 1000, 4930, null),
            new VmTimeline("vm-4", "old01", "SKIPPED", -1, -1, null));
    List<BottleneckSpan> spans =
        List.of(
            new BottleneckSpan(0, 600, "link:esx-01", 0.9, 2),
            new BottleneckSpan(600, 1200, "link:esx-01", 0.5, 1),
            new BottleneckSpan(1200, 2000, "datastore:ds1", 1.0, 3));
    return new SimulationReport(
        "wave-1",
        "vc1",
        4,
        List.of(
            run("as planned", 2000, planned, spans),
            run(
                "plan limit 2",
                4930,
                limited,
                List.of(new BottleneckSpan(0, 4930, "datastore:ds1", 0.7, 2)))));
  }

  @Test
  void eachRunHasOneBarPerVmUnderItsLabel() throws Exception {
    SimulationReport report = sample();
    Document doc = parse(TimelineChart.svg(report));
    NodeList runs = nodes(doc, "/svg/g[@class='run']");
    assertEquals(2, runs.getLength());
    for (int i = 0; i < runs.getLength(); i++) {
      Element run = (Element) runs.item(i);
      assertEquals(report.runs().get(i).settings().label(), run.getAttribute("data-label"));
      assertEquals(4, nodes(run, "g[@class='bars']/rect").getLength());
      assertTrue(
          run.getTextContent()
              .contains("makespan " + TimelineChart.clock(report.runs().get(i).makespanSeconds())));
    }
    // Few VMs: each row is named once, left of the first run.
    List<String> names = new ArrayList<>();
    NodeList texts = nodes(doc, "/svg/g[@class='names']/text");
    for (int i = 0; i < texts.getLength(); i++) {
      names.add(texts.item(i).getTextContent());
    }
    assertEquals(List.of("web01", "web02", "db01", "old01"), names);
  }

  @Test
  void barsAreColouredByStateAndPlacedOnTheSameScale() throws Exception {
    Document doc = parse(TimelineChart.svg(sample()));
    Map<String, String> expected =
        Map.of(
            "COMPLETED", "#2e7d32",
            "FAILED", "#c62828",
            "ROLLED_BACK", "#ef6c00",
            "SKIPPED", "#9e9e9e");
    NodeList groups = nodes(doc, "//g[@class='bars']");
    Map<String, Integer> perState = new HashMap<>();
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      String state = g.getAttribute("data-state");
      assertEquals(expected.get(state), g.getAttribute("fill"), state);
      perState.merge(state, nodes(g, "rect").getLength(), Integer::sum);
    }
    assertEquals(Map.of("COMPLETED", 4, "FAILED", 1, "ROLLED_BACK", 1, "SKIPPED", 2), perState);
    // The same scale in both runs: web01's bar ends at 1200 s and 1000 s of a 5400 s axis.
    Element axis0 = (Element) nodes(doc, "/svg/g[@class='run'][1]/g[@class='axis']/line").item(0);
    double left = attr(axis0, "x1");
    double width = attr(axis0, "x2") - left;
    Element web01 =
        (Element) nodes(doc, "/svg/g[@class='run'][1]//g[@data-state='COMPLETED']/rect").item(0);
    assertEquals(1200 / 5400.0 * width, attr(web01, "width"), 0.2);
    assertEquals(left, attr(web01, "x"), 0.1);
    Element web01b =
        (Element) nodes(doc, "/svg/g[@class='run'][2]//g[@data-state='COMPLETED']/rect").item(0);
    assertEquals(1000 / 5400.0 * width, attr(web01b, "width"), 0.2);
    assertEquals(attr(web01, "y"), attr(web01b, "y"), "the same VM on the same row");
    // A skipped VM that never started is a short marker at the start of its row.
    Element skipped =
        (Element) nodes(doc, "/svg/g[@class='run'][1]//g[@data-state='SKIPPED']/rect").item(0);
    assertEquals(left, attr(skipped, "x"), 0.1);
    assertEquals(3, attr(skipped, "width"), 0.1);
    assertTrue(skipped.getTextContent().contains("old01: SKIPPED, never started"));
  }

  @Test
  void theAxisCoversTheLongestMakespanWithReadableTicks() throws Exception {
    Document doc = parse(TimelineChart.svg(sample()));
    for (int r = 1; r <= 2; r++) {
      Element axis =
          (Element) nodes(doc, "/svg/g[@class='run'][" + r + "]/g[@class='axis']").item(0);
      assertEquals("5400", axis.getAttribute("data-domain"));
      NodeList ticks = nodes(axis, "text[@class='tick']");
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < ticks.getLength(); i++) {
        labels.add(ticks.item(i).getTextContent());
      }
      assertEquals(List.of("0", "15m", "30m", "45m", "1h", "1h15m", "1h30m"), labels);
      Element line = (Element) nodes(axis, "line").item(0);
      double right = attr(line, "x2");
      NodeList bars = nodes(doc, "/svg/g[@class='run'][" + r + "]/g[@class='bars']/rect");
      for (int i = 0; i < bars.getLength(); i++) {
        Element b = (Element) bars.item(i);
        assertTrue(attr(b, "x") + attr(b, "width") <= right + 0.1);
      }
    }
    assertEquals(60, TimelineChart.tickStep(400, 7));
    assertEquals(3600, TimelineChart.tickStep(6 * 3600 + 1, 7));
    assertEquals(43200, TimelineChart.tickStep(3 * 86400, 7));
    assertEquals(2 * 86400, TimelineChart.tickStep(10 * 86400, 7));
    assertEquals("1d2h", TimelineChart.tickLabel(93600));
    assertEquals("0:41:10", TimelineChart.clock(2470));
    assertEquals("12:03:00", TimelineChart.clock(43380));
  }

  @Test
  void userTextIsEscapedAndCharactersXmlCannotHoldAreReplaced() throws Exception {
    String hostile = "<script>alert(\"x\")</script> & 'q' \u0001\u001b[2J \ud800 \ud83d\ude00";
    SimulationReport report =
        new SimulationReport(
            "plan <&>",
            "vc\"1",
            1,
            List.of(
                run(
                    "limit \"8\" <b>",
                    100,
                    List.of(
                        new VmTimeline("vm-1", hostile, "FAILED", 0, 100, "bad </title> & \"so\"")),
                    List.of(new BottleneckSpan(0, 100, "datastore:<ds>&1", 1, 1)))));
    String svg = TimelineChart.svg(report);
    assertFalse(svg.contains("<script>"));
    assertFalse(svg.contains("<b>"));
    Document doc = parse(svg);
    Element run = (Element) nodes(doc, "/svg/g[@class='run']").item(0);
    assertEquals("limit \"8\" <b>", run.getAttribute("data-label"));
    String title = nodes(run, "g[@class='bars']/rect/title").item(0).getTextContent();
    assertEquals(
        "<script>alert(\"x\")</script> & 'q' \ufffd\ufffd[2J \ufffd \ud83d\ude00: FAILED, 0:00:00 to"
            + " 0:01:40: bad </title> & \"so\"",
        title);
    // The row's name is shortened to 32 characters.
    assertEquals(
        "<script>alert(\"x\")</script> & '\u2026",
        nodes(doc, "/svg/g[@class='names']/text").item(0).getTextContent());
    assertTrue(doc.getDocumentElement().getTextContent().contains("Simulated plan plan <&>"));
    assertTrue(doc.getDocumentElement().getTextContent().contains("datastore:<ds>&1"));
  }

  @Test
  void anEmptyRunDrawsItsAxisAndSaysSo() throws Exception {
    SimulationReport report =
        new SimulationReport(
            "empty", "vc1", 0, List.of(run("as planned", 0, List.of(), List.of())));
    Document doc = parse(TimelineChart.svg(report));
    Element run = (Element) nodes(doc, "/svg/g[@class='run']").item(0);
    assertEquals(0, nodes(run, "g[@class='bars']/rect").getLength());
    assertTrue(run.getTextContent().contains("no VMs"));
    assertTrue(run.getTextContent().contains("makespan 0:00:00"));
    assertTrue(
        Long.parseLong(
                ((Element) nodes(run, "g[@class='axis']").item(0)).getAttribute("data-domain"))
            > 0);

    // An empty run beside a full one keeps the other's bars and its own "no VMs".
    SimulationReport mixed =
        new SimulationReport(
            "mixed",
            "vc1",
            4,
            List.of(sample().runs().get(0), run("fifo 1", 0, List.of(), List.of())));
    Document both = parse(TimelineChart.svg(mixed));
    assertEquals(4, nodes(both, "/svg/g[@class='run'][1]/g[@class='bars']/rect").getLength());
    assertEquals(0, nodes(both, "/svg/g[@class='run'][2]/g[@class='bars']/rect").getLength());
    assertTrue(nodes(both, "/svg/g[@class='run'][2]").item(0).getTextContent().contains("no VMs"));

    Document none = parse(TimelineChart.svg(new SimulationReport("none", "vc1", 0, List.of())));
    assertTrue(none.getDocumentElement().getTextContent().contains("no runs"));
  }

  @Test
  void aThousandVmPlanStaysSmallAndReadable() throws Exception {
    Random random = new Random(14);
    List<SimulationRun> runs = new ArrayList<>();
    String[] states = {"COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "FAILED", "ROLLED_BACK"};
    for (String label : List.of("as planned", "plan limit 32", "fifo 8")) {
      List<VmTimeline> vms = new ArrayList<>();
      long makespan = 0;
      for (int i = 0; i < 1000; i++) {
        if (i % 50 == 49) {
          vms.add(new VmTimeline("vm-" + i, "srv-" + i, "SKIPPED", -1, -1, "skipped: template"));
          continue;
        }
        long start = random.nextInt(20_000);
        long end = start + 60 + random.nextInt(3_000);
        makespan = Math.max(makespan, end);
        String state = states[random.nextInt(states.length)];
        vms.add(
            new VmTimeline(
                "vm-" + i,
                "srv-" + String.format("%04d", i),
                state,
                start,
                end,
                state.equals("COMPLETED")
                    ? null
                    : "CheckCompatibility: the destination host has no network 'prod-vlan-120'"));
      }
      // A bottleneck change at every transfer's start and end, across 40 hosts and 12 datastores.
      List<BottleneckSpan> spans = new ArrayList<>();
      long t = 0;
      while (t < makespan) {
        long next = Math.min(makespan, t + 1 + random.nextInt(20));
        String resource =
            random.nextBoolean()
                ? "link:esx-" + random.nextInt(40) + ".example.com"
                : "datastore:ds-" + random.nextInt(12);
        spans.add(
            new BottleneckSpan(t, next, resource, random.nextDouble(), 1 + random.nextInt(8)));
        t = next;
      }
      runs.add(run(label, makespan, vms, spans));
    }
    SimulationReport report = new SimulationReport("big", "vc1", 1000, runs);
    String svg = TimelineChart.svg(report);
    Document doc = parse(svg);
    for (int r = 1; r <= 3; r++) {
      assertEquals(
          1000, nodes(doc, "/svg/g[@class='run'][" + r + "]/g[@class='bars']/rect").getLength());
    }
    double height = Double.parseDouble(doc.getDocumentElement().getAttribute("height"));
    assertTrue(height <= 1200, "height " + height);
    // No per-row names at this size: the tooltips carry them.
    assertEquals(0, nodes(doc, "/svg/g[@class='names']").getLength());
    int bytes = svg.getBytes(StandardCharsets.UTF_8).length;
    int spans = runs.stream().mapToInt(r -> r.bottlenecks().size()).sum();
    System.out.printf(
        "TimelineChart: 1000 VMs x 3 runs, %d bottleneck spans: %d bytes (%.0f KiB), %s px high%n",
        spans, bytes, bytes / 1024.0, doc.getDocumentElement().getAttribute("height"));
    assertTrue(bytes < 1_500_000, "size " + bytes);
  }
}

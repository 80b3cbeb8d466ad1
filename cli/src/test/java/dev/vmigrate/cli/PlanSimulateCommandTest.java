package dev.vmigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vmigrate.simulation.BottleneckSpan;
import dev.vmigrate.simulation.Finding;
import dev.vmigrate.simulation.SimulationReport;
import dev.vmigrate.simulation.SimulationRun;
import dev.vmigrate.simulation.SimulationSettings;
import dev.vmigrate.simulation.VmTimeline;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * {@code vmigrate plan simulate}: what it sends and how it prints the report, against a stub that
 * answers as {@code POST /plans/{id}/simulate} does. The whole of it against a running server is
 * the end-to-end tests'.
 */
class PlanSimulateCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private HttpServer api;
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile String answer = "{}";

  @BeforeEach
  void start() throws IOException {
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext(
        "/",
        ex -> {
          seen.add(
              ex.getRequestMethod()
                  + " "
                  + ex.getRequestURI().getRawPath()
                  + " "
                  + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] body = answer.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders()
              .add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
          ex.sendResponseHeaders(status, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    api.start();
  }

  @AfterEach
  void stop() {
    api.stop(0);
  }

  private CliRun cli(String... args) {
    return CliRun.at("http://127.0.0.1:" + api.getAddress().getPort(), args);
  }

  private static SimulationRun run(
      String label,
      String policy,
      int limit,
      int throttle,
      long makespan,
      List<VmTimeline> vms,
      List<BottleneckSpan> spans,
      List<Finding> findings,
      long wallMillis) {
    int completed = (int) vms.stream().filter(v -> v.state().equals("COMPLETED")).count();
    int skipped = (int) vms.stream().filter(v -> v.state().equals("SKIPPED")).count();
    return new SimulationRun(
        new SimulationSettings(label, limit, policy, throttle),
        makespan,
        completed,
        vms.size() - completed - skipped,
        skipped,
        vms,
        spans,
        findings,
        wallMillis);
  }

  /** Two runs of four VMs: as planned, and a fifo run where web02 fails as well. */
  static SimulationReport report() {
    Finding precheck =
        new Finding(
            "vm-3",
            "db01\u001b[2J",
            Finding.PRECHECK,
            "CheckCompatibility",
            "the destination has no network 'prod-120'");
    Finding skipped =
        new Finding("vm-4", "tmpl01", Finding.SKIPPED, null, "a template cannot be migrated");
    Finding failed =
        new Finding("vm-2", "web02", Finding.FAILED, "InitiateSource", "relocate failed: timeout");
    SimulationRun planned =
        run(
            "as planned",
            SimulationSettings.VMIGRATE,
            0,
            0,
            2800,
            List.of(
                new VmTimeline("vm-1", "web01", "COMPLETED", 0, 1500, null),
                new VmTimeline("vm-2", "web02", "COMPLETED", 0, 2800, null),
                new VmTimeline("vm-3", "db01\u001b[2J", "FAILED", 10, 12, "blocked"),
                new VmTimeline("vm-4", "tmpl01", "SKIPPED", -1, -1, "a template")),
            List.of(
                new BottleneckSpan(0, 1500, "link:esx-01", 0.9, 2),
                new BottleneckSpan(1500, 2800, "datastore:ds1", 0.6, 1)),
            List.of(skipped, precheck),
            4210);
    SimulationRun fifo =
        run(
            "fifo 1",
            SimulationSettings.FIFO,
            0,
            1,
            4300,
            List.of(
                new VmTimeline("vm-1", "web01", "COMPLETED", 0, 1400, null),
                new VmTimeline("vm-2", "web02", "FAILED", 1400, 4300, "relocate failed"),
                new VmTimeline("vm-3", "db01\u001b[2J", "FAILED", 10, 12, "blocked"),
                new VmTimeline("vm-4", "tmpl01", "SKIPPED", -1, -1, "a template")),
            List.of(
                new BottleneckSpan(0, 1400, "link:esx-01", 0.5, 1),
                new BottleneckSpan(1400, 4300, "datastore:ds1", 0.4, 1)),
            List.of(skipped, precheck, failed),
            3900);
    return new SimulationReport("wave 1", "vc1", 4, List.of(planned, fifo));
  }

  @Test
  void theOptionsBecomeTheRequestBody() throws IOException {
    answer = JSON.writeValueAsString(report());
    CliRun run =
        cli(
            "plan",
            "simulate",
            "wave 1",
            "--compare-limit",
            "16,32",
            "--compare-limit",
            "0",
            "--compare-fifo",
            "8",
            "--link-efficiency",
            "0.8",
            "--datastore-mbps",
            "250",
            "--dirty-mbps",
            "50.5",
            "--precopy-passes",
            "5",
            "--switchover-seconds",
            "0.5");
    assertEquals(0, run.exit(), run.toString());
    assertEquals(1, seen.size());
    assertTrue(seen.get(0).startsWith("POST /plans/wave%201/simulate "), seen.get(0));
    assertEquals(
        JSON.readTree(
            """
            {"compare": [
               {"label": "plan limit 16", "planLimit": 16, "policy": "vmigrate"},
               {"label": "plan limit 32", "planLimit": 32, "policy": "vmigrate"},
               {"label": "no plan limit", "planLimit": 0, "policy": "vmigrate"},
               {"label": "fifo 8", "policy": "fifo", "fifoThrottle": 8}],
             "model": {"linkEfficiency": 0.8, "datastoreBytesPerSecond": 250000000,
               "memoryDirtyBytesPerSecond": 50500000, "maxPrecopyPasses": 5,
               "switchoverTargetSeconds": 0.5}}
            """),
        JSON.readTree(seen.get(0).substring(seen.get(0).indexOf('{'))));

    seen.clear();
    assertEquals(0, cli("plan", "simulate", "p1").exit());
    // No alternatives: the body is empty, the API runs the plan as it is.
    assertEquals(List.of("POST /plans/p1/simulate {}"), seen);
  }

  @Test
  void badOptionValuesAreUsageErrorsAndSendNothing() {
    CliRun fifo = cli("plan", "simulate", "p1", "--compare-fifo", "4,0");
    assertEquals(2, fifo.exit(), fifo.toString());
    assertEquals("error: --compare-fifo: the throttle must be at least 1, was 0\n", fifo.err());
    CliRun link = cli("plan", "simulate", "p1", "--link-efficiency", "1.5");
    assertEquals(2, link.exit(), link.toString());
    assertEquals("error: --link-efficiency: must be above 0 and at most 1, was 1.5\n", link.err());
    CliRun limit = cli("plan", "simulate", "p1", "--compare-limit", "-1");
    assertEquals(2, limit.exit(), limit.toString());
    CliRun notANumber = cli("plan", "simulate", "p1", "--compare-limit", "many");
    assertEquals(2, notANumber.exit(), notANumber.toString());
    assertEquals(List.of(), seen);
  }

  @Test
  void theTextShowsTheRunsSideBySideTheFindingsAndAVerdict() throws IOException {
    answer = JSON.writeValueAsString(report());
    CliRun run = cli("plan", "simulate", "wave 1", "--compare-fifo", "1");
    assertEquals(0, run.exit(), run.toString());
    assertEquals(
        List.of(
            "Plan wave 1 on vCenter vc1: 4 VMs, 2 runs simulated",
            "",
            "RUN         MAKESPAN  COMPLETED  FAILED  SKIPPED  LONGEST BOTTLENECK  OF MAKESPAN  WALL TIME",
            "as planned  0:46:40   2          1       1        link:esx-01         54%          4.2 s",
            "fifo 1      1:11:40   1          2       1        datastore:ds1       67%          3.9 s",
            "",
            "Blocked by prechecks (1):",
            "VM         ACTION              MESSAGE                                    RUNS",
            "db01\\e[2J  CheckCompatibility  the destination has no network 'prod-120'  all",
            "",
            "Failed during the run (1):",
            "VM     ACTION          MESSAGE                   RUNS",
            "web02  InitiateSource  relocate failed: timeout  fifo 1",
            "",
            "Skipped by approval (1):",
            "VM      ACTION  MESSAGE                        RUNS",
            "tmpl01  -       a template cannot be migrated  all",
            "",
            "Against as planned (0:46:40): fifo 1: 1:11:40 (+54%), 2 failed"),
        run.out().lines().toList());
  }

  @Test
  void atMostTwentyFindingsOfAKindThenACount() throws IOException {
    List<Finding> findings = new ArrayList<>();
    List<VmTimeline> vms = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      findings.add(
          new Finding("vm-" + i, "srv-" + i, Finding.CAPACITY, "SelectDestination", "no room"));
      vms.add(new VmTimeline("vm-" + i, "srv-" + i, "FAILED", 0, 5, "no room"));
    }
    SimulationReport one =
        new SimulationReport(
            "big",
            "vc1",
            25,
            List.of(run("as planned", "vmigrate", 0, 0, 5, vms, List.of(), findings, 100)));
    answer = JSON.writeValueAsString(one);
    CliRun run = cli("plan", "simulate", "big", "--vms");
    assertEquals(0, run.exit(), run.toString());
    List<String> lines = run.out().lines().toList();
    int heading = lines.indexOf("No destination capacity (25):");
    assertEquals("VM      ACTION             MESSAGE", lines.get(heading + 1));
    assertEquals("srv-19  SelectDestination  no room", lines.get(heading + 21));
    assertEquals("and 5 more", lines.get(heading + 22));
    // One run: the VM table has its own columns, and the verdict suggests comparing.
    assertTrue(lines.contains("VM      STATE   START    END      MESSAGE"), run.out());
    assertTrue(lines.contains("srv-24  FAILED  0:00:00  0:00:05  no room"), run.out());
    assertEquals(
        "Predicted makespan as planned (0:00:05); compare alternatives with --compare-limit or"
            + " --compare-fifo.",
        lines.get(lines.size() - 1));
  }

  @Test
  void vmsPrintsEachVmInEveryRun() throws IOException {
    answer = JSON.writeValueAsString(report());
    CliRun run = cli("plan", "simulate", "wave 1", "--vms");
    assertEquals(0, run.exit(), run.toString());
    List<String> lines = run.out().lines().toList();
    int header = lines.indexOf("VM         AS PLANNED                 FIFO 1");
    assertTrue(header > 0, run.out());
    assertEquals(
        List.of(
            "web01      COMPLETED 0:00:00-0:25:00  COMPLETED 0:00:00-0:23:20",
            "web02      COMPLETED 0:00:00-0:46:40  FAILED 0:23:20-1:11:40",
            "db01\\e[2J  FAILED 0:00:10-0:00:12     FAILED 0:00:10-0:00:12",
            "tmpl01     SKIPPED                    SKIPPED"),
        lines.subList(header + 1, header + 5));
    assertFalse(run.out().contains("\u001b"), "no raw escape reaches the terminal");
  }

  @Test
  void aReportWithoutItsEmptyListsIsReadAsOneWithThem(@TempDir Path dir) throws Exception {
    // The API's JSON leaves empty lists out: a plan with no VM to run and nothing found.
    answer =
        """
        {"planName": "empty", "vcenterId": "vc1", "vms": 0,
         "runs": [{"settings": {"label": "as planned", "planLimit": 0, "policy": "vmigrate",
                                "fifoThrottle": 0},
                   "makespanSeconds": 0, "completed": 0, "failed": 0, "skipped": 0,
                   "wallMillis": 40}]}
        """;
    Path file = dir.resolve("empty.svg");
    CliRun run = cli("plan", "simulate", "empty", "--chart", file.toString());
    assertEquals(0, run.exit(), run.toString());
    assertTrue(
        run.out().contains("as planned  0:00:00   0          0       0        -"), run.out());
    assertTrue(run.out().contains("No findings: no VM was skipped, blocked or failed in any run."));
    assertTrue(Files.readString(file).contains("no VMs"));

    answer = "{\"runs\": \"not a list\", \"vms\": \"many\"}";
    CliRun broken = cli("plan", "simulate", "empty");
    assertEquals(1, broken.exit(), broken.toString());
    assertTrue(
        broken.err().startsWith("error: the API's answer is not a simulation report: "),
        broken.err());
  }

  @Test
  void jsonOutputIsTheApisReport() throws IOException {
    answer = JSON.writeValueAsString(report());
    CliRun run = cli("--output", "json", "plan", "simulate", "wave 1");
    assertEquals(0, run.exit(), run.toString());
    assertEquals(JSON.readTree(answer), JSON.readTree(run.out()));
  }

  @Test
  void chartWritesTheTimelineAsSvg(@TempDir Path dir) throws Exception {
    answer = JSON.writeValueAsString(report());
    Path file = dir.resolve("wave.svg");
    CliRun run = cli("plan", "simulate", "wave 1", "--chart", file.toString());
    assertEquals(0, run.exit(), run.toString());
    assertTrue(
        run.out().contains("Timeline chart written to " + file.toAbsolutePath() + "\n"), run.out());
    Document svg =
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Files.newInputStream(file));
    assertEquals("svg", svg.getDocumentElement().getTagName());
    assertEquals(2, countRuns(svg));

    // With --output json, stdout stays JSON and the note goes to stderr.
    Path again = dir.resolve("again.svg");
    CliRun json = cli("-o", "json", "plan", "simulate", "wave 1", "--chart", again.toString());
    assertEquals(0, json.exit(), json.toString());
    assertEquals(JSON.readTree(answer), JSON.readTree(json.out()));
    assertTrue(json.err().contains("Timeline chart written to " + again.toAbsolutePath()));
    assertEquals(Files.readString(file), Files.readString(again));

    CliRun nowhere =
        cli("plan", "simulate", "wave 1", "--chart", dir.resolve("no/such/dir.svg").toString());
    assertEquals(1, nowhere.exit(), nowhere.toString());
    assertTrue(nowhere.err().startsWith("error: cannot write the chart to "), nowhere.err());
  }

  private static int countRuns(Document svg) {
    int runs = 0;
    var groups = svg.getElementsByTagName("g");
    for (int i = 0; i < groups.getLength(); i++) {
      if ("run".equals(((org.w3c.dom.Element) groups.item(i)).getAttribute("class"))) {
        runs++;
      }
    }
    return runs;
  }

  @Test
  void apiErrorsAreShownAsEveryCommandShowsThem() throws IOException {
    status = 503;
    answer =
        JSON.writeValueAsString(
            Map.of(
                "title", "Service Unavailable",
                "status", 503,
                "detail", "simulation: this server cannot simulate plans",
                "message", "simulation: this server cannot simulate plans"));
    CliRun unavailable = cli("plan", "simulate", "wave 1");
    assertEquals(5, unavailable.exit(), unavailable.toString());
    assertEquals("error: simulation: this server cannot simulate plans\n", unavailable.err());
    assertEquals("", unavailable.out());

    status = 400;
    answer =
        JSON.writeValueAsString(
            Map.of(
                "title", "Bad Request",
                "status", 400,
                "field", "compare[0].fifoThrottle",
                "detail", "compare[0].fifoThrottle: must be at least 1, was 0",
                "message", "compare[0].fifoThrottle: must be at least 1, was 0"));
    CliRun bad = cli("plan", "simulate", "wave 1", "--compare-fifo", "3");
    assertEquals(1, bad.exit(), bad.toString());
    assertEquals("error: compare[0].fifoThrottle: must be at least 1, was 0\n", bad.err());

    status = 404;
    answer =
        JSON.writeValueAsString(
            Map.of("status", 404, "detail", "plan: no plan 'nope'", "field", "plan"));
    CliRun missing = cli("plan", "simulate", "nope");
    assertEquals(3, missing.exit(), missing.toString());
    assertEquals("error: plan: no plan 'nope'\n", missing.err());
  }
}

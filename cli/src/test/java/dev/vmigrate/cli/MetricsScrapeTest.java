package dev.vmigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.server.AllInOneServer;
import dev.vmigrate.server.TestGateways;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} of an all-in-one server scraped while a plan of four VMs runs and after it
 * finished: the ledger's migrations by plan and state, admission's load per resource while VMs run,
 * action durations by activity type, disk bytes moved, Temporal SDK metrics; the worker's own
 * metrics port serves the same registry.
 */
class MetricsScrapeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<String> VMS = List.of("srv-0001", "srv-0002", "srv-0003", "srv-0004");
  private static AllInOneServer server;

  @BeforeAll
  static void start() throws IOException {
    server =
        TestGateways.startServer(
            "metrics-scrape",
            Map.of(
                "vmigrate.metrics.temporal-report-every", "500ms",
                "vmigrate.metrics.refresh-interval", "0s",
                "vmigrate.metrics.port", 0));
    CliRun add = cli(SimMapping.addVcenter());
    assertEquals(0, add.exit(), add.toString());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static CliRun cli(String... args) {
    return CliRun.at(server.apiUrl().toString(), args);
  }

  private static HttpResponse<String> get(URI uri, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String scrape() throws Exception {
    HttpResponse<String> res = get(server.apiUrl().resolve("/metrics"), null);
    assertEquals(200, res.statusCode(), res.body());
    assertTrue(
        res.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
        res.headers().toString());
    return res.body();
  }

  /** The sum of the samples of {@code metric} whose labels contain every fragment given. */
  static double sum(String scrape, String metric, String... labels) {
    Pattern line = Pattern.compile("^" + Pattern.quote(metric) + "(\\{[^}]*\\})? (\\S+)$");
    double total = 0;
    boolean found = false;
    for (String l : scrape.lines().toList()) {
      Matcher m = line.matcher(l);
      if (!m.matches()) {
        continue;
      }
      String set = m.group(1) == null ? "" : m.group(1);
      boolean all = true;
      for (String want : labels) {
        all &= set.contains(want);
      }
      if (all) {
        total += Double.parseDouble(m.group(2));
        found = true;
      }
    }
    return found ? total : Double.NaN;
  }

  private static String scrapeUntil(Predicate<String> ready, Duration within) throws Exception {
    long end = System.nanoTime() + within.toNanos();
    String s = scrape();
    while (!ready.test(s) && System.nanoTime() < end) {
      Thread.sleep(200);
      s = scrape();
    }
    return s;
  }

  /**
   * vmigrate's metric names the sample Grafana dashboard in docs/ queries (Temporal's appear only
   * once their event has happened, so they are not checked).
   */
  static java.util.Set<String> dashboardMetrics() throws IOException {
    var dashboard =
        JSON.readTree(Path.of("..", "docs", "grafana", "vmigrate-dashboard.json").toFile());
    java.util.Set<String> names = new java.util.TreeSet<>();
    Pattern metric = Pattern.compile("\\b(vmigrate_[a-z_]+)");
    dashboard
        .get("panels")
        .forEach(
            p ->
                p.path("targets")
                    .forEach(
                        t -> {
                          Matcher m = metric.matcher(t.get("expr").asText());
                          while (m.find()) {
                            names.add(m.group(1));
                          }
                        }));
    assertTrue(names.size() >= 8, names.toString());
    return names;
  }

  @Test
  void aPlanRunShowsInTheMetricsWhileItRunsAndAfter() throws Exception {
    SimulatedVsphere sim = server.context().getBean(SimulatedVsphere.class);
    long diskBytes = 0;
    long largest = 1;
    for (String name : VMS) {
      VmInfo vm = sim.inventory().vmByName(name).orElseThrow();
      long bytes = vm.disks().stream().mapToLong(VirtualDisk::capacityBytes).sum();
      diskBytes += bytes;
      largest = Math.max(largest, bytes);
    }
    // Each relocate copies for about three seconds, so a scrape sees the migrations running.
    sim.setBandwidth(largest / 3);

    assertEquals(0, cli(SimMapping.create("m-metrics")).exit());
    List<String> create =
        new ArrayList<>(
            List.of(
                "plan",
                "create",
                "--name",
                "p-metrics",
                "--mapping",
                "m-metrics",
                "--concurrency",
                "2"));
    VMS.forEach(
        vm -> {
          create.add("--vm");
          create.add(vm);
        });
    CliRun created = cli(create.toArray(String[]::new));
    assertEquals(0, created.exit(), created.toString());
    CliRun run = cli("-o", "json", "plan", "run", "p-metrics");
    assertEquals(0, run.exit(), run.toString());
    String requestId = JSON.readTree(run.out()).get("requestId").asText();

    // The plan's limit of two: two VMs run while two wait for admission.
    // The plan's own ceiling is labelled with its request's workflow id, never the plan's name.
    String plan = "resource=\"request-" + requestId + "\"";
    String during =
        scrapeUntil(
            s ->
                sum(s, "vmigrate_admission_running", "kind=\"host\"") > 0
                    && sum(s, "vmigrate_admission_queued", "kind=\"plan\"", plan) > 0,
            Duration.ofSeconds(30));
    assertTrue(
        sum(during, "vmigrate_admission_running", "kind=\"host\"") > 0,
        "admission running per host while the plan runs:\n" + during);
    double running = sum(during, "vmigrate_admission_running", "kind=\"plan\"", plan);
    double queued = sum(during, "vmigrate_admission_queued", "kind=\"plan\"", plan);
    assertTrue(running >= 1 && running <= 2, "at most the plan's limit runs:\n" + during);
    assertTrue(queued >= 1 && running + queued <= VMS.size(), "the rest waits:\n" + during);
    assertEquals(2, sum(during, "vmigrate_admission_cost_limit", "kind=\"plan\"", plan), during);
    assertTrue(
        sum(during, "vmigrate_admission_queued", "kind=\"host\"") > 0,
        "the waiting VMs need their hosts:\n" + during);
    assertEquals(VMS.size(), sum(during, "vmigrate_migrations"), "VMs:\n" + during);
    assertFalse(during.contains("p-metrics"), "no plan name is a label:\n" + during);
    assertTrue(
        sum(during, "vmigrate_admission_cost_limit", "kind=\"host\"") >= 8,
        "host limits:\n" + during);
    assertEquals(1, sum(during, "vmigrate_requests", "state=\"active\""), during);

    CliRun watch = cli("request", "status", requestId, "--watch", "--interval", "PT0.2S");
    assertEquals(0, watch.exit(), watch.toString());

    // Temporal's scope reports every 500 ms, so the bytes counted by the activities arrive soon.
    final long expectedBytes = diskBytes;
    String after =
        scrapeUntil(
            s ->
                sum(s, "vmigrate_bytes_moved_total") >= expectedBytes
                    && sum(s, "vmigrate_migrations", "state=\"completed\"") == VMS.size(),
            Duration.ofSeconds(20));
    assertEquals(VMS.size(), sum(after, "vmigrate_migrations", "state=\"completed\""), after);
    assertTrue(
        sum(
                after,
                "vmigrate_action_duration_seconds_count",
                "activity=\"InvokePrechecks\"",
                "outcome=\"success\"")
            >= VMS.size(),
        after);
    assertTrue(
        sum(after, "vmigrate_action_duration_seconds_bucket", "activity=\"InvokePrechecks\"") > 0,
        after);
    assertTrue(sum(after, "vmigrate_action_duration_seconds_sum") > 0, after);
    assertEquals(
        (double) expectedBytes,
        sum(after, "vmigrate_bytes_moved_total"),
        "every moving disk counted once:\n" + after);
    assertTrue(
        after.lines().anyMatch(l -> l.startsWith("temporal_")), "Temporal SDK metrics:\n" + after);
    assertTrue(
        sum(after, "temporal_activity_execution_latency_seconds_count") > 0
            || sum(after, "temporal_workflow_completed_total") > 0,
        after);
    assertTrue(Double.isNaN(sum(after, "vmigrate_admission_running")), "nothing runs:\n" + after);
    assertEquals(1, sum(after, "vmigrate_requests", "state=\"finished\""), after);

    // The worker's own port serves the same registry, with the same token rules.
    HttpResponse<String> port = get(server.metricsUrl(), null);
    assertEquals(200, port.statusCode(), port.body());
    assertTrue(
        sum(port.body(), "vmigrate_action_duration_seconds_count", "activity=\"InvokePrechecks\"")
            >= VMS.size(),
        port.body());
    assertEquals(401, get(server.metricsUrl(), "wrong").statusCode());
    assertEquals(401, get(server.apiUrl().resolve("/metrics"), "wrong").statusCode());

    // The sample dashboard asks only for what a scrape has (vCenter calls need a vim25 endpoint:
    // VcenterCallMetricsTest checks those on vcsim).
    String both = during + after;
    for (String name : dashboardMetrics()) {
      if (!name.startsWith("vmigrate_vcenter_")) {
        assertTrue(
            both.lines().anyMatch(l -> l.startsWith(name)), name + " is in no scrape:\n" + both);
      }
    }

    Path sample = Path.of("target", "metrics-scrape-sample.txt");
    Files.createDirectories(sample.getParent());
    Files.writeString(sample, "# during\n" + during + "\n# after\n" + after);
  }

  /**
   * A process without the API, as {@code vmigrate worker --metrics-port} starts it: its own port
   * serves the registry (JVM and worker metrics), without the ledger's gauges, which only the
   * process owning the database has.
   */
  @Test
  void aWorkerProcessServesItsMetricsOnItsOwnPort() throws Exception {
    try (AllInOneServer worker =
        AllInOneServer.start(
            new dev.vmigrate.server.ServerOptions(
                "127.0.0.1",
                0,
                false,
                true,
                dev.vmigrate.server.TemporalOptions.external(server.temporalAddress(), "default"),
                null,
                null,
                null,
                0,
                List.of(),
                Map.of("vmigrate.metrics.port", 0)))) {
      assertEquals(null, worker.apiUrl());
      HttpResponse<String> res = get(worker.metricsUrl(), null);
      assertEquals(200, res.statusCode(), res.body());
      assertTrue(res.body().contains("\njvm_memory_used_bytes{"), res.body());
      assertTrue(
          res.body().lines().noneMatch(l -> l.startsWith("vmigrate_migrations")), res.body());
      assertEquals(401, get(worker.metricsUrl(), "wrong").statusCode());
      assertEquals(404, get(worker.metricsUrl().resolve("/other"), null).statusCode());
    }
  }
}

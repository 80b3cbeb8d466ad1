package dev.vmigrate.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.cli.crash.Estate;
import dev.vmigrate.cli.crash.VmigrateProcess;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.vcsim.VcsimExtension;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * vmigrate in its production shape, as {@code scripts/cluster up} runs it: Temporal's frontend,
 * history, matching and worker services as separate processes on PostgreSQL behind mutual TLS, two
 * vmigrate API processes on one ledger and two vmigrate workers, all real processes. Each scenario
 * orders a plan of {@value #VMS} vcsim VMs (relocates of {@value #RELOCATE_MS} ms) through API 1,
 * follows it through API 2, and while relocates are in flight kills one part with {@code kill -9}.
 * Afterwards every VM is migrated or back at its origin, vCenter counts exactly one relocate per
 * migrated VM, the ledger agrees with Temporal and the request finished. Prints the table and
 * writes it to {@code target/cluster-suite.txt}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSuiteIT {
  static final int RELOCATE_MS = 6_000;
  static final int VMS = 3;
  private static final Duration FINISH = Duration.ofMinutes(5);
  private static final List<String> TABLE = new ArrayList<>();

  @TempDir static Path dir;
  private static Cluster cluster;
  private static VcsimExtension vcsim;
  private static long suiteStart;
  private static final List<String> apiPlanMigrations = new ArrayList<>();
  private Estate estate;

  @BeforeAll
  static void up() throws Exception {
    Path script = Cluster.script();
    if (script == null) {
      String why =
          Cluster.SCRIPT_ENV
              + " is unset: run `scripts/cluster build` and export "
              + Cluster.SCRIPT_ENV
              + "=$PWD/scripts/cluster (scripts/test does both)";
      if (System.getenv("CI") != null) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    suiteStart = System.nanoTime();
    // A short path: PostgreSQL's socket lives in the state directory (108 bytes at most).
    cluster = Cluster.up(script, dir.resolve("c"));
    vcsim = cluster.vcsim();
  }

  @AfterEach
  void closeEstate() throws Exception {
    if (estate != null) {
      estate.close();
    }
  }

  @AfterAll
  static void down() throws Exception {
    if (cluster == null) {
      return;
    }
    List<String> lines = new ArrayList<>();
    lines.add(Estate.header());
    lines.addAll(TABLE);
    lines.add("");
    lines.add("resident memory at the end (MiB, /proc VmRSS):");
    for (Map.Entry<String, Long> e : cluster.rssMib().entrySet()) {
      lines.add(String.format("  %-9s %6d", e.getKey(), e.getValue()));
    }
    lines.add(String.format("suite wall time %.0f s", (System.nanoTime() - suiteStart) / 1e9));
    String table = String.join("\n", lines);
    System.out.println(
        "\nCluster suite (separate Temporal services on PostgreSQL, "
            + (Cluster.tls() ? "mTLS" : "no TLS")
            + "; vcsim relocates of "
            + RELOCATE_MS
            + " ms)\n"
            + table);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "cluster-suite.txt"), table + "\n");
    cluster.close();
  }

  /** A plan of VMs still in DC0_C0, ordered through API 1 and followed through API 2. */
  private String order(String plan) throws Exception {
    estate = new Estate(vcsim, Files.createDirectories(dir.resolve(plan)), VMS);
    assertTrue(estate.vms.size() == VMS, "vcsim has fewer than " + VMS + " VMs left in DC0_C0");
    estate.useTemporal(cluster.stubs());
    estate.useApi(cluster.api(1));
    vcsim.delayTasks("RelocateVM_Task", RELOCATE_MS);
    vcsim.resetCalls(); // count this plan's calls only
    String request = estate.order(plan);
    estate.useApi(cluster.api(2));
    estate.awaitRelocatesStarted(1, Duration.ofMinutes(2));
    return request;
  }

  /**
   * VMs of the plan whose relocate vCenter accepted and has not carried out: still in DC0_C0.
   * Asserted non-zero, so the kill that follows lands mid-relocate.
   */
  private int relocatesInFlight() {
    String c0 = estate.cluster("DC0_C0").id();
    int n = 0;
    for (VmInfo vm : estate.vms) {
      if (vcsim.calls("RelocateVM_Task", vm.id()) > 0
          && c0.equals(estate.gw.vm(vm.id()).cluster())) {
        n++;
      }
    }
    assertTrue(n > 0, "no relocate in flight at the moment of the kill");
    return n;
  }

  /** Seconds from {@code since} until the request answers through API 2 and Temporal answers. */
  private double awaitAnswering(String request, long since) {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      try {
        estate.runningOn(-1, request);
        return (System.nanoTime() - since) / 1e9;
      } catch (RuntimeException notYet) {
        assertTrue(System.nanoTime() < deadline, "no answer 3 min after the kill: " + notYet);
        VmigrateProcess.sleep(200);
      }
    }
  }

  private void row(String scenario, String request, double recovery, long start) throws Exception {
    JsonNode done = estate.awaitFinished(request, FINISH);
    TABLE.add(estate.verify(scenario, done, recovery, (System.nanoTime() - start) / 1e9));
  }

  @Test
  @Order(1)
  void aWorkerKilledMidRelocateLeavesTheOtherToFinish() throws Exception {
    long start = System.nanoTime();
    String request = order("cluster-worker");
    long pid = cluster.pid("worker1");
    Set<String> onIt = estate.runningOn(pid, request);
    int inFlight = relocatesInFlight();
    long killed = System.nanoTime();
    cluster.kill("worker1");
    double recovery = estate.awaitMovedOff(pid, onIt, killed, Duration.ofMinutes(3));
    row(
        "a. worker1 kill -9 (" + inFlight + " relocating, " + onIt.size() + " on it)",
        request,
        recovery,
        start);
    cluster.restart("worker1");
  }

  @Test
  @Order(2)
  void theHistoryServiceKilledMidPlanIsRestartedOnItsDatabase() throws Exception {
    long start = System.nanoTime();
    String request = order("cluster-history");
    int inFlight = relocatesInFlight();
    long killed = System.nanoTime();
    cluster.kill("history");
    cluster.restart("history");
    double recovery = awaitAnswering(request, killed);
    row("b. history kill -9, restarted (" + inFlight + " relocating)", request, recovery, start);
  }

  @Test
  @Order(3)
  void postgresKilledMidPlanComesBackWithEverythingCommitted() throws Exception {
    long start = System.nanoTime();
    String request = order("cluster-postgres");
    int inFlight = relocatesInFlight();
    long killed = System.nanoTime();
    cluster.kill("postgres");
    cluster.restart("postgres");
    double recovery = awaitAnswering(request, killed);
    row("c. PostgreSQL kill -9+restart (" + inFlight + " relocating)", request, recovery, start);
  }

  @Test
  @Order(4)
  void theApiThatOrderedTheRequestKilledTheOtherFollowsItToTheEnd() throws Exception {
    long start = System.nanoTime();
    String request = order("cluster-api");
    int inFlight = relocatesInFlight();
    long killed = System.nanoTime();
    cluster.kill("api1");
    double recovery = awaitAnswering(request, killed);
    row("d. API 1 (ordered it) kill -9 (" + inFlight + " relocating)", request, recovery, start);
    estate
        .request(request)
        .path("tasks")
        .forEach(t -> apiPlanMigrations.add(t.path("migrationId").asText()));
    cluster.restart("api1");
  }

  /**
   * The Temporal UI server reads the workflows through the mutual-TLS frontend with the client
   * certificate, and finds a plan's migrations by vmigrate's PlanName search attribute.
   */
  @Test
  @Order(5)
  void theUiServerListsAPlansWorkflowsByItsSearchAttribute() throws Exception {
    String query = URLEncoder.encode("PlanName=\"cluster-api\"", StandardCharsets.UTF_8);
    HttpResponse<String> res =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        cluster.ui().resolve("/api/v1/namespaces/default/workflows?query=" + query))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, res.statusCode(), res.body());
    JsonNode executions = new ObjectMapper().readTree(res.body()).path("executions");
    List<String> ids = new ArrayList<>();
    executions.forEach(e -> ids.add(e.path("execution").path("workflowId").asText()));
    assertEquals(VMS, apiPlanMigrations.size());
    assertTrue(ids.containsAll(apiPlanMigrations), ids + " lacks one of " + apiPlanMigrations);
  }
}

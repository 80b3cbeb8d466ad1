package dev.vmigrate.cli.crash;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.vsphere.vcsim.VcsimExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills real vmigrate processes with {@code kill -9} while a plan's relocates run on vcsim (each
 * relocate task takes {@value #RELOCATE_MS} ms), then checks what an operator cares about: every VM
 * migrated or back at its origin, exactly one relocate per VM as vCenter counts them, nothing left
 * locked, powered off or unregistered, the ledger agreeing with Temporal, and the plan request
 * finished. Prints the table of these counts and writes it to {@code target/crash-suite.txt}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashSuiteIT {
  static final int RELOCATE_MS = 6_000;

  /** Longer than a relocate's 30-second heartbeat timeout, so only liveness beats keep it up. */
  static final int HELD_REPLY_MS = 45_000;

  private static final Duration FINISH = Duration.ofMinutes(5);
  private static final List<String> TABLE = new ArrayList<>();

  @RegisterExtension
  final VcsimExtension vcsim =
      VcsimExtension.perTest(
          "-tls",
          "-cluster",
          "2",
          "-host",
          "2",
          "-standalone-host",
          "0",
          "-ds",
          "2",
          "-pg",
          "2",
          "-vm",
          "6");

  @TempDir Path dir;
  private Estate estate;

  @BeforeAll
  static void temporalInstalled() {
    VmigrateProcess.jar();
  }

  @BeforeEach
  void setUp() throws Exception {
    estate = new Estate(vcsim, dir);
    vcsim.delayTasks("RelocateVM_Task", RELOCATE_MS);
    vcsim.resetCalls(); // count the plan's calls only, not the set-up's
  }

  @AfterEach
  void tearDown() throws Exception {
    if (estate != null) {
      estate.close();
    }
  }

  @AfterAll
  static void printTable() throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add(Estate.header());
    lines.addAll(TABLE);
    String table = String.join("\n", lines);
    System.out.println("\nCrash suite (vcsim, relocates of " + RELOCATE_MS + " ms)\n" + table);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "crash-suite.txt"), table + "\n");
  }

  @Test
  @Order(1)
  void aWorkerKilledWhileRelocatesRunIsReplacedAndNothingRunsTwice() throws Exception {
    long start = System.nanoTime();
    estate.startServer("server", false);
    VmigrateProcess worker = estate.startWorker("worker-1");
    String request = estate.order("crash-worker");
    estate.awaitRelocatesStarted(2, Duration.ofMinutes(2));
    Set<String> inFlight = estate.runningOn(worker.pid(), request);
    long killed = System.nanoTime();
    worker.kill();
    estate.startWorker("worker-2");
    double recovery = estate.awaitMovedOff(worker.pid(), inFlight, killed, Duration.ofMinutes(3));
    JsonNode done = estate.awaitFinished(request, FINISH);
    TABLE.add(
        estate.verify(
            "a. worker kill -9 mid-relocate, restarted",
            done,
            recovery,
            (System.nanoTime() - start) / 1e9));
  }

  @Test
  @Order(2)
  void theTemporalServerKilledMidPlanIsRestartedOnItsDatabase() throws Exception {
    long start = System.nanoTime();
    VmigrateProcess server = estate.startServer("server", true);
    String request = estate.order("crash-temporal");
    estate.awaitRelocatesStarted(2, Duration.ofMinutes(2));
    ProcessHandle temporal = server.temporalChild().orElseThrow();
    long killed = System.nanoTime();
    temporal.destroyForcibly();
    temporal.onExit().get();
    // The supervisor starts it again on the same database; the API answers from it once it is up.
    double recovery = -1;
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (recovery < 0) {
      assertTrue(System.nanoTime() < deadline, "Temporal did not come back:\n" + server.tail(30));
      ProcessHandle again = server.temporalChild().orElse(null);
      if (again != null && again.pid() != temporal.pid() && answers(estate, request)) {
        recovery = (System.nanoTime() - killed) / 1e9;
      } else {
        VmigrateProcess.sleep(200);
      }
    }
    JsonNode done = estate.awaitFinished(request, FINISH);
    assertTrue(server.output().contains("restarting it on"), server.tail(30));
    TABLE.add(
        estate.verify(
            "b. Temporal dev server kill -9 mid-plan",
            done,
            recovery,
            (System.nanoTime() - start) / 1e9));
  }

  @Test
  @Order(3)
  void theWholeServerKilledMidPlanCarriesOnWhenStartedAgain() throws Exception {
    long start = System.nanoTime();
    VmigrateProcess server = estate.startServer("server-1", true);
    String request = estate.order("crash-server");
    estate.awaitRelocatesStarted(2, Duration.ofMinutes(2));
    Set<String> inFlight = estate.runningOn(server.pid(), request);
    ProcessHandle temporal = server.temporalChild().orElseThrow();
    long killed = System.nanoTime();
    server.kill();
    // The kernel stops the dev server with its parent: nothing is left to hold the database.
    temporal.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertFalse(temporal.isAlive(), "the Temporal dev server outlived its killed parent");
    estate.startServer("server-2", true);
    double recovery = estate.awaitMovedOff(server.pid(), inFlight, killed, Duration.ofMinutes(3));
    JsonNode done = estate.awaitFinished(request, FINISH);
    TABLE.add(
        estate.verify(
            "c. whole vmigrate server kill -9, restarted",
            done,
            recovery,
            (System.nanoTime() - start) / 1e9));
  }

  @Test
  @Order(4)
  void ofTwoWorkersOneKilledForGoodTheOtherFinishesThePlan() throws Exception {
    long start = System.nanoTime();
    estate.startServer("server", false);
    VmigrateProcess first = estate.startWorker("worker-1");
    estate.startWorker("worker-2");
    String request = estate.order("crash-two-workers");
    estate.awaitRelocatesStarted(2, Duration.ofMinutes(2));
    Set<String> inFlight = estate.runningOn(first.pid(), request);
    long killed = System.nanoTime();
    first.kill();
    double recovery = estate.awaitMovedOff(first.pid(), inFlight, killed, Duration.ofMinutes(3));
    JsonNode done = estate.awaitFinished(request, FINISH);
    TABLE.add(
        estate.verify(
            "d. two workers, one kill -9 for good (" + inFlight.size() + " on it)",
            done,
            recovery,
            (System.nanoTime() - start) / 1e9));
  }

  @Test
  @Order(5)
  void aWorkerKilledWhileItsRelocateReplyIsHeldNeverLeadsToASecondRelocate() throws Exception {
    long start = System.nanoTime();
    estate.startServer("server", false);
    List<VmigrateProcess> workers =
        List.of(estate.startWorker("worker-1"), estate.startWorker("worker-2"));
    // vCenter runs the first relocate and creates its task, but its answer comes late: the attempt
    // cannot record the task in its heartbeat before its worker dies.
    vcsim.holdReply("RelocateVM_Task", HELD_REPLY_MS, 1);
    long ordered = System.nanoTime();
    String request = estate.order("crash-held-reply");
    estate.awaitRelocatesStarted(1, Duration.ofMinutes(2));
    String heldVm =
        estate.vms.stream()
            .filter(v -> vcsim.calls("RelocateVM_Task", v.id()) >= 1)
            .findFirst()
            .orElseThrow()
            .id();
    String heldMigration = migrationOf(request, heldVm);
    VmigrateProcess waiting = null;
    Set<String> inFlight = Set.of();
    for (VmigrateProcess w : workers) {
      Set<String> on = estate.runningOn(w.pid(), request);
      if (on.contains(heldMigration)) {
        waiting = w;
        inFlight = on;
      }
    }
    assertTrue(waiting != null, "no worker runs the relocate of " + heldVm);
    assertFalse(
        "finished".equals(estate.request(request).path("request_state").asText()),
        "the plan finished before the kill");
    long killed = System.nanoTime();
    // Every relocate call came after the order, so its reply is still held until this point.
    assertTrue(
        killed - ordered < Duration.ofMillis(HELD_REPLY_MS).toNanos(),
        "the held reply may have been sent before the kill");
    waiting.kill();
    double recovery = estate.awaitMovedOff(waiting.pid(), inFlight, killed, Duration.ofMinutes(3));
    JsonNode done = estate.awaitFinished(request, FINISH);
    TABLE.add(
        estate.verify(
            "e. relocate reply held, its worker kill -9",
            done,
            recovery,
            (System.nanoTime() - start) / 1e9));
  }

  private String migrationOf(String request, String vmId) {
    String name =
        estate.vms.stream().filter(v -> v.id().equals(vmId)).findFirst().orElseThrow().name();
    for (JsonNode t : estate.request(request).path("tasks")) {
      if (name.equals(t.path("name").asText())) {
        return t.path("migrationId").asText();
      }
    }
    throw new IllegalStateException(name + " is not in request " + request);
  }

  private static boolean answers(Estate estate, String request) {
    try {
      estate.runningOn(-1, request);
      return true;
    } catch (RuntimeException notYet) {
      return false;
    }
  }
}

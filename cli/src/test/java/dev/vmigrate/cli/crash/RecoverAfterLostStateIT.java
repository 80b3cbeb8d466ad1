package dev.vmigrate.cli.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.vsphere.DatastoreInfo;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.vcsim.VcsimExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vmigrate recover} after vmigrate lost all of its state mid-plan: the server (API, worker
 * and its Temporal dev server) is killed with {@code kill -9} while the plan's relocates run on
 * vcsim, its data directory (Temporal's database and the ledger) is deleted, and a new server
 * starts with nothing. The dry run lists, from vCenter alone, every VM the plan locked; the apply
 * puts each moved VM back on its origin with exactly one more relocate and clears every mark.
 * Prints both outputs and writes them to {@code target/recover-after-lost-state.txt}.
 */
class RecoverAfterLostStateIT {
  static final int RELOCATE_MS = 4_000;
  private static final ObjectMapper JSON = new ObjectMapper();

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
          "3");

  @TempDir Path dir;
  private Estate estate;

  @BeforeAll
  static void built() {
    VmigrateProcess.jar();
  }

  @BeforeEach
  void setUp() throws Exception {
    estate = new Estate(vcsim, dir);
    vcsim.delayTasks("RelocateVM_Task", RELOCATE_MS);
    vcsim.resetCalls();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (estate != null) {
      estate.close();
    }
  }

  /** {@code vmigrate --api URL args...} as an operator runs it; fails unless it exits 0. */
  private String cli(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(VmigrateProcess.jar().toString());
    cmd.add("--api");
    cmd.add("http://127.0.0.1:" + estate.apiPort);
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "vmigrate " + String.join(" ", args));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void afterTheServerAndItsDataAreLostRecoverFindsTheVmsAndPutsThemBack() throws Exception {
    VmigrateProcess server = estate.startServer("server-1", true);
    estate.order("lost-state");
    estate.awaitRelocatesStarted(1, Duration.ofMinutes(2));
    ProcessHandle temporal = server.temporalChild().orElseThrow();
    server.kill();
    temporal.onExit().get(30, TimeUnit.SECONDS);
    // The relocates vCenter accepted run to their end without vmigrate.
    VmigrateProcess.sleep(RELOCATE_MS + 2_000);
    deleteTree(estate.dir.resolve("data"));
    estate.startServer("server-2", true);

    Map<String, Integer> relocatesBefore = new HashMap<>();
    List<String> moved = new ArrayList<>();
    for (VmInfo vm : estate.vms) {
      relocatesBefore.put(vm.id(), vcsim.calls("RelocateVM_Task", vm.id()));
      VmInfo now = estate.gw.vm(vm.id());
      if (!now.host().equals(vm.host())) {
        moved.add(vm.name());
      }
    }
    assertFalse(moved.isEmpty(), "no VM was moved before the kill");

    String dryRun = cli("recover", Estate.VC);
    JsonNode dry = JSON.readTree(cli("recover", Estate.VC, "--output", "json"));
    for (String name : moved) {
      JsonNode f = finding(dry, name);
      assertEquals("rollback", f.path("action").asText(), dry.toPrettyString());
      assertEquals("away_from_origin", f.path("kind").asText());
    }
    String apply = cli("recover", Estate.VC, "--apply");
    assertTrue(apply.contains("(started)"), apply);
    String again = cli("recover", Estate.VC, "--apply");

    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    JsonNode left = JSON.readTree(cli("recover", Estate.VC, "--output", "json"));
    while (left.path("findings").size() > 0) {
      assertTrue(System.nanoTime() < deadline, "leftovers remain: " + left.toPrettyString());
      VmigrateProcess.sleep(1_000);
      left = JSON.readTree(cli("recover", Estate.VC, "--output", "json"));
    }
    String after = cli("recover", Estate.VC);

    for (VmInfo origin : estate.vms) {
      VmInfo now = estate.gw.vm(origin.id());
      assertEquals(origin.host(), now.host(), origin.name() + " host");
      assertEquals(origin.resourcePool(), now.resourcePool(), origin.name() + " pool");
      assertEquals(origin.nics(), now.nics(), origin.name() + " NICs");
      assertEquals(origin.powerState(), now.powerState(), origin.name() + " power");
      assertNull(now.customValue(MigrationAttributes.LOCK), origin.name() + " lock");
      assertNull(now.customValue(MigrationAttributes.DESTINATION), origin.name() + " destination");
      int extra = vcsim.calls("RelocateVM_Task", origin.id()) - relocatesBefore.get(origin.id());
      assertEquals(
          moved.contains(origin.name()) ? 1 : 0, extra, origin.name() + ": relocates by recover");
    }
    for (DatastoreInfo ds : estate.gw.inventory().datastores()) {
      assertNull(ds.customValue(MigrationAttributes.RESERVATIONS), ds.name() + " reservations");
    }

    String report =
        String.join(
            "\n",
            "$ vmigrate recover " + Estate.VC,
            dryRun,
            "$ vmigrate recover " + Estate.VC + " --apply",
            apply,
            "$ vmigrate recover " + Estate.VC + " --apply   # again",
            again,
            "$ vmigrate recover " + Estate.VC + "   # once they finished",
            after);
    System.out.println("\nRecover after lost state (vcsim)\n" + report);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "recover-after-lost-state.txt"), report + "\n");
  }

  private static JsonNode finding(JsonNode report, String vm) {
    for (JsonNode f : report.path("findings")) {
      if (vm.equals(f.path("vm").asText())) {
        return f;
      }
    }
    throw new AssertionError("no finding for " + vm + ": " + report.toPrettyString());
  }
}

package dev.vmigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.server.AllInOneServer;
import dev.vmigrate.server.ServerOptions;
import dev.vmigrate.server.TemporalOptions;
import dev.vmigrate.server.TestGateways;
import dev.vmigrate.server.TestPorts;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client commands against a real all-in-one server (API, H2, embedded Temporal) over HTTP, in
 * the order an operator uses them: vCenter, inventory, mapping, plan, import, run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientAgainstServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static AllInOneServer server;
  private static String api;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws IOException {
    server =
        AllInOneServer.start(
            new ServerOptions(
                "127.0.0.1",
                0,
                true,
                true,
                TemporalOptions.inMemory("127.0.0.1", TestPorts.free(), "default"),
                null,
                "jdbc:h2:mem:cli-test;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                TestGateways.VCENTER,
                20,
                List.of(),
                Map.of("vmigrate.test.simulated-gateways", true)));
    api = server.apiUrl().toString();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static CliRun cli(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--api";
    all[1] = api;
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.of(all);
  }

  @Test
  @Order(1)
  void registersAndListsAVcenter() throws IOException {
    CliRun add =
        cli(
            "vcenter",
            "add",
            "sim",
            "--url",
            "https://sim.vmigrate.invalid/sdk",
            "--credentials",
            "config:sim");
    assertEquals(0, add.exit(), add.toString());
    assertEquals("vCenter sim registered at https://sim.vmigrate.invalid/sdk\n", add.out());

    CliRun table = cli("vcenter", "list");
    assertEquals(0, table.exit(), table.toString());
    List<String> lines = table.out().lines().toList();
    assertEquals(
        List.of("ID", "URL", "TLS", "CREDENTIALS", "CONNECTION"),
        List.of(lines.get(0).split("\\s{2,}")));
    assertEquals(
        List.of(
            "sim", "https://sim.vmigrate.invalid/sdk", "system trust", "config:sim", "configured"),
        List.of(lines.get(1).split("\\s{2,}")));

    CliRun json = cli("--output", "json", "vcenter", "list");
    JsonNode list = JSON.readTree(json.out());
    assertEquals(1, list.size());
    assertEquals("sim", list.get(0).get("id").asText());
  }

  @Test
  @Order(2)
  void aDuplicateIsAConflictAndABadUrlAFailure() {
    CliRun dup =
        cli("vcenter", "add", "sim", "--url", "https://x.invalid/sdk", "--credentials", "config:x");
    assertEquals(4, dup.exit(), dup.toString());
    assertEquals("error: id: vCenter 'sim' already exists\n", dup.err());

    CliRun bad = cli("vcenter", "add", "vc2", "--url", "http://x/sdk", "--credentials", "config:x");
    assertEquals(1, bad.exit(), bad.toString());
    assertEquals("error: url: required, an https:// URL of the vCenter\n", bad.err());
  }

  @Test
  @Order(3)
  void listsTheInventory() throws IOException {
    CliRun vms = cli("inventory", "list", "sim");
    assertEquals(0, vms.exit(), vms.toString());
    List<String> lines = vms.out().lines().toList();
    assertTrue(lines.get(0).startsWith("ID"), vms.out());
    assertEquals(21, lines.size(), "header and 20 VMs: " + vms.out());
    assertTrue(vms.out().contains("srv-0001"), vms.out());

    CliRun hosts = cli("inventory", "list", "sim", "--kind", "hosts");
    assertTrue(
        hosts
            .out()
            .lines()
            .anyMatch(l -> l.matches("host-\\S+\\s+esx-01-01\\s+cluster-01\\s+connected\\s+no")),
        hosts.out());
    assertTrue(
        vms.out().lines().anyMatch(l -> l.matches("vm-\\S+\\s+srv-0001\\s+.*esx-\\d\\d-\\d\\d")),
        vms.out());

    JsonNode clusters =
        JSON.readTree(cli("-o", "json", "inventory", "list", "sim", "--kind", "clusters").out());
    assertEquals(2, clusters.size());

    CliRun unknown = cli("inventory", "list", "nope");
    assertEquals(1, unknown.exit(), unknown.toString());
    assertTrue(unknown.err().startsWith("error: id: vCenter 'nope'"), unknown.err());
  }

  @Test
  @Order(4)
  void createsAndShowsAMapping() {
    CliRun create =
        cli(
            "mapping",
            "create",
            "--name",
            "m1",
            "--source",
            "sim",
            "--destination",
            "sim",
            "--cluster",
            "cluster-01=cluster-02",
            "--cluster",
            "cluster-02=cluster-01",
            "--datastore",
            "datastore-01=datastore-02",
            "--datastore",
            "datastore-02=datastore-03",
            "--datastore",
            "datastore-03=datastore-01",
            "--network",
            "VM Network=VM Network",
            "--network",
            "dvpg-web=dvpg-web",
            "--network",
            "dvpg-app=dvpg-app",
            "--network",
            "dvpg-db=dvpg-db");
    assertEquals(0, create.exit(), create.toString());
    assertTrue(create.out().startsWith("mapping m1 created (id "), create.out());

    CliRun show = cli("mapping", "show", "m1");
    assertEquals(0, show.exit(), show.toString());
    assertTrue(show.out().startsWith("Mapping m1 (id "), show.out());
    assertTrue(show.out().contains("vCenter sim -> sim"), show.out());
    assertTrue(
        show.out().lines().anyMatch(l -> l.matches("cluster\\s+cluster-01\\s+cluster-02.*")));
    assertTrue(
        show.out().lines().anyMatch(l -> l.matches("datastore\\s+datastore-01\\s+datastore-02.*")));

    CliRun missing = cli("mapping", "show", "nope");
    assertEquals(3, missing.exit(), missing.toString());
    assertEquals("error: id: no mapping 'nope'\n", missing.err());
  }

  @Test
  @Order(5)
  void createsAPlanAndImportsVms() throws IOException {
    CliRun create =
        cli(
            "plan",
            "create",
            "--name",
            "p1",
            "--mapping",
            "m1",
            "--approval",
            "manual",
            "--vm",
            "srv-0001");
    assertEquals(0, create.exit(), create.toString());
    assertTrue(create.out().contains("with 1 VMs"), create.out());

    Path csv = dir.resolve("vms.csv");
    Files.writeString(csv, "VM,Powerstate\nsrv-0002,poweredOn\nsrv-0003,poweredOff\n");
    CliRun imported = cli("plan", "import", "p1", csv.toString());
    assertEquals(0, imported.exit(), imported.toString());
    assertEquals("imported 2 VMs into plan p1 (3 VMs in the plan)\n", imported.out());

    Path yaml = dir.resolve("more.yaml");
    Files.writeString(yaml, "vms:\n  - srv-9999\n");
    CliRun unknownVm = cli("plan", "import", "p1", yaml.toString());
    assertEquals(1, unknownVm.exit(), unknownVm.toString());
    assertTrue(unknownVm.err().startsWith("error: vms[0].name: "), unknownVm.err());

    JsonNode plan = JSON.readTree(cli("-o", "json", "plan", "show", "p1").out());
    assertEquals(3, plan.get("vms").size());
    CliRun show = cli("plan", "show", "p1");
    assertTrue(
        show.out().lines().anyMatch(l -> l.matches("srv-0003\\s+vm-\\S+\\s+\\S+\\s+planned.*")),
        show.out());
  }

  @Test
  @Order(6)
  void runsAPlanWithManualApproval() throws IOException {
    CliRun run = cli("-o", "json", "plan", "run", "p1");
    assertEquals(0, run.exit(), run.toString());
    JsonNode order = JSON.readTree(run.out());
    assertEquals("pending", order.get("approvalState").asText());
    String requestId = order.get("requestId").asText();

    CliRun status = cli("request", "status", requestId);
    assertEquals(0, status.exit(), status.toString());
    assertTrue(
        status.out().startsWith("Request " + requestId + "  plan p1  pending/"), status.out());
    assertTrue(status.out().contains("plan [------------------------------]   0%"), status.out());
    assertTrue(status.out().contains("3 planned"), status.out());

    CliRun again = cli("plan", "run", "p1");
    assertEquals(4, again.exit(), "a plan with an open request: " + again);
    ordered = requestId;
  }

  private static String ordered;

  @Test
  @Order(7)
  void approvesAndWatchesTheRequestToItsEnd() {
    String requestId = ordered;
    CliRun approve = cli("request", "approve", requestId);
    assertEquals(0, approve.exit(), approve.toString());
    assertEquals("request " + requestId + " approved\n", approve.out());

    CliRun watch = cli("request", "status", requestId, "--watch", "--interval", "PT0.2S");
    assertEquals(0, watch.exit(), watch.toString());
    List<String> lines = watch.out().lines().toList();
    assertTrue(
        lines.get(0).startsWith("Request " + requestId + "  plan p1  approved/"), watch.out());
    assertTrue(
        lines.contains("  plan [##############################] 100%  3 completed"), watch.out());
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.matches("srv-0003\\s+completed\\s+-\\s+100%\\s+migrate-sim-.*")),
        watch.out());

    CliRun vm = cli("vm", "status", requestId, "srv-0002");
    assertEquals(0, vm.exit(), vm.toString());
    assertTrue(
        vm.out().startsWith("srv-0002  completed  [##############################] 100%"),
        vm.out());

    CliRun pause = cli("vm", "pause", requestId, "srv-0002");
    assertEquals(4, pause.exit(), "a finished migration takes no signal: " + pause);
    assertEquals(1, pause.err().lines().count(), pause.err());

    CliRun noVm = cli("vm", "status", requestId, "srv-0019");
    assertEquals(3, noVm.exit(), noVm.toString());
    assertEquals("error: request " + requestId + " has no VM 'srv-0019'\n", noVm.err());
  }

  @Test
  @Order(8)
  void watchingInJsonPrintsOneLinePerChange() throws IOException {
    CliRun run = cli("-o", "json", "request", "status", ordered, "--watch", "--interval", "PT0.1S");
    assertEquals(0, run.exit(), run.toString());
    List<String> lines = run.out().lines().toList();
    assertEquals(1, lines.size(), "a finished request does not change: " + run.out());
    JsonNode request = JSON.readTree(lines.get(0));
    assertEquals("finished", request.get("request_state").asText());
    assertEquals(3, request.get("tasks").size());
  }

  @Test
  @Order(9)
  void createsAPlanFromAFileWithOptionsOverriddenByFlags() throws IOException {
    Path file = dir.resolve("plan.yaml");
    Files.writeString(
        file,
        "name: from-file\nmapping: m1\noptions:\n  failurePolicy: hold\n  verify: true\n"
            + "vms:\n  - name: srv-0010\n  - name: srv-0011\n");
    CliRun create =
        cli("plan", "create", "--file", file.toString(), "--failure-policy", "rollback");
    assertEquals(0, create.exit(), create.toString());
    JsonNode plan = JSON.readTree(cli("-o", "json", "plan", "show", "from-file").out());
    assertEquals("ROLLBACK", plan.get("options").get("failurePolicy").asText());
    assertTrue(plan.get("options").get("verify").asBoolean());
    assertEquals(2, plan.get("vms").size());

    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "name: [unclosed\n");
    CliRun bad = cli("plan", "create", "--file", broken.toString());
    assertEquals(2, bad.exit(), bad.toString());
    assertTrue(bad.err().startsWith("error: " + broken + ": malformed YAML: "), bad.err());
  }

  /**
   * One VM whose relocate vCenter keeps failing and one held by a blocking precheck (a lock of
   * another migration): {@code vm status} shows the retried action's attempt and failure while the
   * VM is still RUNNING, then the findings and the commands; {@code --watch} ends with exit code 6
   * once both wait for an operator, listing why and what to run.
   */
  @Test
  @Order(10)
  void showsARetriedActionAndEndsTheWatchWhenEveryVmIsHeld() throws Exception {
    SimulatedVsphere sim = server.context().getBean(SimulatedVsphere.class);
    VmInfo failing = sim.inventory().vmByName("srv-0005").orElseThrow();
    VmInfo locked = sim.inventory().vmByName("srv-0006").orElseThrow();
    for (int i = 0; i < 20; i++) {
      sim.failTask(
          "relocate",
          failing.id(),
          57,
          new VsphereException.Transient(
              "SystemError", "A general system error occurred: simulated vMotion failure"));
    }
    sim.setCustomValue(locked.id(), MigrationAttributes.LOCK, "migrate-sim-someone-else");
    CliRun create =
        cli(
            "plan",
            "create",
            "--name",
            "held",
            "--mapping",
            "m1",
            "--vm",
            "srv-0005",
            "--vm",
            "srv-0006");
    assertEquals(0, create.exit(), create.toString());

    CompletableFuture<CliRun> watch =
        CompletableFuture.supplyAsync(
            () -> cli("plan", "run", "held", "--watch", "--interval", "PT0.2S"));
    String requestId = null;
    while (requestId == null || requestId.isEmpty()) {
      Thread.sleep(200);
      requestId =
          JSON.readTree(cli("-o", "json", "plan", "show", "held").out())
              .path("vms")
              .get(0)
              .path("requestId")
              .asText(null);
    }

    CliRun retried =
        awaitVmStatus(requestId, "srv-0005", "action     InitiateSource, attempt [2-9]");
    System.out.println("vm status of a VM being retried:\n" + retried.out());
    assertTrue(retried.out().startsWith("srv-0005  RUNNING"), retried.out());
    assertTrue(retried.out().contains("simulated vMotion failure"), retried.out());

    CliRun held = awaitVmStatus(requestId, "srv-0006", "finding    BLOCKING VM_LOCKED");
    System.out.println("vm status of a VM held by a blocking precheck:\n" + held.out());
    assertTrue(held.out().startsWith("srv-0006  FAILED_WAITING"), held.out());
    assertTrue(
        held.out().contains("next       vmigrate vm resume " + requestId + " " + locked.id()),
        held.out());

    CliRun ended = watch.get(120, TimeUnit.SECONDS);
    System.out.println("plan run --watch:\n" + ended.out());
    assertEquals(6, ended.exit(), ended.toString());
    assertTrue(ended.out().contains("Waiting for an operator:"), ended.out());
    for (VmInfo vm : List.of(failing, locked)) {
      for (String signal : List.of("resume", "rollback")) {
        String command = "vmigrate vm " + signal + " " + requestId + " " + vm.id();
        assertTrue(ended.out().contains("    " + command + "\n"), command + " in " + ended.out());
      }
    }
    assertTrue(ended.out().contains("failed: InitiateSource failed: "), ended.out());

    sim.clearFaults();
    for (String vm : List.of("srv-0005", "srv-0006")) {
      assertEquals(0, cli("vm", "rollback", requestId, vm).exit());
    }
    CliRun done = cli("request", "status", requestId, "--watch", "--interval", "PT0.2S");
    assertEquals(0, done.exit(), done.toString());
  }

  /** Polls {@code vm status} until its output has a line matching the pattern. */
  private static CliRun awaitVmStatus(String requestId, String vm, String pattern)
      throws InterruptedException {
    Pattern wanted = Pattern.compile(pattern);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    CliRun run;
    do {
      Thread.sleep(200);
      run = cli("vm", "status", requestId, vm);
    } while (!wanted.matcher(run.out()).find() && System.nanoTime() < deadline);
    assertTrue(wanted.matcher(run.out()).find(), pattern + " in " + run);
    return run;
  }
}

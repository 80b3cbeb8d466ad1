package dev.vmigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.server.AllInOneServer;
import dev.vmigrate.server.TestGateways;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    server = TestGateways.startServer("cli-test");
    api = server.apiUrl().toString();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static CliRun cli(String... args) {
    return CliRun.at(api, args);
  }

  @Test
  @Order(1)
  void registersAndListsAVcenter() throws IOException {
    CliRun add = cli(SimMapping.addVcenter());
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
    assertEquals(
        "error: url: plain http:// is allowed only to a loopback host (127.0.0.0/8, ::1,"
            + " localhost), not x; use https://\n",
        bad.err());

    // A loopback test endpoint (vcsim) is what the worker's configuration accepts too.
    CliRun local =
        cli(
            "vcenter",
            "add",
            "vcsim",
            "--url",
            "http://127.0.0.1:8989/sdk",
            "--credentials",
            "config:vcsim");
    assertEquals(0, local.exit(), local.toString());
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
    CliRun create = cli(SimMapping.create("m1"));
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

  // ---- listing and steering: plan list, request list|deny|pause|resume|cancel, vm list ----

  @Test
  @Order(10)
  void everyNewSubcommandHasHelp() {
    for (String[] c :
        new String[][] {
          {"plan", "list"},
          {"request", "list"},
          {"request", "deny"},
          {"request", "pause"},
          {"request", "resume"},
          {"request", "cancel"},
          {"vm", "list"}
        }) {
      CliRun help = CliRun.of(c[0], c[1], "--help");
      assertEquals(0, help.exit(), help.toString());
      assertTrue(help.out().startsWith("Usage: vmigrate " + c[0] + " " + c[1]), help.out());
    }
    assertTrue(CliRun.of("vm", "list", "--help").out().contains("--state=STATE"));
    assertTrue(CliRun.of("request", "pause", "-h").out().contains("--wait=DURATION"));
    CliRun noReason = cli("request", "deny", "r1");
    assertEquals(2, noReason.exit(), noReason.toString());
    assertTrue(noReason.err().contains("--reason"), noReason.err());
  }

  @Test
  @Order(11)
  void listsPlansAndRequests() throws IOException {
    CliRun plans = cli("plan", "list");
    assertEquals(0, plans.exit(), plans.toString());
    assertEquals(
        List.of("ID", "NAME", "MAPPING", "APPROVAL", "VMS"),
        List.of(plans.out().lines().findFirst().orElseThrow().split("\\s{2,}")));
    assertTrue(
        plans.out().lines().anyMatch(l -> l.matches("\\S+\\s+p1\\s+\\S+\\s+manual\\s+3")),
        plans.out());
    JsonNode planJson = JSON.readTree(cli("-o", "json", "plan", "list").out());
    assertTrue(planJson.findValuesAsText("name").containsAll(List.of("p1", "from-file")));

    CliRun requests = cli("request", "list");
    assertEquals(0, requests.exit(), requests.toString());
    assertTrue(
        requests
            .out()
            .lines()
            .anyMatch(
                l ->
                    l.matches(
                        ordered + "\\s+p1\\s+approved\\s+finished\\s+Ok\\s+3/3\\s+\\S+\\s+.*")),
        requests.out());
    JsonNode ofPlan = JSON.readTree(cli("-o", "json", "request", "list", "--plan", "p1").out());
    assertEquals(1, ofPlan.size());
    assertEquals(ordered, ofPlan.get(0).get("id").asText());

    CliRun noPlan = cli("request", "list", "--plan", "nope");
    assertEquals(3, noPlan.exit(), noPlan.toString());
    assertEquals("error: plan: no plan 'nope'\n", noPlan.err());
  }

  @Test
  @Order(12)
  void aNameWithEscapeSequencesPrintsVisiblyAndStaysRawInJson() throws IOException {
    String hostile = "clear\u001b[2Jbell\u0007";
    CliRun create = cli("plan", "create", "--name", hostile, "--mapping", "m1", "--vm", "srv-0017");
    assertEquals(0, create.exit(), create.toString());
    assertTrue(create.out().contains("clear\\e[2Jbell\\x07"), create.out());

    String id = null;
    for (JsonNode p : JSON.readTree(cli("-o", "json", "plan", "list").out())) {
      if (p.get("name").asText().equals(hostile)) {
        id = p.get("id").asText();
      }
    }
    assertTrue(id != null, "the JSON output carries the name as the server sent it");
    for (CliRun run : List.of(cli("plan", "list"), cli("plan", "show", id))) {
      assertEquals(0, run.exit(), run.toString());
      assertTrue(run.out().chars().noneMatch(c -> c == 0x1b || c == 0x07), run.out());
      assertTrue(run.out().contains("clear\\e[2Jbell\\x07"), run.out());
    }
  }

  /**
   * Creates a plan of mapping m1 with these options and VMs, orders it, and returns the request.
   */
  private static String orderNewPlan(String name, String... options) throws IOException {
    List<String> args = new java.util.ArrayList<>(List.of("plan", "create", "--name", name));
    args.addAll(List.of("--mapping", "m1"));
    args.addAll(List.of(options));
    CliRun create = cli(args.toArray(String[]::new));
    assertEquals(0, create.exit(), create.toString());
    return JSON.readTree(cli("-o", "json", "plan", "run", name).out()).get("requestId").asText();
  }

  @Test
  @Order(12)
  void deniesARequestThatWaitsForApproval() throws IOException {
    String requestId = orderNewPlan("p-deny", "--approval", "manual", "--vm", "srv-0012");

    CliRun deny = cli("request", "deny", requestId, "--reason", "change freeze");
    assertEquals(0, deny.exit(), deny.toString());
    assertEquals("request " + requestId + " denied: change freeze\n", deny.out());
    JsonNode r = JSON.readTree(cli("-o", "json", "request", "status", requestId).out());
    assertEquals("denied", r.get("approval_state").asText());
    assertEquals("finished", r.get("request_state").asText());

    CliRun again = cli("-o", "json", "request", "deny", requestId, "--reason", "twice");
    assertEquals(4, again.exit(), again.toString());
    assertTrue(again.err().startsWith("error: approval_state: request " + requestId), again.err());
    CliRun unknown = cli("request", "deny", "nope", "--reason", "x");
    assertEquals(3, unknown.exit(), unknown.toString());
    assertEquals("error: id: no request 'nope'\n", unknown.err());
  }

  private static String pausedRequest;

  @Test
  @Order(13)
  void aPausedRequestReadsPausedEverywhereAndActiveOnceResumed() throws Exception {
    String requestId = orderNewPlan("p-pause", "--verify", "--vm", "srv-0013", "--vm", "srv-0014");
    pausedRequest = requestId;

    CliRun pause = cli("request", "pause", requestId);
    assertEquals(0, pause.exit(), pause.toString());
    assertEquals("request " + requestId + " is paused\n", pause.out());
    CliRun status = cli("request", "status", requestId);
    assertTrue(
        status.out().startsWith("Request " + requestId + "  plan p-pause  approved/paused"),
        status.out());
    assertTrue(
        cli("request", "list", "--plan", "p-pause")
            .out()
            .lines()
            .anyMatch(
                l ->
                    l.matches(
                        requestId + "\\s+p-pause\\s+approved\\s+paused\\s+Ok\\s+.*paused: .*")),
        "request list");
    JsonNode api = JSON.readTree(cli("-o", "json", "request", "status", requestId).out());
    assertEquals("paused", api.get("request_state").asText());

    JsonNode resumed = JSON.readTree(cli("-o", "json", "request", "resume", requestId).out());
    assertEquals("resume", resumed.get("signal").asText());
    assertEquals("active", resumed.get("request_state").asText());
    assertTrue(
        cli("request", "status", requestId)
            .out()
            .startsWith("Request " + requestId + "  plan p-pause  approved/active"));
    assertTrue(
        cli("request", "list")
            .out()
            .lines()
            .anyMatch(
                l -> l.matches(requestId + "\\s+p-pause\\s+approved\\s+active\\s+.*resumed.*")),
        "request list");

    // A VM waiting in VERIFYING would ignore a pause: the migration's own validator refuses the
    // update at once, with its reason.
    awaitVmStatus(requestId, "srv-0013", "srv-0013  VERIFYING  ");
    CliRun ignored = cli("vm", "pause", requestId, "srv-0013");
    assertEquals(4, ignored.exit(), ignored.toString());
    assertEquals(
        "error: signal: VM 'srv-0013': pause refused: the migration is VERIFYING; pause applies to"
            + " a running migration\n",
        ignored.err());

    // Cancelling rolls back the migrations waiting in VERIFYING and finishes the request.
    CliRun cancel = cli("request", "cancel", requestId);
    assertEquals(0, cancel.exit(), cancel.toString());
    assertEquals("sent cancel to request " + requestId + "\n", cancel.out());
    CliRun watch = cli("request", "status", requestId, "--watch", "--interval", "PT0.2S");
    assertTrue(watch.out().contains("2 rolled_back"), watch.toString());
    JsonNode done = JSON.readTree(cli("-o", "json", "request", "status", requestId).out());
    assertEquals("finished", done.get("request_state").asText());

    CliRun late = cli("request", "pause", requestId);
    assertEquals(4, late.exit(), late.toString());
    assertTrue(late.err().startsWith("error: request_state: "), late.err());
    for (String signal : List.of("pause", "resume", "cancel")) {
      CliRun unknown = cli("request", signal, "nope");
      assertEquals(3, unknown.exit(), unknown.toString());
      assertEquals("error: id: no request 'nope'\n", unknown.err());
    }
  }

  @Test
  @Order(14)
  void listsVmsAcrossRequestsByStatePlanAndRequest() throws IOException {
    CliRun rolledBack = cli("vm", "list", "--state", "rolled_back", "--plan", "p-pause");
    assertEquals(0, rolledBack.exit(), rolledBack.toString());
    List<String> lines = rolledBack.out().lines().toList();
    assertEquals(
        List.of("REQUEST", "PLAN", "VM", "NAME", "STATE", "PROGRESS", "UPDATED", "MESSAGE"),
        List.of(lines.get(0).split("\\s{2,}")));
    assertEquals(3, lines.size(), rolledBack.out());
    assertTrue(
        lines
            .get(1)
            .matches(pausedRequest + "\\s+p-pause\\s+vm-\\S+\\s+srv-001[34]\\s+rolled_back\\s+.*"),
        rolledBack.out());

    JsonNode ofRequest = JSON.readTree(cli("-o", "json", "vm", "list", "--request", ordered).out());
    assertEquals(3, ofRequest.get("total").asInt());
    assertEquals(
        List.of("completed", "completed", "completed"), ofRequest.findValuesAsText("state"));

    CliRun several =
        cli("vm", "list", "--state", "completed,skipped", "--state", "rolled_back", "--limit", "2");
    assertEquals(0, several.exit(), several.toString());
    assertEquals(4, several.out().lines().count(), "header, 2 VMs, footer: " + several.out());
    assertTrue(several.out().endsWith("1-2 of 6 VMs; next page: --offset 2\n"), several.out());

    CliRun noRequest = cli("vm", "list", "--request", "nope");
    assertEquals(3, noRequest.exit(), noRequest.toString());
    assertEquals("error: request: no request 'nope'\n", noRequest.err());
    CliRun badState = cli("vm", "list", "--state", "lost");
    assertEquals(1, badState.exit(), badState.toString());
    assertTrue(
        badState.err().startsWith("error: state: 'lost' is not one of planned"), badState.err());
  }

  // ---- moving a VM again ----

  @Test
  @Order(30)
  void aMigratedVmIsSkippedUnlessOrderedAgainAndThenMovesBack() throws IOException {
    JsonNode start = vm("srv-0004");
    CliRun there = cli("plan", "create", "--name", "there", "--mapping", "m1", "--vm", "srv-0004");
    assertEquals(0, there.exit(), there.toString());
    String first = runToTheEnd("there");
    JsonNode moved = vm("srv-0004");
    assertTrue(!moved.get("cluster").equals(start.get("cluster")), moved.toString());
    assertTrue(
        moved.get("customValues").get("vmigrate.result").asText().startsWith("migrated "),
        moved.toString());

    CliRun back =
        cli(
            SimMapping.create(
                "m-back",
                "datastore-02=datastore-01",
                "datastore-03=datastore-02",
                "datastore-01=datastore-03"));
    assertEquals(0, back.exit(), back.toString());

    // Without the option the VM is skipped as before, naming its earlier migration.
    assertEquals(
        0,
        cli("plan", "create", "--name", "back-default", "--mapping", "m-back", "--vm", "srv-0004")
            .exit());
    String skippedRequest = runToTheEnd("back-default");
    JsonNode skipped = task(skippedRequest);
    assertEquals("skipped", skipped.get("state").asText());
    assertTrue(
        skipped.get("reason").asText().startsWith("already migrated (vmigrate.result: migrated "),
        skipped.toString());
    assertEquals(moved.get("cluster"), vm("srv-0004").get("cluster"), "not moved");

    // With the plan's option it moves back, as a repeat migration under a workflow id of its own.
    Path file = dir.resolve("back.yaml");
    Files.writeString(
        file,
        "name: back\nmapping: m-back\noptions:\n  remigrate: true\nvms:\n  - name: srv-0004\n");
    assertEquals(0, cli("plan", "create", "--file", file.toString()).exit());
    String repeat = runToTheEnd("back");
    JsonNode again = task(repeat);
    assertEquals("completed", again.get("state").asText(), again.toString());
    String firstMigration = task(first).get("migrationId").asText();
    assertEquals(firstMigration + "-" + repeat, again.get("migrationId").asText());
    assertTrue(
        again
            .get("reason")
            .asText()
            .startsWith(
                "repeat migration: ordered again with remigrate; migrated before by request "
                    + first
                    + " (migration "
                    + firstMigration
                    + "), vmigrate.result: migrated "
                    + firstMigration
                    + " "),
        again.toString());
    assertTrue(again.get("message").asText().startsWith("repeat migration: "), again.toString());
    CliRun status = cli("request", "status", repeat);
    assertTrue(
        status
            .out()
            .lines()
            .anyMatch(
                l ->
                    l.matches(
                        "srv-0004\\s+completed\\s+.*"
                            + firstMigration
                            + "-"
                            + repeat
                            + "\\s+repeat migration: .*")),
        status.out());
    CliRun vmStatus = cli("vm", "status", repeat, "srv-0004");
    assertTrue(
        vmStatus.out().contains("repeat migration: ordered again with remigrate; migrated before"),
        vmStatus.out());
    JsonNode home = vm("srv-0004");
    assertEquals(start.get("cluster"), home.get("cluster"), home.toString());
    assertEquals(datastores(start), datastores(home), home.toString());
    assertEquals(
        "migrated " + firstMigration + "-" + repeat,
        home.get("customValues").get("vmigrate.result").asText().replaceAll(" \\S+$", ""));
    assertTrue(
        home.get("customValues").path("vmigrate.lock").asText("").isEmpty(), home.toString());

    // The per-VM flag of an imported list does the same for one VM.
    assertEquals(0, cli("plan", "create", "--name", "hop", "--mapping", "m1").exit());
    Path csv = dir.resolve("hop.csv");
    Files.writeString(csv, "VM;remigrate\nsrv-0004;yes\n");
    assertEquals(0, cli("plan", "import", "hop", csv.toString()).exit());
    JsonNode hop = task(runToTheEnd("hop"));
    assertEquals("completed", hop.get("state").asText(), hop.toString());
    assertTrue(hop.get("reason").asText().contains("by request " + repeat), hop.toString());
    assertEquals(moved.get("cluster"), vm("srv-0004").get("cluster"));
  }

  /**
   * Creates a mapping within the simulated vCenter that swaps its two clusters, keeps every network
   * and moves disks as the datastore pairs say.
   */
  /** Orders a plan with automatic approval and waits for its request to finish. */
  private static String runToTheEnd(String plan) throws IOException {
    CliRun run = cli("-o", "json", "plan", "run", plan);
    assertEquals(0, run.exit(), run.toString());
    String requestId = JSON.readTree(run.out()).get("requestId").asText();
    CliRun watch = cli("request", "status", requestId, "--watch", "--interval", "PT0.2S");
    assertEquals(0, watch.exit(), watch.toString());
    return requestId;
  }

  private static JsonNode task(String requestId) throws IOException {
    JsonNode r = JSON.readTree(cli("-o", "json", "request", "status", requestId).out());
    assertEquals("finished", r.get("request_state").asText(), r.toString());
    return r.get("tasks").get(0);
  }

  private static JsonNode vm(String name) throws IOException {
    for (JsonNode vm : JSON.readTree(cli("-o", "json", "inventory", "list", "sim").out())) {
      if (vm.get("name").asText().equals(name)) {
        return vm;
      }
    }
    throw new AssertionError("no VM " + name);
  }

  private static List<String> datastores(JsonNode vm) {
    List<String> out = new java.util.ArrayList<>();
    vm.get("disks").forEach(d -> out.add(d.get("datastore").asText()));
    return out;
  }

  /**
   * One VM whose relocate vCenter keeps failing and one held by a blocking precheck (a lock of
   * another migration): {@code vm status} shows the retried action's attempt and failure while the
   * VM is still RUNNING, then the findings and the commands; {@code --watch} ends with exit code 6
   * once both wait for an operator, listing why and what to run.
   */
  @Test
  @Order(40)
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
    // Where it goes and why, as SelectDestination chose it.
    assertTrue(
        retried
            .out()
            .lines()
            .anyMatch(l -> l.matches("  host {7}esx-\\d\\d-\\d\\d \\(host-\\d+\\).*")),
        retried.out());
    assertTrue(
        retried
            .out()
            .lines()
            .anyMatch(
                l -> l.matches("  why {8}score -?\\d+\\.\\d \\(memory .*passed the filter.*")),
        retried.out());

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

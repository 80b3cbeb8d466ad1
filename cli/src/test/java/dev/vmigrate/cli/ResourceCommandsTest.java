package dev.vmigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.server.AllInOneServer;
import dev.vmigrate.server.TestGateways;
import java.io.IOException;
import java.util.Collections;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The resource commands that complete the API's create/read/update/delete in the CLI: {@code
 * vcenter show|update|delete}, {@code mapping list|update|delete}, {@code plan update|delete},
 * against a real all-in-one server.
 */
class ResourceCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String THUMBPRINT = String.join(":", Collections.nCopies(32, "AB"));
  private static AllInOneServer server;

  @BeforeAll
  static void start() throws IOException {
    server = TestGateways.startServer("resource-commands");
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

  private static JsonNode json(String... args) throws IOException {
    String[] all = new String[args.length + 2];
    all[0] = "-o";
    all[1] = "json";
    System.arraycopy(args, 0, all, 2, args.length);
    CliRun run = cli(all);
    assertEquals(0, run.exit(), run.toString());
    return JSON.readTree(run.out());
  }

  @Test
  void aVcenterIsShownUpdatedAndDeleted() throws IOException {
    CliRun add =
        cli(
            "vcenter",
            "add",
            "vc9",
            "--url",
            "https://vc9.invalid/sdk",
            "--credentials",
            "config:a");
    assertEquals(0, add.exit(), add.toString());

    CliRun show = cli("vcenter", "show", "vc9");
    assertEquals(0, show.exit(), show.toString());
    assertTrue(show.out().contains("url          https://vc9.invalid/sdk"), show.out());
    assertTrue(show.out().contains("credentials  config:a"), show.out());

    CliRun update =
        cli(
            "vcenter",
            "update",
            "vc9",
            "--url",
            "https://vc9b.invalid/sdk",
            "--credentials",
            "config:b",
            "--thumbprint",
            THUMBPRINT);
    assertEquals(0, update.exit(), update.toString());
    JsonNode v = json("vcenter", "show", "vc9");
    assertEquals("https://vc9b.invalid/sdk", v.get("url").asText());
    assertEquals("config:b", v.get("credentialsRef").asText());
    assertEquals(THUMBPRINT, v.get("thumbprint").asText());

    CliRun delete = cli("vcenter", "delete", "vc9");
    assertEquals(0, delete.exit(), delete.toString());
    assertEquals("vCenter vc9 deleted\n", delete.out());
    CliRun gone = cli("vcenter", "show", "vc9");
    assertEquals(3, gone.exit(), gone.toString());
  }

  @Test
  void aMappingIsListedUpdatedAndDeletedUnlessAPlanUsesIt() throws IOException {
    CliRun create =
        cli(
            "mapping",
            "create",
            "--name",
            "m-upd",
            "--source",
            "sim",
            "--destination",
            "sim",
            "--cluster",
            "cluster-01=cluster-02",
            "--datastore",
            "ds-01=ds-02");
    assertEquals(0, create.exit(), create.toString());

    CliRun list = cli("mapping", "list");
    assertTrue(
        list.out().lines().anyMatch(l -> l.matches("\\S+\\s+m-upd\\s+sim\\s+sim\\s+1\\s+1\\s+0")),
        list.out());

    // Only what is given changes: the cluster stays, the datastores are replaced.
    CliRun update = cli("mapping", "update", "m-upd", "--datastore", "ds-01=ds-03");
    assertEquals(0, update.exit(), update.toString());
    assertTrue(update.out().startsWith("mapping m-upd updated (id "), update.out());
    JsonNode m = json("mapping", "show", "m-upd");
    assertEquals("cluster-02", m.at("/clusters/0/destination").asText());
    assertEquals("ds-03", m.at("/datastores/ds-01").asText());

    CliRun plan =
        cli("plan", "create", "--name", "p-uses-m", "--mapping", "m-upd", "--approval", "manual");
    assertEquals(0, plan.exit(), plan.toString());
    CliRun refused = cli("mapping", "delete", "m-upd");
    assertEquals(4, refused.exit(), refused.toString());
    assertTrue(refused.err().contains("p-uses-m") || refused.err().contains("plan"), refused.err());

    assertEquals(0, cli("plan", "delete", "p-uses-m").exit());
    CliRun deleted = cli("mapping", "delete", "m-upd");
    assertEquals(0, deleted.exit(), deleted.toString());
    assertEquals("mapping m-upd deleted\n", deleted.out());
  }

  @Test
  void aPlanIsUpdatedInPlaceAndKeepsItsVmsUnlessGivenNewOnes() throws IOException {
    assertEquals(0, cli(SimMapping.create("m-plan")).exit());
    CliRun create =
        cli(
            "plan",
            "create",
            "--name",
            "p-upd",
            "--mapping",
            "m-plan",
            "--vm",
            "srv-0001",
            "--vm",
            "srv-0003");
    assertEquals(0, create.exit(), create.toString());

    CliRun update = cli("plan", "update", "p-upd", "--approval", "manual", "--type", "cold");
    assertEquals(0, update.exit(), update.toString());
    assertTrue(update.out().startsWith("plan p-upd updated (id "), update.out());
    JsonNode p = json("plan", "show", "p-upd");
    assertEquals("manual", p.get("approvalPolicy").asText());
    assertEquals("cold", p.at("/options/migrationType").asText().toLowerCase());
    assertEquals(2, p.get("vms").size(), p.toString());

    assertEquals(0, cli("plan", "update", "p-upd", "--vm", "srv-0005").exit());
    p = json("plan", "show", "p-upd");
    assertEquals(1, p.get("vms").size(), p.toString());
    assertEquals("srv-0005", p.at("/vms/0/name").asText());

    CliRun missing = cli("plan", "update", "no-such-plan", "--approval", "auto");
    assertEquals(3, missing.exit(), missing.toString());
    assertEquals(0, cli("plan", "delete", "p-upd").exit());
    assertEquals(3, cli("plan", "show", "p-upd").exit());
  }

  @Test
  void aPlanChoosesTheFifoAdmissionPolicyAndGoesBackToVmigrates() throws IOException {
    assertEquals(0, cli(SimMapping.create("m-fifo")).exit());
    CliRun create =
        cli(
            "plan",
            "create",
            "--name",
            "p-fifo",
            "--mapping",
            "m-fifo",
            "--vm",
            "srv-0002",
            "--admission-policy",
            "fifo",
            "--fifo-throttle",
            "4");
    assertEquals(0, create.exit(), create.toString());
    JsonNode p = json("plan", "show", "p-fifo");
    assertEquals("fifo", p.at("/options/admissionPolicy").asText());
    assertEquals(4, p.at("/options/fifoThrottle").asInt());
    CliRun show = cli("plan", "show", "p-fifo");
    assertTrue(
        show.out()
            .lines()
            .anyMatch(l -> l.matches("Options: .*admissionPolicy=fifo, fifoThrottle=4.*")),
        show.out());

    // The throttle changes alone; the policy stays.
    assertEquals(0, cli("plan", "update", "p-fifo", "--fifo-throttle", "2").exit());
    assertEquals(2, json("plan", "show", "p-fifo").at("/options/fifoThrottle").asInt());

    // Back to vmigrate's policy: the throttle goes with fifo.
    CliRun back = cli("plan", "update", "p-fifo", "--admission-policy", "vmigrate");
    assertEquals(0, back.exit(), back.toString());
    p = json("plan", "show", "p-fifo");
    assertEquals("vmigrate", p.at("/options/admissionPolicy").asText());
    assertTrue(p.at("/options/fifoThrottle").isMissingNode(), p.toString());

    // The API names what is wrong: a throttle without fifo, fifo without a throttle.
    CliRun stray = cli("plan", "update", "p-fifo", "--fifo-throttle", "8");
    assertEquals(1, stray.exit(), stray.toString());
    assertTrue(stray.err().contains("options.fifoThrottle"), stray.err());
    CliRun bare =
        cli(
            "plan",
            "create",
            "--name",
            "p-fifo-bare",
            "--mapping",
            "m-fifo",
            "--admission-policy",
            "fifo");
    assertEquals(1, bare.exit(), bare.toString());
    assertTrue(bare.err().contains("options.fifoThrottle: required"), bare.err());
    assertEquals(0, cli("plan", "delete", "p-fifo").exit());
  }

  @Test
  void aPlanIsOrderedOnceAtATimeAndArchivedWhenDeletedAfterItsRequests() throws IOException {
    assertEquals(0, cli(SimMapping.create("m-order")).exit());
    CliRun create =
        cli(
            "plan",
            "create",
            "--name",
            "p-order",
            "--mapping",
            "m-order",
            "--approval",
            "manual",
            "--vm",
            "srv-0007");
    assertEquals(0, create.exit(), create.toString());

    // A key makes a retried run answer the first run's request.
    String first =
        json("plan", "run", "p-order", "--idempotency-key", "change-4711")
            .get("requestId")
            .asText();
    assertEquals(
        first,
        json("plan", "run", "p-order", "--idempotency-key", "change-4711")
            .get("requestId")
            .asText());
    CliRun again = cli("plan", "run", "p-order");
    assertEquals(4, again.exit(), again.toString());
    assertTrue(again.err().contains("has open request " + first), again.err());

    // Another request while one is open only when asked for (and for VMs that are free).
    assertEquals(0, cli("plan", "update", "p-order", "--vm", "srv-0008").exit());
    CliRun concurrent = cli("-o", "json", "plan", "run", "p-order", "--allow-concurrent");
    assertEquals(0, concurrent.exit(), concurrent.toString());
    String second = JSON.readTree(concurrent.out()).get("requestId").asText();
    assertTrue(!second.equals(first));

    CliRun open = cli("plan", "delete", "p-order");
    assertEquals(4, open.exit(), open.toString());
    assertEquals(0, cli("request", "deny", first, "--reason", "test").exit());
    assertEquals(0, cli("request", "deny", second, "--reason", "test").exit());

    // Deleted after it was ordered, the plan is archived: its requests stay readable.
    CliRun archived = cli("plan", "delete", "p-order");
    assertEquals(0, archived.exit(), archived.toString());
    assertTrue(archived.out().startsWith("plan p-order archived: it has requests"), archived.out());
    assertTrue(cli("plan", "list").out().lines().noneMatch(l -> l.contains("p-order")));
    CliRun all = cli("plan", "list", "--archived");
    assertTrue(all.out().lines().findFirst().orElseThrow().endsWith("ARCHIVED"), all.out());
    assertTrue(
        all.out().lines().anyMatch(l -> l.matches("\\S+\\s+p-order\\s+.*\\s+\\d{4}-.*")),
        all.out());
    assertTrue(cli("plan", "show", "p-order").out().contains("Archived "));
    assertEquals(2, json("request", "list", "--plan", "p-order").size());
    assertEquals(0, cli("request", "status", first).exit());
    CliRun refused = cli("plan", "run", "p-order");
    assertEquals(4, refused.exit(), refused.toString());
    assertTrue(refused.err().contains("is archived"), refused.err());
  }
}

package dev.vmigrate.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a request's JSON becomes progress bars and lines. */
class RequestViewTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode request(String tasks) throws Exception {
    return JSON.readTree(
        "{\"id\":\"r1\",\"planName\":\"p\",\"approval_state\":\"approved\","
            + "\"request_state\":\"active\",\"tasks\":["
            + tasks
            + "]}");
  }

  private static String task(String name, String state, String live, int percent) {
    return "{\"vmId\":\"vm-"
        + name
        + "\",\"name\":\""
        + name
        + "\",\"state\":\""
        + state
        + "\""
        + (live == null ? "" : ",\"migrationState\":\"" + live + "\"")
        + ",\"message\":\"copy failed\",\"progress\":{\"vm_migrate\":"
        + percent
        + ",\"disk_migrate\":0}}";
  }

  @Test
  void barsAreProportionalAndClamped() {
    assertEquals("[----------]   0%", ProgressBar.render(0, 10));
    assertEquals("[#####-----]  50%", ProgressBar.render(50, 10));
    assertEquals("[##########] 100%", ProgressBar.render(140, 10));
    assertEquals("[----------]   0%", ProgressBar.render(-3, 10));
  }

  @Test
  void planPercentCountsFinishedVmsAsDoneAndLeavesSkippedOut() throws Exception {
    JsonNode r =
        request(
            String.join(
                ",",
                task("a", "completed", null, 100),
                task("b", "started", "RUNNING", 50),
                task("c", "failed", null, 20),
                task("d", "skipped", null, 0),
                task("e", "approved", null, 0)));
    assertEquals((100 + 50 + 100 + 0) / 4, RequestView.percent(r));
    assertFalse(RequestView.finished(r));
    assertEquals("1 approved, 1 started, 1 completed, 1 failed, 1 skipped", RequestView.counts(r));
  }

  @Test
  void aLinePerActiveVmWithTheMessageWhenItIsNotRunning() throws Exception {
    JsonNode r =
        request(
            String.join(
                ",",
                task("a", "completed", null, 100),
                task("b", "started", "RUNNING", 50),
                task("c", "started", "FAILED_WAITING", 30)));
    List<String> lines = RequestView.lines(r);
    assertEquals(4, lines.size(), String.join("\n", lines));
    assertEquals("Request r1  plan p  approved/active", lines.get(0));
    assertTrue(
        lines.get(1).equals("  plan [##################------------]  60%  2 started, 1 completed"),
        lines.get(1));
    assertEquals("  b                        [##########----------]  50%  RUNNING", lines.get(2));
    assertEquals(
        "  c                        [######--------------]  30%  FAILED_WAITING copy failed",
        lines.get(3));
  }

  @Test
  void finishedWhenEveryVmIsFinal() throws Exception {
    assertTrue(
        RequestView.finished(
            request(task("a", "completed", null, 100) + "," + task("b", "rolled_back", null, 0))));
  }

  @Test
  void tablesPadColumnsAndShowMissingCellsAsDash() {
    StringWriter s = new StringWriter();
    new Table("ID", "NAME").row("vm-1", null).row("vm-1000", "srv").print(new PrintWriter(s));
    assertEquals("ID       NAME\nvm-1     -\nvm-1000  srv\n", s.toString());
  }

  private static String withLive(String task, String live) {
    return task.substring(0, task.length() - 1) + ",\"live\":" + live + "}";
  }

  @Test
  void aRequestIsHeldOnlyWhenEveryVmIsFinishedOrWaitsForAnOperator() throws Exception {
    String held =
        withLive(
            task("a", "started", "FAILED_WAITING", 30),
            "{\"state\":\"FAILED_WAITING\",\"held\":\"failed: InitiateSource failed: x\","
                + "\"nextCommands\":[\"vmigrate vm resume r1 vm-a\",\"vmigrate vm rollback r1 vm-a\"]}");
    String retried =
        withLive(
            task("b", "started", "RUNNING", 40),
            "{\"state\":\"RUNNING\",\"pendingAction\":{\"action\":\"InitiateSource\","
                + "\"attempt\":2,\"lastFailure\":\"SystemError: boom\"}}");
    JsonNode heldAndDone = request(held + "," + task("c", "completed", null, 100));
    assertTrue(RequestView.held(heldAndDone));
    assertFalse(RequestView.held(request(held + "," + retried)), "b still runs");
    assertFalse(RequestView.held(request(task("c", "completed", null, 100))), "nothing held");

    StringWriter out = new StringWriter();
    RequestView.heldVms(heldAndDone, new PrintWriter(out, true));
    assertEquals(
        List.of(
            "Waiting for an operator:",
            "  a (vm-a): failed: InitiateSource failed: x",
            "    vmigrate vm resume r1 vm-a",
            "    vmigrate vm rollback r1 vm-a"),
        out.toString().lines().toList());

    assertTrue(
        RequestView.lines(request(retried))
            .get(2)
            .endsWith("RUNNING        InitiateSource attempt 2: SystemError: boom"),
        RequestView.lines(request(retried)).toString());
  }

  @Test
  void aVmWhoseLiveStateWasNotReadSaysSoInsteadOfAPercentage() throws Exception {
    // The ledger last recorded 63% while the live state could not be read.
    String stale =
        task("a", "started", null, 63)
            .replaceFirst(
                "}$",
                ",\"liveUnavailable\":{\"reason\":\"no worker polls task queue vmigrate-src\","
                    + "\"since\":\"2026-12-07T21:00:00Z\"}}");
    JsonNode r = request(stale);
    List<String> lines = RequestView.lines(r);
    assertEquals(
        "  a                        live state unavailable since 2026-12-07T21:00:00Z: no worker"
            + " polls task queue vmigrate-src (last recorded 63%)",
        lines.get(2));
    assertFalse(lines.get(2).contains("["), "no progress bar shown as current");
    assertEquals(
        "a: live state unavailable since 2026-12-07T21:00:00Z: no worker polls task queue"
            + " vmigrate-src",
        RequestView.firstUnavailable(r));
    assertEquals(null, RequestView.firstUnavailable(request(task("b", "started", "RUNNING", 50))));
  }
}

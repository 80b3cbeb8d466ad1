package dev.vmigrate.request;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vmigrate.model.VmOrder;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The request's Markdown and summary, for the states the end-to-end pin does not reach. */
class RequestDetailsTest {

  private static String header(String state, int percent, String row) {
    return "## Request r1 (plan plan-a)\n\n**"
        + state
        + "**, "
        + percent
        + "% done\n\n"
        + list(row);
  }

  /** The counts list from a row "queued | started | completed | failed | rolled back | skipped". */
  private static String list(String row) {
    String[] n = row.split(" \\| ");
    return "- queued: "
        + n[0]
        + "\n- started, not finished: "
        + n[1]
        + "\n- completed: "
        + n[2]
        + "\n- failed: "
        + n[3]
        + "\n- rolled back: "
        + n[4]
        + "\n- skipped: "
        + n[5]
        + "\n\n";
  }

  private static String names(List<VmOrder> orders) {
    return orders.stream()
        .map(o -> o.name() + " on " + o.sourceHost())
        .collect(Collectors.joining(", "));
  }

  @Test
  void namesTenRunningVmsAndElidesTheRest() {
    PlanRequestState s = PlanRequestStateTest.state(14);
    List<VmOrder> running =
        PlanRequestStateTest.loadAndAdmit(s, PlanRequestStateTest.orders(14), 12);
    assertEquals(
        header("active", 0, "2 | 12 | 0 | 0 | 0 | 0")
            + "**Started, not finished** (12): "
            + names(running.subList(0, 10))
            + ", ...\n\n"
            + "**Next:** 2 VMs wait for admission.",
        RequestDetails.markdown("r1", "plan-a", s));
  }

  @Test
  void aCancelledRequestWaitsForRollBacksAndSaysHowManyNeverStarted() {
    PlanRequestState s = PlanRequestStateTest.state(5);
    List<VmOrder> running = PlanRequestStateTest.loadAndAdmit(s, PlanRequestStateTest.orders(5), 2);
    PlanRequestStateTest.settle(s, running.get(0), VmTaskState.ROLLED_BACK);
    s.cancel();
    s.cancelQueued();
    assertEquals(
        header("cancelling", 20, "3 | 1 | 0 | 0 | 1 | 0")
            + "**Started, not finished** (1): "
            + names(running.subList(1, 2))
            + "\n\n**Next:** waiting for running migrations to roll back.",
        RequestDetails.markdown("r1", "plan-a", s));

    PlanRequestStateTest.settle(s, running.get(1), VmTaskState.ROLLED_BACK);
    assertEquals(
        "0 completed, 0 failed, 2 rolled back, 0 skipped, cancelled with 3 not started",
        RequestDetails.summary(s));
    // Rolled back because an operator cancelled: a warning, not an error of the migrations.
    assertEquals("Warn", RequestDetails.status(s));
  }

  @Test
  void aDrainingRunSaysItContinuesAsNew() {
    PlanRequestState s = PlanRequestStateTest.state(2);
    s.startDraining();
    assertEquals(
        header("active", 0, "2 | 0 | 0 | 0 | 0 | 0")
            + "**Next:** continuing as new to keep the history short.",
        RequestDetails.markdown("r1", "plan-a", s));
  }

  @Test
  void statusIsOkOnlyWhenEveryVmMigratedAndWarnWhenSomeDid() {
    PlanRequestState s = PlanRequestStateTest.state(2);
    List<VmOrder> running = PlanRequestStateTest.loadAndAdmit(s, PlanRequestStateTest.orders(2), 2);
    PlanRequestStateTest.settle(s, running.get(0), VmTaskState.COMPLETED);
    PlanRequestStateTest.settle(s, running.get(1), VmTaskState.SKIPPED);
    assertEquals("Warn", RequestDetails.status(s));
    assertEquals("1 completed, 0 failed, 0 rolled back, 1 skipped", RequestDetails.summary(s));

    PlanRequestState all = PlanRequestStateTest.state(1);
    running = PlanRequestStateTest.loadAndAdmit(all, PlanRequestStateTest.orders(1), 1);
    PlanRequestStateTest.settle(all, running.get(0), VmTaskState.COMPLETED);
    assertEquals("Ok", RequestDetails.status(all));
    assertEquals("Ok", RequestDetails.status(PlanRequestStateTest.state(0)));
  }
}

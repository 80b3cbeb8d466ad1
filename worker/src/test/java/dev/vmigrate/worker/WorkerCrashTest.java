package dev.vmigrate.worker;

import static dev.vmigrate.worker.MigrationHarness.GIB;
import static dev.vmigrate.worker.MigrationHarness.options;
import static dev.vmigrate.worker.MigrationHarness.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.VmInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The attempt that submitted the relocate dies while following it (here: it loses vCenter on its
 * first poll of the task); the next attempt must re-attach to the running vCenter task through the
 * heartbeat details instead of submitting a second relocate.
 */
class WorkerCrashTest {

  @Test
  void attemptLostAfterRelocateWasSubmittedCausesNoSecondRelocate() {
    // 50 GiB at 25 GiB/s: the relocate runs for about two seconds of real time, so the retry,
    // which Temporal's test server schedules at once, finds the task still running.
    try (MigrationHarness h =
        new MigrationHarness(MigrationHarness.inventory().bandwidth(25 * GIB))) {
      VmInfo before = h.vm("web01");
      h.vc.failNext("task", 1);

      MigrationResult r = result(h.start("web01", options(MigrationType.AUTO, FailurePolicy.HOLD)));

      assertEquals(MigrationState.COMPLETED, r.state());
      assertEquals(2, h.faults.calls("InitiateSource"), "a second attempt ran");
      assertEquals(1, h.vc.calls("relocate", before.id()), "exactly one relocate");
      h.assertAtDestination(before);
      // The retry must have followed the dead attempt's task to its end, not found the VM moved
      // already (which would leave the re-attach untested) nor started a second relocate.
      List<TaskInfo> relocates =
          h.vc.recentTasks(before.id()).stream()
              .filter(t -> TaskInfo.RELOCATE.equals(t.operation()))
              .toList();
      assertEquals(1, relocates.size(), "one relocate task in vCenter: " + relocates);
      List<Object> outcomes = h.faults.results("InitiateSource");
      assertEquals(1, outcomes.size(), "only the retry returned: " + outcomes);
      ActionOutcome retried = (ActionOutcome) outcomes.get(0);
      assertTrue(retried.changed(), "the retry did the move: " + retried.summary());
      assertTrue(
          retried.summary().contains(relocates.get(0).ref().id()),
          "the retry followed " + relocates.get(0).ref().id() + ": " + retried.summary());
    }
  }
}

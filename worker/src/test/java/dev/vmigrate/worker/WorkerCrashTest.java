package dev.vmigrate.worker;

import static dev.vmigrate.worker.MigrationHarness.GIB;
import static dev.vmigrate.worker.MigrationHarness.options;
import static dev.vmigrate.worker.MigrationHarness.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.vsphere.VmInfo;
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
    }
  }
}

package dev.vmigrate.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.activity.ActivityNames;
import dev.vmigrate.activity.impl.ActivitySettings;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * How long a relocate that vCenter fails on every attempt (a SystemError task) keeps a hot
 * migration RUNNING before it holds in FAILED_WAITING: with the data movers' own retry policy alone
 * (the baseline: ten attempts, backoff up to two minutes) and with the cap on attempts whose task
 * vCenter failed. Times are the test server's clock, from InitiateSource's scheduling to the
 * failure the workflow holds on, and printed side by side.
 */
class TaskFaultHoldTest {

  @Test
  void aRelocateThatVcenterFailsEveryTimeHoldsWithinSeconds() {
    Duration before = timeToHold(MigrationHarness.FAST.withTaskFaultAttempts(0), 10);
    Duration after = timeToHold(MigrationHarness.FAST, ActivitySettings.TASK_FAULT_ATTEMPTS);
    System.out.printf(
        "permanent relocate fault -> FAILED_WAITING: before %d s (retry policy only), after %d s"
            + " (task fault cap %d attempts)%n",
        before.toSeconds(), after.toSeconds(), ActivitySettings.TASK_FAULT_ATTEMPTS);
    assertTrue(after.compareTo(Duration.ofSeconds(60)) < 0, "held after " + after);
    assertTrue(before.compareTo(after.multipliedBy(10)) > 0, before + " vs " + after);
  }

  /**
   * Runs web01's hot move with every relocate task failing; the time InitiateSource took to fail.
   */
  private static Duration timeToHold(ActivitySettings settings, int expectedAttempts) {
    try (MigrationHarness h = new MigrationHarness(MigrationHarness.inventory(), settings)) {
      String vm = h.vm("web01").id();
      for (int i = 0; i < 20; i++) {
        h.vc.failTask(
            "relocate",
            vm,
            57,
            new VsphereException.Transient(
                "SystemError", "A general system error occurred: simulated vMotion failure"));
      }
      VmMigrationWorkflow wf =
          h.start("web01", MigrationHarness.options(MigrationType.HOT, FailurePolicy.HOLD));
      MigrationStatus held = wf.status();
      // Seconds of the test server's clock at a time: the baseline's backoff reaches two minutes.
      for (int i = 0; i < 1200 && held.state() != MigrationState.FAILED_WAITING; i++) {
        h.env.sleep(Duration.ofSeconds(1));
        held = wf.status();
      }
      assertEquals(MigrationState.FAILED_WAITING, held.state(), held::toString);
      assertEquals(ActivityNames.INITIATE_SOURCE, held.currentAction().activityName());
      assertTrue(held.lastError().contains("simulated vMotion failure"), held.lastError());
      assertEquals(expectedAttempts, h.faults.calls(ActivityNames.INITIATE_SOURCE));
      Instant scheduled = null;
      Instant failed = null;
      for (HistoryEvent e : h.history(wf).getEvents()) {
        if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
            && e.getActivityTaskScheduledEventAttributes()
                .getActivityType()
                .getName()
                .equals(ActivityNames.INITIATE_SOURCE)) {
          scheduled = instant(e);
        }
        if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED) {
          failed = instant(e);
        }
      }
      return Duration.between(scheduled, failed);
    }
  }

  private static Instant instant(HistoryEvent e) {
    return Instant.ofEpochSecond(e.getEventTime().getSeconds(), e.getEventTime().getNanos());
  }
}

package dev.vmigrate.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.activity.ActivityNames;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A relocate that vCenter fails on every attempt, run by real activities on a worker with {@link
 * AttemptReports}: while Temporal retries InitiateSource, the migration's details (what the
 * Temporal UI shows) say which attempt failed and why; once the attempts run out it holds and the
 * retry line gives way to the last error.
 */
class AttemptReportsTest {

  @Test
  void theDetailsShowEachRetriedAttemptOfTheRunningActionAndItsFailure() {
    try (MigrationHarness h = new MigrationHarness()) {
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

      List<String> retryLines = new ArrayList<>();
      MigrationStatus s = wf.status();
      for (int i = 0; i < 600 && s.state() != MigrationState.FAILED_WAITING; i++) {
        String md = details(wf);
        int at = md.indexOf("**Retrying:**");
        if (at >= 0) {
          String line = md.substring(at, md.indexOf('\n', at));
          if (!retryLines.contains(line)) {
            retryLines.add(line);
          }
        }
        h.env.sleep(Duration.ofMillis(500));
        s = wf.status();
      }

      assertEquals(MigrationState.FAILED_WAITING, s.state(), s::toString);
      int attempts = h.faults.calls(ActivityNames.INITIATE_SOURCE);
      assertTrue(attempts >= 2, "attempts " + attempts);
      assertFalse(retryLines.isEmpty(), "no retry was ever shown");
      for (String line : retryLines) {
        assertTrue(line.startsWith("**Retrying:** InitiateSource attempt "), line);
        assertTrue(line.contains("simulated vMotion failure"), line);
      }
      // The first retry shown is the first attempt's failure: nothing is lost before it.
      assertTrue(
          retryLines.get(0).startsWith("**Retrying:** InitiateSource attempt 1 "),
          retryLines.get(0));
      String held = details(wf);
      assertFalse(held.contains("**Retrying:**"), held);
      assertTrue(held.contains("**Last error:** InitiateSource failed"), held);
      System.out.printf(
          "InitiateSource: %d attempts, %d distinct retry lines shown: %s%n",
          attempts, retryLines.size(), retryLines);
    }
  }

  private static String details(VmMigrationWorkflow wf) {
    return WorkflowStub.fromTyped(wf)
        .query("__temporal_workflow_metadata", WorkflowMetadata.class)
        .getCurrentDetails();
  }
}

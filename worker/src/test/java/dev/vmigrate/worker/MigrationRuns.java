package dev.vmigrate.worker;

import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;

/** Waiting on VM migrations in the Temporal test environment; shared by the test harnesses. */
final class MigrationRuns {
  private MigrationRuns() {}

  static MigrationResult result(VmMigrationWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(MigrationResult.class);
  }

  /** Polls the status query, letting the test server's clock run, until the state is reached. */
  static MigrationStatus awaitState(
      TestWorkflowEnvironment env, VmMigrationWorkflow wf, MigrationState wanted) {
    MigrationStatus s = null;
    for (int i = 0; i < 600; i++) {
      s = wf.status();
      if (s.state() == wanted) {
        return s;
      }
      env.sleep(Duration.ofMillis(50));
    }
    throw new AssertionError("never reached " + wanted + "; last status " + s);
  }
}

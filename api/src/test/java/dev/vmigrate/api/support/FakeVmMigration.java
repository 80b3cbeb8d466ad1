package dev.vmigrate.api.support;

import dev.vmigrate.model.DiskProgress;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * A VM migration that sits in VERIFYING at 60% (disk 40%) until the API sends {@code confirm} or
 * {@code rollback}; {@code pause} and {@code resume} toggle PAUSED. Enough to test the API's
 * signals and live status.
 */
public class FakeVmMigration implements VmMigrationWorkflow {
  private MigrationState state = MigrationState.VERIFYING;
  private boolean decided;

  @Override
  public MigrationResult migrate(MigrationRequest request) {
    Workflow.await(() -> decided);
    return new MigrationResult(state, null, null, null, List.of(), List.of(), null);
  }

  @Override
  public void pause() {
    state = MigrationState.PAUSED;
  }

  @Override
  public void resume() {
    state = MigrationState.VERIFYING;
  }

  @Override
  public void rollback() {
    state = MigrationState.ROLLED_BACK;
    decided = true;
  }

  @Override
  public void confirm() {
    state = MigrationState.COMPLETED;
    decided = true;
  }

  @Override
  public void diskProgress(List<DiskProgress> disks) {}

  @Override
  public MigrationStatus status() {
    return new MigrationStatus(
        Workflow.getInfo().getWorkflowId(),
        state,
        null,
        null,
        List.of(),
        List.of(),
        60,
        List.of(new DiskProgress(2000, "Hard disk 1", 10L << 30, 40)),
        null,
        null,
        null,
        null,
        List.of(),
        List.of());
  }
}

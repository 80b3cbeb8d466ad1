package dev.vmigrate.api.support;

import dev.vmigrate.model.ActionAttempt;
import dev.vmigrate.model.DiskProgress;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.workflow.VmMigrationUpdates;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * A VM migration that sits in VERIFYING at 60% (disk 40%) until the API sends {@code confirm} or
 * {@code rollback}; {@code pause} and {@code resume} toggle PAUSED. The same actions as Updates are
 * refused, with the reason, where the fake would not take them (pause and resume outside VERIFYING
 * and PAUSED respectively, confirm and rollback outside VERIFYING). Enough to test the API's
 * operator actions and live status.
 */
public class FakeVmMigration implements VmMigrationWorkflow, VmMigrationUpdates {
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
  public String pauseUpdate() {
    pause();
    return "pause accepted";
  }

  @Override
  public void validatePause() {
    refuseUnless("pause", MigrationState.RUNNING);
  }

  @Override
  public String resumeUpdate() {
    resume();
    return "resume accepted";
  }

  @Override
  public void validateResume() {
    refuseUnless("resume", MigrationState.PAUSED);
  }

  @Override
  public String rollbackUpdate() {
    rollback();
    return "rollback accepted";
  }

  @Override
  public void validateRollback() {
    refuseUnless("rollback", MigrationState.VERIFYING);
  }

  @Override
  public String confirmUpdate() {
    confirm();
    return "confirm accepted";
  }

  @Override
  public void validateConfirm() {
    refuseUnless("confirm", MigrationState.VERIFYING);
  }

  @Override
  public void actionAttemptFailed(ActionAttempt attempt) {}

  private void refuseUnless(String action, MigrationState applies) {
    if (state != applies) {
      throw new IllegalStateException(action + " refused: the migration is " + state);
    }
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

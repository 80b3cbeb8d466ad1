package dev.vmigrate.workflow;

import dev.vmigrate.model.DiskProgress;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationStatus;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * Migrates one VM by running vCenter's migrate action queue, one activity per action, with a
 * compensation registered before every action that changes anything. The workflow id is {@link
 * dev.vmigrate.model.MigrationIds#forVm}, so at most one migration per VM is open.
 *
 * <p>Signals are named as operators type them in the Temporal CLI: {@code pause}, {@code resume},
 * {@code rollback}, {@code confirm}. The same operator actions are also Updates ({@link
 * VmMigrationUpdates}), which is how vmigrate sends them; a signal that does not apply to the
 * migration's state is recorded as ignored in its details, as is a signal of an unknown name.
 */
@WorkflowInterface
public interface VmMigrationWorkflow {

  @WorkflowMethod(name = "VmMigration")
  MigrationResult migrate(MigrationRequest request);

  /** Stops before the next action until {@code resume}. */
  @SignalMethod(name = "pause")
  void pause();

  /** Continues a paused migration, or retries the failed action of one in FAILED_WAITING. */
  @SignalMethod(name = "resume")
  void resume();

  /** Runs the compensations in reverse order and ends ROLLED_BACK. */
  @SignalMethod(name = "rollback")
  void rollback();

  /** Finalises a migration in VERIFYING. */
  @SignalMethod(name = "confirm")
  void confirm();

  /** Per-disk copy progress, sent by the data-moving activities (throttled). */
  @SignalMethod(name = "diskProgress")
  void diskProgress(List<DiskProgress> disks);

  @QueryMethod(name = "status")
  MigrationStatus status();
}

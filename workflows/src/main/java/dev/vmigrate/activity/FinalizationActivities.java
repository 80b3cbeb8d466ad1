package dev.vmigrate.activity;

import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.MigrationContext;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** What happens once a migration is confirmed or rolled back. */
@ActivityInterface
public interface FinalizationActivities {

  /**
   * Finalises a confirmed migration: removes the lock and records the result on the VM, keeping the
   * origin record. Idempotent.
   */
  @ActivityMethod(name = ActivityNames.CONFIRM_MIGRATION)
  ActionOutcome confirmMigration(MigrationContext ctx);

  /**
   * Records on the VM that the migration was rolled back and removes any lock it still holds.
   * Idempotent; tolerates a VM that the migration never touched.
   */
  @ActivityMethod(name = ActivityNames.RECORD_ROLLBACK)
  ActionOutcome recordRollback(MigrationContext ctx);
}

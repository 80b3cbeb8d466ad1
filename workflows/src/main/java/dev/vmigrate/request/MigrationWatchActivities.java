package dev.vmigrate.request;

import dev.vmigrate.activity.ActivityNames;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Follows a VM migration that the current request run did not start: after continue-as-new, the
 * children of the previous run keep running (parent close policy ABANDON) but are no longer this
 * run's children, so their completion events never reach it. Registered by the worker that hosts
 * {@link PlanRequestWorkflow}, on the same task queue.
 */
@ActivityInterface
public interface MigrationWatchActivities {

  /**
   * Waits until the migration workflow closes and returns how it ended. Read-only, so a retried
   * attempt simply waits again; a migration that already closed answers at once.
   */
  @ActivityMethod(name = ActivityNames.AWAIT_MIGRATION)
  MigrationOutcome awaitMigration(String migrationWorkflowId);
}

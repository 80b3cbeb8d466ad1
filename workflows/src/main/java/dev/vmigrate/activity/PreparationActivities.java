package dev.vmigrate.activity;

import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.HookEvent;
import dev.vmigrate.model.MigrationContext;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Actions that prepare the destination side before anything moves, each with its undo twin. */
@ActivityInterface
public interface PreparationActivities {

  /**
   * Reserves capacity (and the VM directory) on each destination datastore so that parallel
   * migrations cannot over-commit it. Idempotent: the reservation is keyed by migration id.
   */
  @ActivityMethod(name = ActivityNames.RESERVE_DIRECTORY)
  ActionOutcome reserveDirectory(MigrationContext ctx);

  /** Releases the reservation; a no-op when there is none. */
  @ActivityMethod(name = ActivityNames.RELEASE_DIRECTORY)
  ActionOutcome releaseDirectory(MigrationContext ctx);

  /**
   * Cross-vCenter only: prepares the VM's place in the destination vCenter (checks that no VM with
   * the same instance UUID exists there and claims the name in the destination folder). A no-op
   * within one vCenter.
   */
  @ActivityMethod(name = ActivityNames.CREATE_INVENTORY_VM)
  ActionOutcome createInventoryVm(MigrationContext ctx);

  /** Removes what CreateInventoryVm claimed; a no-op when nothing was claimed. */
  @ActivityMethod(name = ActivityNames.DESTROY_INVENTORY_VM)
  ActionOutcome destroyInventoryVm(MigrationContext ctx);

  /** Calls the pre-migration webhooks with the VM and the spec. */
  @ActivityMethod(name = ActivityNames.INVOKE_CALLBACKS)
  ActionOutcome invokeCallbacks(MigrationContext ctx);

  /** Calls the rollback webhooks. */
  @ActivityMethod(name = ActivityNames.INVOKE_ROLLBACK_CALLBACKS)
  ActionOutcome invokeRollbackCallbacks(MigrationContext ctx);

  /**
   * Calls the post-migration webhooks with the migration's outcome, each with the event's
   * idempotency key as the {@code Idempotency-Key} header. A failed call fails the activity so that
   * Temporal retries it: at least once delivery, so receivers drop a key they have seen.
   */
  @ActivityMethod(name = ActivityNames.INVOKE_POST_MIGRATION_HOOKS)
  ActionOutcome invokePostMigrationHooks(MigrationContext ctx, HookEvent event);

  /** The same with the post-rollback webhooks, once a rollback has finished. */
  @ActivityMethod(name = ActivityNames.INVOKE_POST_ROLLBACK_HOOKS)
  ActionOutcome invokePostRollbackHooks(MigrationContext ctx, HookEvent event);
}

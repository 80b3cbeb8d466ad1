package dev.vmigrate.model;

import dev.vmigrate.activity.ActivityNames;

/**
 * One action of vCenter's migrate action queue. Each runs as one Temporal activity whose type is
 * {@link #activityName()}, one of {@link ActivityNames}, so the Temporal history reads like
 * vCenter's task list. An action that changes anything names the activity that undoes it; the
 * workflow registers that compensation before the action runs. Which actions a migration queues,
 * and in what order, is {@link MigrationItinerary}.
 */
public enum MigrationAction {
  INVOKE_PRECHECKS(ActivityNames.INVOKE_PRECHECKS, null, 1, false),
  SELECT_DESTINATION(ActivityNames.SELECT_DESTINATION, null, 1, false),
  CHECK_PERMISSION(ActivityNames.CHECK_PERMISSION, null, 1, false),
  CHECK_COMPATIBILITY(ActivityNames.CHECK_COMPATIBILITY, null, 1, false),
  RESERVE_DIRECTORY(ActivityNames.RESERVE_DIRECTORY, ActivityNames.RELEASE_DIRECTORY, 1, false),
  CREATE_INVENTORY_VM(
      ActivityNames.CREATE_INVENTORY_VM, ActivityNames.DESTROY_INVENTORY_VM, 1, false),
  COMPUTE_SPEC(ActivityNames.COMPUTE_SPEC, null, 1, false),
  INVOKE_CALLBACKS(
      ActivityNames.INVOKE_CALLBACKS, ActivityNames.INVOKE_ROLLBACK_CALLBACKS, 1, false),
  // Hot itinerary.
  PREPARE_SOURCE(ActivityNames.PREPARE_SOURCE, ActivityNames.UNPREPARE_SOURCE, 1, false),
  PREPARE_DESTINATION(ActivityNames.PREPARE_DESTINATION, null, 1, false),
  INITIATE_DESTINATION(
      ActivityNames.INITIATE_DESTINATION, ActivityNames.CANCEL_DESTINATION, 1, false),
  INITIATE_SOURCE(ActivityNames.INITIATE_SOURCE, ActivityNames.REVERT_SOURCE, 4, true),
  SWITCH_HOST_AND_POOL(
      ActivityNames.SWITCH_HOST_AND_POOL, ActivityNames.SWITCH_BACK_HOST_AND_POOL, 1, false),
  COMPLETE_SOURCE(ActivityNames.COMPLETE_SOURCE, null, 1, false),
  COMPLETE_DESTINATION(
      ActivityNames.COMPLETE_DESTINATION, ActivityNames.UNCOMPLETE_DESTINATION, 1, false),
  // Cold itinerary (PrepareSource, SwitchHostAndPool and CompleteDestination are shared).
  POWER_OFF_SOURCE(ActivityNames.POWER_OFF_SOURCE, ActivityNames.POWER_ON_SOURCE, 2, false),
  UNREGISTER_SOURCE_VM(
      ActivityNames.UNREGISTER_SOURCE_VM, ActivityNames.REREGISTER_SOURCE_VM, 1, false),
  CREATE_DESTINATION_VM(
      ActivityNames.CREATE_DESTINATION_VM, ActivityNames.DESTROY_DESTINATION_VM, 4, true),
  REGISTER_DESTINATION_VM(
      ActivityNames.REGISTER_DESTINATION_VM, ActivityNames.UNREGISTER_DESTINATION_VM, 1, false),
  RECONFIGURE_VM(ActivityNames.RECONFIGURE_VM, ActivityNames.REVERT_RECONFIGURE_VM, 1, false),
  RELAYOUT_SNAPSHOT(ActivityNames.RELAYOUT_SNAPSHOT, null, 1, false),
  POWER_ON_DESTINATION(
      ActivityNames.POWER_ON_DESTINATION, ActivityNames.POWER_OFF_DESTINATION, 2, false),
  // Hooks, after the queue: see MigrationItinerary.AFTER_MIGRATION and AFTER_ROLLBACK. A
  // notification cannot be taken back, so neither has a compensation; a rollback after a delivered
  // post-migration call is told to the post-rollback hooks.
  INVOKE_POST_MIGRATION_HOOKS(ActivityNames.INVOKE_POST_MIGRATION_HOOKS, null, 1, false),
  INVOKE_POST_ROLLBACK_HOOKS(ActivityNames.INVOKE_POST_ROLLBACK_HOOKS, null, 1, false);

  private final String activityName;
  private final String compensationName;
  private final int weight;
  private final boolean movesData;

  MigrationAction(String activityName, String compensationName, int weight, boolean movesData) {
    this.activityName = activityName;
    this.compensationName = compensationName;
    this.weight = weight;
    this.movesData = movesData;
  }

  /** The Temporal activity type, which is vCenter's name for the action. */
  public String activityName() {
    return activityName;
  }

  /** The activity type that undoes this action, or null for an action that changes nothing. */
  public String compensationName() {
    return compensationName;
  }

  public boolean hasCompensation() {
    return compensationName != null;
  }

  /** Relative cost for progress when no data moves; data-moving actions are weighted by bytes. */
  public int weight() {
    return weight;
  }

  /** Whether the action copies disk data or memory, so that its cost grows with the VM's size. */
  public boolean movesData() {
    return movesData;
  }

  /**
   * Whether the action calls a plan's post-migration or post-rollback hooks: it reports the
   * migration's outcome ({@link HookEvent}), and the plan's {@link HookFailure} decides what its
   * failure does.
   */
  public boolean isHook() {
    return this == INVOKE_POST_MIGRATION_HOOKS || this == INVOKE_POST_ROLLBACK_HOOKS;
  }
}

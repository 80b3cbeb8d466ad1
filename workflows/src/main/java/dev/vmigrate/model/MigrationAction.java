package dev.vmigrate.model;

import java.util.List;

/**
 * One action of vCenter's migrate action queue. Each runs as one Temporal activity whose type is
 * {@link #activityName()}, so the Temporal history reads like vCenter's task list. An action that
 * changes anything names the activity that undoes it; the workflow registers that compensation
 * before the action runs.
 */
public enum MigrationAction {
  INVOKE_PRECHECKS("InvokePrechecks", null, 1, false),
  SELECT_DESTINATION("SelectDestination", null, 1, false),
  CHECK_PERMISSION("CheckPermission", null, 1, false),
  CHECK_COMPATIBILITY("CheckCompatibility", null, 1, false),
  RESERVE_DIRECTORY("ReserveDirectory", "ReleaseDirectory", 1, false),
  CREATE_INVENTORY_VM("CreateInventoryVm", "DestroyInventoryVm", 1, false),
  COMPUTE_SPEC("ComputeSpec", null, 1, false),
  INVOKE_CALLBACKS("InvokeCallbacks", "InvokeRollbackCallbacks", 1, false),
  // Hot itinerary.
  PREPARE_SOURCE("PrepareSource", "UnprepareSource", 1, false),
  PREPARE_DESTINATION("PrepareDestination", null, 1, false),
  INITIATE_DESTINATION("InitiateDestination", "CancelDestination", 1, false),
  INITIATE_SOURCE("InitiateSource", "RevertSource", 4, true),
  SWITCH_HOST_AND_POOL("SwitchHostAndPool", "SwitchBackHostAndPool", 1, false),
  COMPLETE_SOURCE("CompleteSource", null, 1, false),
  COMPLETE_DESTINATION("CompleteDestination", "UncompleteDestination", 1, false),
  // Cold itinerary (PrepareSource, SwitchHostAndPool and CompleteDestination are shared).
  POWER_OFF_SOURCE("PowerOffSource", "PowerOnSource", 2, false),
  UNREGISTER_SOURCE_VM("UnregisterSourceVm", "ReregisterSourceVm", 1, false),
  CREATE_DESTINATION_VM("CreateDestinationVm", "DestroyDestinationVm", 4, true),
  REGISTER_DESTINATION_VM("RegisterDestinationVm", "UnregisterDestinationVm", 1, false),
  RECONFIGURE_VM("ReconfigureVm", "RevertReconfigureVm", 1, false),
  RELAYOUT_SNAPSHOT("RelayoutSnapshot", null, 1, false),
  POWER_ON_DESTINATION("PowerOnDestination", "PowerOffDestination", 2, false);

  /** The fixed prefix that every migration queues; ComputeSpec appends the rest. */
  public static final List<MigrationAction> PREFIX =
      List.of(
          INVOKE_PRECHECKS,
          SELECT_DESTINATION,
          CHECK_PERMISSION,
          CHECK_COMPATIBILITY,
          RESERVE_DIRECTORY,
          CREATE_INVENTORY_VM,
          COMPUTE_SPEC,
          INVOKE_CALLBACKS);

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
}

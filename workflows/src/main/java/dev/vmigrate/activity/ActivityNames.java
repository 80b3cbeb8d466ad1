package dev.vmigrate.activity;

/**
 * Every Temporal activity type vmigrate schedules, spelt out once. Recorded histories name these
 * types, so a type is never derived from a Java method name: renaming a method must not change it.
 * The action queue's types are vCenter's names for the actions.
 */
public final class ActivityNames {
  private ActivityNames() {}

  // Analysis: the read-only head of the queue.
  public static final String INVOKE_PRECHECKS = "InvokePrechecks";
  public static final String SELECT_DESTINATION = "SelectDestination";
  public static final String CHECK_PERMISSION = "CheckPermission";
  public static final String CHECK_COMPATIBILITY = "CheckCompatibility";
  public static final String COMPUTE_SPEC = "ComputeSpec";

  // Preparation, each with its undo.
  public static final String RESERVE_DIRECTORY = "ReserveDirectory";
  public static final String RELEASE_DIRECTORY = "ReleaseDirectory";
  public static final String CREATE_INVENTORY_VM = "CreateInventoryVm";
  public static final String DESTROY_INVENTORY_VM = "DestroyInventoryVm";
  public static final String INVOKE_CALLBACKS = "InvokeCallbacks";
  public static final String INVOKE_ROLLBACK_CALLBACKS = "InvokeRollbackCallbacks";

  // Source side.
  public static final String PREPARE_SOURCE = "PrepareSource";
  public static final String UNPREPARE_SOURCE = "UnprepareSource";
  public static final String INITIATE_SOURCE = "InitiateSource";
  public static final String REVERT_SOURCE = "RevertSource";
  public static final String COMPLETE_SOURCE = "CompleteSource";
  public static final String POWER_OFF_SOURCE = "PowerOffSource";
  public static final String POWER_ON_SOURCE = "PowerOnSource";
  public static final String UNREGISTER_SOURCE_VM = "UnregisterSourceVm";
  public static final String REREGISTER_SOURCE_VM = "ReregisterSourceVm";

  // Destination side.
  public static final String PREPARE_DESTINATION = "PrepareDestination";
  public static final String INITIATE_DESTINATION = "InitiateDestination";
  public static final String CANCEL_DESTINATION = "CancelDestination";
  public static final String SWITCH_HOST_AND_POOL = "SwitchHostAndPool";
  public static final String SWITCH_BACK_HOST_AND_POOL = "SwitchBackHostAndPool";
  public static final String COMPLETE_DESTINATION = "CompleteDestination";
  public static final String UNCOMPLETE_DESTINATION = "UncompleteDestination";
  public static final String CREATE_DESTINATION_VM = "CreateDestinationVm";
  public static final String DESTROY_DESTINATION_VM = "DestroyDestinationVm";
  public static final String REGISTER_DESTINATION_VM = "RegisterDestinationVm";
  public static final String UNREGISTER_DESTINATION_VM = "UnregisterDestinationVm";
  public static final String RECONFIGURE_VM = "ReconfigureVm";
  public static final String REVERT_RECONFIGURE_VM = "RevertReconfigureVm";
  public static final String RELAYOUT_SNAPSHOT = "RelayoutSnapshot";
  public static final String POWER_ON_DESTINATION = "PowerOnDestination";
  public static final String POWER_OFF_DESTINATION = "PowerOffDestination";

  // Finalisation, after the queue.
  public static final String CONFIRM_MIGRATION = "ConfirmMigration";
  public static final String RECORD_ROLLBACK = "RecordRollback";

  // Hooks: after a migration (before it is finalised) and after a rollback.
  public static final String INVOKE_POST_MIGRATION_HOOKS = "InvokePostMigrationHooks";
  public static final String INVOKE_POST_ROLLBACK_HOOKS = "InvokePostRollbackHooks";

  // The plan request workflow's activities.
  public static final String AWAIT_MIGRATION = "AwaitMigration";
  public static final String LOAD_VM_ORDERS = "LoadVmOrders";
  public static final String RECORD_VM_STATE = "RecordVmState";
  public static final String RECORD_REQUEST_STATE = "RecordRequestState";
}

package dev.vmigrate.vsphere;

import java.time.Instant;

/**
 * A task's state as vSphere reports it.
 *
 * @param ref the task
 * @param operation the vSphere API method that created it, e.g. {@link #RELOCATE}: every gateway
 *     reports vCenter's method name, also where its server names the task otherwise (vcsim's
 *     "RelocateVm"); a task that no API method created keeps the name its server gives it
 * @param entity the managed object id the task acts on
 * @param state queued, running, success or error
 * @param progress 0 to 100 while running
 * @param result the result's managed object id (e.g. the VM registered), or null
 * @param error the fault when the state is ERROR, else null
 * @param queued when vCenter queued the task (its {@code queueTime}), by vCenter's clock; null when
 *     the server did not say
 */
public record TaskInfo(
    TaskRef ref,
    String operation,
    String entity,
    TaskState state,
    int progress,
    String result,
    VsphereException error,
    Instant queued) {

  /** The {@link #operation} of a task started by RelocateVM_Task. */
  public static final String RELOCATE = "RelocateVM_Task";

  /** The {@link #operation} of a task started by ReconfigVM_Task. */
  public static final String RECONFIGURE = "ReconfigVM_Task";

  /** The {@link #operation} of a task started by PowerOnVM_Task. */
  public static final String POWER_ON = "PowerOnVM_Task";

  /** The {@link #operation} of a task started by PowerOffVM_Task. */
  public static final String POWER_OFF = "PowerOffVM_Task";

  /** The {@link #operation} of a task started by MoveIntoFolder_Task (its entity: the folder). */
  public static final String MOVE_INTO_FOLDER = "MoveIntoFolder_Task";

  /** The {@link #operation} of a task started by RegisterVM_Task (its entity: the folder). */
  public static final String REGISTER = "RegisterVM_Task";

  /**
   * Whether this task runs {@code operation} on {@code entityId} and was queued at or after {@code
   * since}, in whatever state: a task that a late-answered or lost earlier call of this change
   * started.
   */
  public boolean startedBy(String operation, String entityId, Instant since) {
    return operation.equals(this.operation)
        && entityId.equals(entity)
        && queued != null
        && !queued.isBefore(since);
  }

  /** Whether this task runs {@code operation} on {@code entityId} and has not finished yet. */
  public boolean inFlight(String operation, String entityId) {
    return operation.equals(this.operation) && entityId.equals(entity) && !state.finished();
  }
}

package dev.vmigrate.vsphere;

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
 */
public record TaskInfo(
    TaskRef ref,
    String operation,
    String entity,
    TaskState state,
    int progress,
    String result,
    VsphereException error) {

  /** The {@link #operation} of a task started by RelocateVM_Task. */
  public static final String RELOCATE = "RelocateVM_Task";

  /** Whether this task runs {@code operation} on {@code entityId} and has not finished yet. */
  public boolean inFlight(String operation, String entityId) {
    return operation.equals(this.operation) && entityId.equals(entity) && !state.finished();
  }
}

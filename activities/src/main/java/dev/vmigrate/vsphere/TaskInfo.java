package dev.vmigrate.vsphere;

/**
 * A task's state as vSphere reports it.
 *
 * @param ref the task
 * @param operation the method that created it, e.g. "RelocateVM_Task"
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
    VsphereException error) {}

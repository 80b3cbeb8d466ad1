package dev.vmigrate.model;

import java.util.List;

/**
 * What the status query returns.
 *
 * @param migrationId workflow id
 * @param state lifecycle state
 * @param vm the VM, once InvokePrechecks identified it
 * @param currentAction the action running or, when paused or failed, the one at the head of the
 *     queue; null when none
 * @param doneActions actions completed, in order
 * @param queuedActions actions still queued, in order (including the current one)
 * @param percent weighted progress, 0 to 100
 * @param disks per-disk progress of the running data-moving action
 * @param lastError the last error, or null
 * @param origin the recorded origin placement
 * @param destination the selected destination
 * @param mode hot or cold once ComputeSpec ran
 * @param warnings precheck warnings
 * @param blocking the blocking findings of the last InvokePrechecks that failed, which hold the
 *     migration until the cause is fixed; empty once prechecks pass
 */
public record MigrationStatus(
    String migrationId,
    MigrationState state,
    VmIdentity vm,
    MigrationAction currentAction,
    List<MigrationAction> doneActions,
    List<MigrationAction> queuedActions,
    int percent,
    List<DiskProgress> disks,
    String lastError,
    Placement origin,
    Destination destination,
    MigrationMode mode,
    List<PrecheckFinding> warnings,
    List<PrecheckFinding> blocking) {}

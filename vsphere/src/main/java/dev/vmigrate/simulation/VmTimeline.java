package dev.vmigrate.simulation;

/**
 * One VM's predicted run, in seconds from the simulated request's start.
 *
 * @param vmId the VM's managed object id
 * @param name the VM's name
 * @param state how it ended: {@code COMPLETED}, {@code FAILED}, {@code ROLLED_BACK} or {@code
 *     SKIPPED} (the request's VM states)
 * @param startSecond when its migration started (admitted), or -1 when it never started
 * @param endSecond when it ended, or -1 when it never started
 * @param message the last message the request recorded for it, or null
 */
public record VmTimeline(
    String vmId, String name, String state, long startSecond, long endSecond, String message) {}

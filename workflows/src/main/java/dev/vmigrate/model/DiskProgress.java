package dev.vmigrate.model;

/**
 * Copy progress of one disk during a data-moving action.
 *
 * @param diskKey device key
 * @param label device label
 * @param capacityBytes disk size
 * @param percent 0 to 100
 */
public record DiskProgress(int diskKey, String label, long capacityBytes, int percent) {}

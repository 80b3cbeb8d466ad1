package dev.vmigrate.vsphere;

/** A vCenter task's managed object id, e.g. "task-81". Safe to keep in heartbeat details. */
public record TaskRef(String id) {}

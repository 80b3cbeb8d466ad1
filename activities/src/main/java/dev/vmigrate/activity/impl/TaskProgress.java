package dev.vmigrate.activity.impl;

/**
 * Heartbeat details of an activity that follows a vCenter task: the task to re-attach to on retry
 * and its last progress. Holds no credentials, as the Temporal UI shows it.
 *
 * @param task the task's managed object id, e.g. "task-81"
 * @param percent last progress read
 */
public record TaskProgress(String task, int percent) {}

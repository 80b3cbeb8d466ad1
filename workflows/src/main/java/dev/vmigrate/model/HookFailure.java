package dev.vmigrate.model;

/**
 * What a migration does when a post-migration or post-rollback hook still fails once Temporal has
 * spent its retries on it.
 */
public enum HookFailure {
  /**
   * Wait in FAILED_WAITING with the hook's error shown until an operator resumes (the hook is
   * called again) or, after a migration, rolls back. The default: a receiver that must hear of
   * every moved VM (a CMDB, a backup or monitoring system) is never silently skipped.
   */
  HOLD,
  /** Record the error in the migration's result and status, and end the migration normally. */
  IGNORE
}

package dev.vmigrate.model;

/** What a migration does when an action fails after its retries. */
public enum FailurePolicy {
  HOLD,
  ROLLBACK
}

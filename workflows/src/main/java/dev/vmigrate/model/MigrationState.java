package dev.vmigrate.model;

/** The per-VM lifecycle of architecture section 2. */
public enum MigrationState {
  PENDING,
  RUNNING,
  PAUSED,
  FAILED_WAITING,
  VERIFYING,
  ROLLING_BACK,
  COMPLETED,
  ROLLED_BACK;

  public boolean terminal() {
    return this == COMPLETED || this == ROLLED_BACK;
  }
}

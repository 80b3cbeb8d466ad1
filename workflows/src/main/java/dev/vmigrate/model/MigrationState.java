package dev.vmigrate.model;

import java.util.List;

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

  /** The signals an operator can send in this state, in the order they are offered. */
  public List<String> nextSignals() {
    return switch (this) {
      case PENDING, RUNNING -> List.of("pause", "rollback");
      case PAUSED, FAILED_WAITING -> List.of("resume", "rollback");
      case VERIFYING -> List.of("confirm", "rollback");
      case ROLLING_BACK, COMPLETED, ROLLED_BACK -> List.of();
    };
  }
}

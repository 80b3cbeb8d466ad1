package dev.vmigrate.recovery;

import java.util.Locale;

/** What {@code vmigrate recover} does about one leftover it found in vCenter. */
public enum RecoveryAction {
  /**
   * Puts the VM back where its origin record says (one relocate), restores its power state, records
   * the rollback and clears the marks.
   */
  ROLLBACK("roll back to the recorded origin"),
  /** Accepts the VM where it is: records the migration as done and clears the marks. */
  FINALISE("finalise where it is"),
  /** Nothing to move: clears the lock, the recorded destination and the reservations. */
  CLEAR_MARKS("clear the marks");

  private final String description;

  RecoveryAction(String description) {
    this.description = description;
  }

  /** For an operator: "roll back to the recorded origin". */
  public String description() {
    return description;
  }

  /** As the API and the CLI spell it: "rollback", "finalise", "clear_marks". */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package dev.vmigrate.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * Whether a request was approved. The lowercase {@link #value()} is what the database column and
 * the JSON carry.
 */
public enum ApprovalState {
  PENDING("pending"),
  APPROVED("approved"),
  DENIED("denied");

  private final String value;

  ApprovalState(String value) {
    this.value = value;
  }

  /** The wire and database value. */
  @JsonValue
  public String value() {
    return value;
  }

  /** The state of a wire or database value; IllegalArgumentException naming it when unknown. */
  public static ApprovalState of(String value) {
    return Arrays.stream(values())
        .filter(s -> s.value.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not an approval state: '" + value + "'"));
  }

  @Override
  public String toString() {
    return value;
  }
}

package dev.vmigrate.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * Where a request (one order of a plan) is in its lifecycle. The lowercase {@link #value()} is what
 * the database column and the JSON carry.
 */
public enum RequestState {
  /** Ordered, waiting for approval. */
  PENDING("pending"),
  /** The request workflow runs (or waits for its time window). */
  ACTIVE("active"),
  /** The request workflow admits no more VMs; running migrations go on. */
  PAUSED("paused"),
  /** The request workflow rolls back its running migrations. */
  CANCELLING("cancelling"),
  /** Done: completed, denied, failed to start or closed by an operator. */
  FINISHED("finished");

  private final String value;

  RequestState(String value) {
    this.value = value;
  }

  /** The wire and database value. */
  @JsonValue
  public String value() {
    return value;
  }

  /** The state of a wire or database value; IllegalArgumentException naming it when unknown. */
  public static RequestState of(String value) {
    return Arrays.stream(values())
        .filter(s -> s.value.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not a request state: '" + value + "'"));
  }

  @Override
  public String toString() {
    return value;
  }
}

package dev.vmigrate.activity.impl;

import java.time.Duration;

/**
 * Tuning of the activity implementations.
 *
 * @param pollInitial first wait between two reads of a running vCenter task
 * @param pollMax longest wait between two reads (the wait doubles up to it)
 * @param webhookTimeout time limit of one webhook call
 * @param taskFaultAttempts the attempt of a data-moving action from which a vCenter task that ended
 *     in error is no longer retried (0: as many as the action's retry policy allows)
 */
public record ActivitySettings(
    Duration pollInitial, Duration pollMax, Duration webhookTimeout, int taskFaultAttempts) {

  /**
   * A relocate whose task vCenter still fails on the third attempt will fail again: hold for an
   * operator within seconds rather than after the data movers' ten attempts and ten minutes of
   * backoff.
   */
  public static final int TASK_FAULT_ATTEMPTS = 3;

  public ActivitySettings(Duration pollInitial, Duration pollMax, Duration webhookTimeout) {
    this(pollInitial, pollMax, webhookTimeout, TASK_FAULT_ATTEMPTS);
  }

  /** These settings with another {@link #taskFaultAttempts()}. */
  public ActivitySettings withTaskFaultAttempts(int attempts) {
    return new ActivitySettings(pollInitial, pollMax, webhookTimeout, attempts);
  }

  public static ActivitySettings defaults() {
    return new ActivitySettings(
        Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(30));
  }
}

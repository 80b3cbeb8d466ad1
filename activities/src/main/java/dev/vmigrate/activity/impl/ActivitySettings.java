package dev.vmigrate.activity.impl;

import dev.vmigrate.vsphere.TaskPolling;
import java.time.Duration;

/**
 * Tuning of the activity implementations.
 *
 * @param pollInitial first wait between two reads of a running vCenter task
 * @param pollMax longest wait between two reads (the wait doubles up to it)
 * @param webhookTimeout time limit of one webhook call
 * @param taskFaultAttempts the attempt of a data-moving action from which a vCenter task that ended
 *     in error is no longer retried (0: as many as the action's retry policy allows)
 * @param pace the time the waits between reads run in: the machine's, or a simulation's
 */
public record ActivitySettings(
    Duration pollInitial,
    Duration pollMax,
    Duration webhookTimeout,
    int taskFaultAttempts,
    TaskPolling.Pace pace) {

  public ActivitySettings {
    pace = pace == null ? TaskPolling.Pace.SYSTEM : pace;
  }

  public ActivitySettings(
      Duration pollInitial, Duration pollMax, Duration webhookTimeout, int taskFaultAttempts) {
    this(pollInitial, pollMax, webhookTimeout, taskFaultAttempts, TaskPolling.Pace.SYSTEM);
  }

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
    return new ActivitySettings(pollInitial, pollMax, webhookTimeout, attempts, pace);
  }

  /** These settings with the waits between reads in {@code pace}'s time. */
  public ActivitySettings withPace(TaskPolling.Pace pace) {
    return new ActivitySettings(pollInitial, pollMax, webhookTimeout, taskFaultAttempts, pace);
  }

  public static ActivitySettings defaults() {
    return new ActivitySettings(
        Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(30));
  }
}

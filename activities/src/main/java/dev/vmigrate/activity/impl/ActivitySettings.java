package dev.vmigrate.activity.impl;

import java.time.Duration;

/**
 * Tuning of the activity implementations.
 *
 * @param pollInitial first wait between two reads of a running vCenter task
 * @param pollMax longest wait between two reads (the wait doubles up to it)
 * @param webhookTimeout time limit of one webhook call
 */
public record ActivitySettings(Duration pollInitial, Duration pollMax, Duration webhookTimeout) {

  public static ActivitySettings defaults() {
    return new ActivitySettings(
        Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(30));
  }
}

package dev.vmigrate.recovery;

import java.util.List;

/**
 * A recovery's state for the {@code status} query.
 *
 * @param state "running", "failed" or "done"
 * @param currentStep the step running now, or null
 * @param done what each finished step did
 * @param lastError the last step failure, or null
 */
public record RecoveryStatus(
    String state, String currentStep, List<String> done, String lastError) {
  public RecoveryStatus {
    done = done == null ? List.of() : List.copyOf(done);
  }
}

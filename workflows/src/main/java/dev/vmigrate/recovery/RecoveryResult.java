package dev.vmigrate.recovery;

import java.util.List;

/**
 * How a recovery ended.
 *
 * @param workflowId the recovery workflow's id
 * @param vmName the VM
 * @param action what was done
 * @param steps what each step did, in order ("RelocateToOrigin: relocated web01 back to ...")
 */
public record RecoveryResult(
    String workflowId, String vmName, RecoveryAction action, List<String> steps) {
  public RecoveryResult {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }
}

package dev.vmigrate.recovery;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Cleans up after one migration whose state vmigrate lost, from what vCenter's custom attributes
 * say: rolls the VM back to its recorded origin, finalises it where it is, or clears its marks; the
 * lock and reservations are released last. Workflow id {@link VmRecovery#workflowId()}, so a second
 * apply while one runs starts nothing.
 */
@WorkflowInterface
public interface VmRecoveryWorkflow {

  @WorkflowMethod(name = "VmRecovery")
  RecoveryResult recover(VmRecovery recovery);

  @QueryMethod(name = "status")
  RecoveryStatus status();
}

package dev.vmigrate.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TerminatedFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationOutcomeTest {

  private static final WorkflowExecution EXEC =
      WorkflowExecution.newBuilder().setWorkflowId("migrate-vc1-u1").build();

  private static ChildWorkflowFailure child(Throwable cause) {
    return new ChildWorkflowFailure(
        1, 2, "VmMigration", EXEC, "default", RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE, cause);
  }

  private static MigrationResult result(MigrationState state, String error) {
    return new MigrationResult(state, null, null, null, List.of(), List.of(), error);
  }

  @Test
  void resultsMapToLedgerStates() {
    assertEquals(
        VmTaskState.COMPLETED,
        MigrationOutcome.of(result(MigrationState.COMPLETED, null), null).state());
    MigrationOutcome back =
        MigrationOutcome.of(result(MigrationState.ROLLED_BACK, "no space"), null);
    assertEquals(VmTaskState.ROLLED_BACK, back.state());
    assertTrue(back.message().contains("no space"));
  }

  @Test
  void aRefusedStartMeansAnotherMigrationOfTheVmIsOpen() {
    MigrationOutcome o =
        MigrationOutcome.of(
            null, child(new WorkflowExecutionAlreadyStarted(EXEC, "VmMigration", null)));
    assertEquals(VmTaskState.FAILED, o.state());
    assertTrue(o.message().contains("another migration of this VM is open"));
  }

  @Test
  void aCancelledMigrationRolledBackAndATerminatedOneFailed() {
    assertEquals(
        VmTaskState.ROLLED_BACK,
        MigrationOutcome.of(null, child(new CanceledFailure("cancelled"))).state());
    assertEquals(
        VmTaskState.ROLLED_BACK,
        MigrationOutcome.of(
                null,
                new WorkflowFailedException(
                    EXEC,
                    "VmMigration",
                    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
                    5,
                    RetryState.RETRY_STATE_UNSPECIFIED,
                    new CanceledFailure("cancelled")))
            .state());
    assertEquals(
        VmTaskState.FAILED,
        MigrationOutcome.of(null, child(new TerminatedFailure("by operator", null))).state());
  }

  @Test
  void otherFailuresCarryTheirMessage() {
    MigrationOutcome o =
        MigrationOutcome.of(
            null, child(ApplicationFailure.newNonRetryableFailure("disk locked", "Locked")));
    assertEquals(VmTaskState.FAILED, o.state());
    assertTrue(o.message().contains("disk locked"), o.message());
  }
}

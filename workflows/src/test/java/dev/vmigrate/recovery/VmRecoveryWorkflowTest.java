package dev.vmigrate.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.Placement;
import dev.vmigrate.model.PowerState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;

/** The recovery's steps per action, in order, against mocked activities; a failed step stops it. */
class VmRecoveryWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(VmRecoveryWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private final RecoveryActivities activities =
      mock(RecoveryActivities.class, withSettings().withoutAnnotations());

  private static final Placement ORIGIN =
      new Placement(
          "vc1",
          "host-1",
          null,
          "resgroup-1",
          "group-v1",
          "[ds] a/a.vmx",
          "datastore-1",
          null,
          null,
          PowerState.POWERED_ON);

  private static VmRecovery recovery(RecoveryAction action, boolean reservations) {
    return new VmRecovery(
        "vc1",
        "vm-1",
        "web01",
        "uuid-1",
        "migrate-vc1-uuid-1",
        action,
        action == RecoveryAction.ROLLBACK ? ORIGIN : null,
        reservations
            ? List.of(new VmRecovery.Reservation("datastore-2", "migrate-vc1-uuid-1", 1))
            : null,
        "found");
  }

  private RecoveryResult run(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client, VmRecovery r) {
    when(activities.relocateToOrigin(any())).thenReturn(ActionOutcome.done("relocated back"));
    when(activities.restorePowerState(any())).thenReturn(ActionOutcome.alreadyDone("on"));
    when(activities.recordResult(any())).thenReturn(ActionOutcome.done("recorded"));
    when(activities.releaseReservations(any())).thenReturn(ActionOutcome.done("released"));
    when(activities.clearMarks(any())).thenReturn(ActionOutcome.done("unlocked"));
    worker.registerActivitiesImplementations(activities);
    env.start();
    VmRecoveryWorkflow wf =
        client.newWorkflowStub(
            VmRecoveryWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(r.workflowId())
                .setTaskQueue(worker.getTaskQueue())
                .build());
    return wf.recover(r);
  }

  @Test
  void aRollbackMovesBackThenPowersOnThenRecordsThenReleasesTheLockLast(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    RecoveryResult result = run(env, worker, client, recovery(RecoveryAction.ROLLBACK, true));

    InOrder order = inOrder(activities);
    order.verify(activities).relocateToOrigin(any());
    order.verify(activities).restorePowerState(any());
    order.verify(activities).recordResult(any());
    order.verify(activities).releaseReservations(any());
    order.verify(activities).clearMarks(any());
    assertEquals("recover-vc1-uuid-1", result.workflowId());
    assertEquals(
        List.of(
            "RecoverRelocateToOrigin: relocated back",
            "RecoverPowerState: on",
            "RecoverRecordResult: recorded",
            "RecoverReleaseReservations: released",
            "RecoverClearMarks: unlocked"),
        result.steps());
  }

  @Test
  void clearingTheMarksMovesNothing(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    RecoveryResult result = run(env, worker, client, recovery(RecoveryAction.CLEAR_MARKS, false));
    verify(activities, never()).relocateToOrigin(any());
    verify(activities, never()).recordResult(any());
    verify(activities, never()).releaseReservations(any());
    assertEquals(List.of("RecoverClearMarks: unlocked"), result.steps());
  }

  @Test
  void finalisingRecordsTheMigrationWhereTheVmIs(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    RecoveryResult result = run(env, worker, client, recovery(RecoveryAction.FINALISE, false));
    verify(activities, never()).relocateToOrigin(any());
    assertEquals(
        List.of("RecoverRecordResult: recorded", "RecoverClearMarks: unlocked"), result.steps());
  }

  @Test
  void aStepThatCannotSucceedStopsTheRecoveryBeforeTheLockIsCleared(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    when(activities.relocateToOrigin(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "web01 is not registered", FailureTypes.NOT_FOUND));
    worker.registerActivitiesImplementations(activities);
    env.start();
    VmRecovery r = recovery(RecoveryAction.ROLLBACK, false);
    VmRecoveryWorkflow wf =
        client.newWorkflowStub(
            VmRecoveryWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(r.workflowId())
                .setTaskQueue(worker.getTaskQueue())
                .build());
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> wf.recover(r));
    assertTrue(
        e.getCause()
            .getMessage()
            .contains("stopped at RecoverRelocateToOrigin: web01 is not registered"),
        e.getCause().getMessage());
    verify(activities, never()).clearMarks(any());
  }
}

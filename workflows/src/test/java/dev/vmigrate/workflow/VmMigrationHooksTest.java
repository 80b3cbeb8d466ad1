package dev.vmigrate.workflow;

import static dev.vmigrate.workflow.MigrationFixtures.VM;
import static dev.vmigrate.workflow.MigrationFixtures.destination;
import static dev.vmigrate.workflow.MigrationFixtures.hotSpec;
import static dev.vmigrate.workflow.MigrationFixtures.ok;
import static dev.vmigrate.workflow.MigrationFixtures.prechecks;
import static dev.vmigrate.workflow.MigrationFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.vmigrate.activity.AnalysisActivities;
import dev.vmigrate.activity.DestinationActivities;
import dev.vmigrate.activity.FinalizationActivities;
import dev.vmigrate.activity.PreparationActivities;
import dev.vmigrate.activity.SourceActivities;
import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.HookEvent;
import dev.vmigrate.model.HookFailure;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.request.MigrationOutcome;
import dev.vmigrate.request.VmTaskState;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;

/**
 * Post-migration and post-rollback hooks as workflow actions, on the time-skipping test server:
 * when they are called, with which outcome and key, what Temporal's retries do for a receiver that
 * is down for a while, and what each hookFailure policy does once the retries are spent.
 */
class VmMigrationHooksTest {
  private static final String HOOK = "https://cmdb.example/hooks/vmigrate?token=s3cret";
  private static final String MIGRATION_ID = MigrationIds.forVm("vc1", VM.instanceUuid());

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(VmMigrationWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private final AnalysisActivities analysis = mockActivity(AnalysisActivities.class);
  private final PreparationActivities preparation = mockActivity(PreparationActivities.class);
  private final SourceActivities source = mockActivity(SourceActivities.class);
  private final DestinationActivities destination = mockActivity(DestinationActivities.class);
  private final FinalizationActivities finalization = mockActivity(FinalizationActivities.class);

  /** What the hook activities were called with, one entry per attempt. */
  private final List<HookEvent> postMigration = new CopyOnWriteArrayList<>();

  private final List<HookEvent> postRollback = new CopyOnWriteArrayList<>();

  /** How many attempts of each hook fail before the receiver answers again (-1: until told). */
  private final AtomicInteger postMigrationFailures = new AtomicInteger();

  private final AtomicInteger postRollbackFailures = new AtomicInteger();
  private final AtomicBoolean receiverDown = new AtomicBoolean();

  private static <T> T mockActivity(Class<T> type) {
    return mock(type, withSettings().withoutAnnotations());
  }

  @BeforeEach
  void activities(TestWorkflowEnvironment env, Worker worker) {
    when(analysis.invokePrechecks(any())).thenReturn(prechecks());
    when(analysis.selectDestination(any())).thenReturn(destination());
    when(analysis.checkPermission(any())).thenReturn(ok("privileges present"));
    when(analysis.checkCompatibility(any())).thenReturn(ok("compatible"));
    when(analysis.computeSpec(any())).thenReturn(hotSpec());
    when(preparation.reserveDirectory(any())).thenReturn(ok("reserved"));
    when(preparation.releaseDirectory(any())).thenReturn(ok("released"));
    when(preparation.createInventoryVm(any())).thenReturn(ok("same vCenter"));
    when(preparation.destroyInventoryVm(any())).thenReturn(ok("same vCenter"));
    when(preparation.invokeCallbacks(any())).thenReturn(ok("no hooks"));
    when(preparation.invokeRollbackCallbacks(any())).thenReturn(ok("no hooks"));
    when(preparation.invokePostMigrationHooks(any(), any()))
        .thenAnswer(inv -> receive(postMigration, postMigrationFailures, inv.getArgument(1)));
    when(preparation.invokePostRollbackHooks(any(), any()))
        .thenAnswer(inv -> receive(postRollback, postRollbackFailures, inv.getArgument(1)));
    when(source.prepareSource(any())).thenReturn(ok("locked"));
    when(source.unprepareSource(any())).thenReturn(ok("unlocked"));
    when(source.initiateSource(any())).thenReturn(ok("relocated"));
    when(source.revertSource(any())).thenReturn(ok("relocated back"));
    when(source.completeSource(any())).thenReturn(ok("source released"));
    when(destination.prepareDestination(any())).thenReturn(ok("ready"));
    when(destination.initiateDestination(any())).thenReturn(ok("recorded"));
    when(destination.cancelDestination(any())).thenReturn(ok("cleared"));
    when(destination.switchHostAndPool(any())).thenReturn(ok("switched"));
    when(destination.switchBackHostAndPool(any())).thenReturn(ok("switched back"));
    when(destination.completeDestination(any())).thenReturn(ok("verified"));
    when(destination.uncompleteDestination(any())).thenReturn(ok("unmarked"));
    when(finalization.confirmMigration(any())).thenReturn(ok("confirmed"));
    when(finalization.recordRollback(any())).thenReturn(ok("recorded"));
    worker.registerActivitiesImplementations(
        analysis, preparation, source, destination, finalization);
    env.start();
  }

  /**
   * A receiver as the activity sees it: the first {@code failures} attempts (all while {@link
   * #receiverDown}) fail as an unreachable receiver does, then it answers.
   */
  private ActionOutcome receive(List<HookEvent> calls, AtomicInteger failures, HookEvent event) {
    calls.add(event);
    if (receiverDown.get() || failures.getAndDecrement() > 0) {
      throw ApplicationFailure.newFailure(
          event.event() + " webhook https://cmdb.example/hooks/vmigrate failed: ConnectException",
          FailureTypes.TRANSIENT);
    }
    return ok("called 1 " + event.event() + " webhook(s)");
  }

  private VmMigrationWorkflow start(WorkflowClient client, Worker worker, MigrationOptions o) {
    VmMigrationWorkflow wf =
        client.newWorkflowStub(
            VmMigrationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(MIGRATION_ID)
                .setTaskQueue(worker.getTaskQueue())
                .build());
    WorkflowClient.start(wf::migrate, request(o));
    return wf;
  }

  private static MigrationResult result(VmMigrationWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(MigrationResult.class);
  }

  private static String runId(VmMigrationWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getExecution().getRunId();
  }

  private static MigrationOptions hooks(HookFailure onFailure) {
    return MigrationOptions.defaults().withPostHooks(List.of(HOOK), List.of(HOOK), onFailure);
  }

  @Test
  void postMigrationHookIsCalledOnceAfterTheMoveWithTheOutcomeAndItsKey(
      WorkflowClient client, Worker worker) {
    VmMigrationWorkflow wf = start(client, worker, hooks(null));
    MigrationResult r = result(wf);

    assertEquals(MigrationState.COMPLETED, r.state());
    assertEquals(1, postMigration.size());
    HookEvent event = postMigration.get(0);
    assertEquals(HookEvent.POST_MIGRATION, event.event());
    assertEquals(MIGRATION_ID + ":" + runId(wf) + ":post-migration", event.idempotencyKey());
    assertEquals(MigrationState.COMPLETED, event.result());
    assertNull(event.error());
    assertTrue(postRollback.isEmpty());
    // The last action of the queue, after CompleteDestination and before the migration is final.
    assertEquals(
        MigrationAction.INVOKE_POST_MIGRATION_HOOKS, r.actionsRun().get(r.actionsRun().size() - 1));
    InOrder order = inOrder(destination, preparation, finalization);
    order.verify(destination).completeDestination(any());
    order.verify(preparation).invokePostMigrationHooks(any(), any());
    order.verify(finalization).confirmMigration(any());
    order.verify(preparation).releaseDirectory(any());
    assertTrue(r.hookFailures().isEmpty());
  }

  @Test
  void aPlanWithoutPostHooksRunsNoHookActionAndTakesNoVersionMarker(
      WorkflowClient client, Worker worker) {
    MigrationResult r = result(start(client, worker, MigrationOptions.defaults()));

    assertEquals(MigrationState.COMPLETED, r.state());
    verify(preparation, never()).invokePostMigrationHooks(any(), any());
    assertTrue(
        client.fetchHistory(MIGRATION_ID).getEvents().stream()
            .noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED),
        "the migration's commands are the ones it had before hooks existed");
  }

  @Test
  void aVerifiedMigrationCallsTheHookOnlyOnceConfirmed(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    VmMigrationWorkflow wf = start(client, worker, hooks(null).withVerify(true, null));
    awaitState(env, wf, MigrationState.VERIFYING);
    assertTrue(postMigration.isEmpty(), "not before the operator confirmed");

    wf.confirm();
    assertEquals(MigrationState.COMPLETED, result(wf).state());
    assertEquals(1, postMigration.size());
  }

  @Test
  void aReceiverDownForAWhileGetsTheCallOnceItIsBackUnderTheSameKey(
      WorkflowClient client, Worker worker) {
    postMigrationFailures.set(4);

    MigrationResult r = result(start(client, worker, hooks(HookFailure.HOLD)));

    assertEquals(MigrationState.COMPLETED, r.state());
    assertEquals(5, postMigration.size(), "four refused attempts, then the delivery");
    assertEquals(1, postMigration.stream().map(HookEvent::idempotencyKey).distinct().count());
    assertTrue(r.hookFailures().isEmpty());
    assertNull(r.error());
    verify(finalization).confirmMigration(any());
  }

  @Test
  void holdWaitsWithTheHooksErrorAndResumeDeliversIt(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    receiverDown.set(true);
    VmMigrationWorkflow wf = start(client, worker, hooks(HookFailure.HOLD));

    MigrationStatus held = awaitState(env, wf, MigrationState.FAILED_WAITING);
    assertEquals(MigrationAction.INVOKE_POST_MIGRATION_HOOKS, held.currentAction());
    assertTrue(held.lastError().startsWith("InvokePostMigrationHooks failed: "), held.lastError());
    assertTrue(held.lastError().contains("ConnectException"), held.lastError());
    assertEquals(10, postMigration.size(), "the retry budget was spent first");
    verify(finalization, never()).confirmMigration(any());
    // The Temporal UI's current details say the same, and what to do next.
    String details =
        WorkflowStub.fromTyped(wf)
            .query(WorkflowClient.QUERY_TYPE_WORKFLOW_METADATA, WorkflowMetadata.class)
            .getCurrentDetails();
    assertTrue(details.contains("**Current action:** InvokePostMigrationHooks"), details);
    assertTrue(details.contains("**Last error:** InvokePostMigrationHooks failed"), details);
    assertTrue(details.contains("--name resume"), details);
    assertTrue(!details.contains("s3cret"), details);

    receiverDown.set(false);
    wf.resume();
    MigrationResult r = result(wf);

    assertEquals(MigrationState.COMPLETED, r.state());
    assertEquals(11, postMigration.size());
    assertEquals(1, postMigration.stream().map(HookEvent::idempotencyKey).distinct().count());
    assertTrue(r.hookFailures().isEmpty());
    verify(finalization).confirmMigration(any());
    verify(finalization, never()).recordRollback(any());
  }

  @Test
  void aHeldPostMigrationHookCanStillBeRolledBack(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    receiverDown.set(true);
    VmMigrationWorkflow wf = start(client, worker, hooks(HookFailure.HOLD));
    awaitState(env, wf, MigrationState.FAILED_WAITING);
    receiverDown.set(false);

    wf.rollback();
    MigrationResult r = result(wf);

    assertEquals(MigrationState.ROLLED_BACK, r.state());
    assertEquals("UncompleteDestination", r.compensationsRun().get(0));
    verify(finalization, never()).confirmMigration(any());
    verify(finalization).recordRollback(any());
    // The receiver heard of the rollback, with why the migration was held.
    assertEquals(1, postRollback.size());
    assertEquals(MigrationState.ROLLED_BACK, postRollback.get(0).result());
    assertTrue(
        postRollback.get(0).error().startsWith("InvokePostMigrationHooks failed"),
        postRollback.get(0).error());
  }

  @Test
  void ignoreCompletesTheMigrationWithTheHooksErrorRecorded(WorkflowClient client, Worker worker) {
    receiverDown.set(true);

    MigrationResult r = result(start(client, worker, hooks(HookFailure.IGNORE)));

    assertEquals(MigrationState.COMPLETED, r.state());
    assertEquals(10, postMigration.size());
    assertEquals(1, r.hookFailures().size());
    String failure = r.hookFailures().get(0);
    assertTrue(failure.startsWith("InvokePostMigrationHooks failed: "), failure);
    assertTrue(failure.endsWith("(ignored: hookFailure IGNORE)"), failure);
    assertTrue(r.actionsRun().contains(MigrationAction.INVOKE_POST_MIGRATION_HOOKS));
    verify(finalization).confirmMigration(any());
    verify(preparation).releaseDirectory(any());
    // What the request records in the ledger for the VM.
    MigrationOutcome outcome = MigrationOutcome.of(r, null);
    assertEquals(VmTaskState.COMPLETED, outcome.state());
    assertEquals("completed; " + failure, outcome.message());
  }

  @Test
  void postRollbackHookIsCalledAfterTheCompensationsWithTheCause(
      WorkflowClient client, Worker worker) {
    when(source.initiateSource(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "host esx-02 ran out of memory", FailureTypes.INSUFFICIENT_RESOURCES));

    VmMigrationWorkflow wf =
        start(client, worker, hooks(null).withFailurePolicy(FailurePolicy.ROLLBACK));
    MigrationResult r = result(wf);

    assertEquals(MigrationState.ROLLED_BACK, r.state());
    assertTrue(postMigration.isEmpty());
    assertEquals(1, postRollback.size());
    HookEvent event = postRollback.get(0);
    assertEquals(HookEvent.POST_ROLLBACK, event.event());
    assertEquals(MIGRATION_ID + ":" + runId(wf) + ":post-rollback", event.idempotencyKey());
    assertEquals(MigrationState.ROLLED_BACK, event.result());
    assertTrue(event.error().contains("host esx-02 ran out of memory"), event.error());
    InOrder order = inOrder(source, preparation, finalization);
    order.verify(source).revertSource(any());
    order.verify(source).unprepareSource(any());
    order.verify(preparation).releaseDirectory(any());
    order.verify(finalization).recordRollback(any());
    order.verify(preparation).invokePostRollbackHooks(any(), any());
  }

  @Test
  void aFailingPostRollbackHookHoldsUntilResumedThenTheRollbackEnds(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    when(destination.completeDestination(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "MAC changed", FailureTypes.VERIFICATION_FAILED));
    postRollbackFailures.set(10);
    VmMigrationWorkflow wf =
        start(client, worker, hooks(null).withFailurePolicy(FailurePolicy.ROLLBACK));

    MigrationStatus held = awaitState(env, wf, MigrationState.FAILED_WAITING);
    assertEquals(MigrationAction.INVOKE_POST_ROLLBACK_HOOKS, held.currentAction());
    assertTrue(held.lastError().startsWith("InvokePostRollbackHooks failed"), held.lastError());
    verify(finalization).recordRollback(any());

    wf.resume();
    MigrationResult r = result(wf);

    assertEquals(MigrationState.ROLLED_BACK, r.state());
    assertEquals(11, postRollback.size());
    // The result keeps the cause of the rollback, not the hook's passing trouble.
    assertTrue(r.error().contains("MAC changed"), r.error());
    assertTrue(r.hookFailures().isEmpty());
  }

  @Test
  void ignoreEndsTheRollbackWithTheHooksErrorRecorded(WorkflowClient client, Worker worker) {
    when(source.prepareSource(any()))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("VM is locked", FailureTypes.LOCKED));
    postRollbackFailures.set(100);

    MigrationResult r =
        result(
            start(
                client,
                worker,
                hooks(HookFailure.IGNORE).withFailurePolicy(FailurePolicy.ROLLBACK)));

    assertEquals(MigrationState.ROLLED_BACK, r.state());
    assertEquals(10, postRollback.size());
    assertEquals(1, r.hookFailures().size());
    assertTrue(r.hookFailures().get(0).startsWith("InvokePostRollbackHooks failed"));
    MigrationOutcome outcome = MigrationOutcome.of(r, null);
    assertEquals(VmTaskState.ROLLED_BACK, outcome.state());
    assertTrue(outcome.message().contains("VM is locked"), outcome.message());
    assertTrue(outcome.message().contains("(ignored: hookFailure IGNORE)"), outcome.message());
  }

  @Test
  void aHookUrlThatIsNoUrlIsRefusedBeforeAnythingMoves(WorkflowClient client, Worker worker) {
    VmMigrationWorkflow wf =
        client.newWorkflowStub(
            VmMigrationWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build());
    var bad =
        request(
            MigrationOptions.defaults()
                .withPostHooks(List.of(HOOK), List.of("ftp://x?token=s3cret"), null));

    WorkflowException e = assertThrows(WorkflowException.class, () -> wf.migrate(bad));

    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(FailureTypes.INVALID_REQUEST, cause.getType());
    assertEquals("options.postRollbackHooks[0]: not an http(s) URL", cause.getOriginalMessage());
    verify(analysis, never()).invokePrechecks(any());
    verify(preparation, times(0)).invokePostRollbackHooks(any(), any());
  }

  /**
   * Polls the status query until the state is reached, letting the test server's clock run in steps
   * long enough for the hook's retry backoff (about five minutes in all).
   */
  private static MigrationStatus awaitState(
      TestWorkflowEnvironment env, VmMigrationWorkflow wf, MigrationState wanted) {
    MigrationStatus s = null;
    for (int i = 0; i < 200; i++) {
      s = wf.status();
      if (s.state() == wanted) {
        return s;
      }
      env.sleep(Duration.ofSeconds(10));
    }
    throw new AssertionError("never reached " + wanted + "; last status " + s);
  }
}

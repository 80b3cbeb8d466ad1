package dev.vmigrate.workflow;

import static dev.vmigrate.workflow.MigrationFixtures.VM;
import static dev.vmigrate.workflow.MigrationFixtures.destination;
import static dev.vmigrate.workflow.MigrationFixtures.hotSpec;
import static dev.vmigrate.workflow.MigrationFixtures.ok;
import static dev.vmigrate.workflow.MigrationFixtures.prechecks;
import static dev.vmigrate.workflow.MigrationFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.vmigrate.activity.AnalysisActivities;
import dev.vmigrate.activity.DestinationActivities;
import dev.vmigrate.activity.FinalizationActivities;
import dev.vmigrate.activity.PreparationActivities;
import dev.vmigrate.activity.SourceActivities;
import dev.vmigrate.model.ActionAttempt;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.MigrationItinerary;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationSearchAttributes;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationStatus;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;

/**
 * The workflow's lifecycle against mocked activities: order of actions, reverse order of
 * compensations, hold and resume, pause, verify and confirm, cancellation.
 */
class VmMigrationWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(VmMigrationWorkflowImpl.class)
          .registerSearchAttribute("VmName", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
          .registerSearchAttribute("PlanName", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
          .registerSearchAttribute("RequestId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
          .registerSearchAttribute("MigrationState", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
          .setDoNotStart(true)
          .build();

  private final AnalysisActivities analysis = mockActivity(AnalysisActivities.class);
  private final PreparationActivities preparation = mockActivity(PreparationActivities.class);
  private final SourceActivities source = mockActivity(SourceActivities.class);
  private final DestinationActivities destination = mockActivity(DestinationActivities.class);
  private final FinalizationActivities finalization = mockActivity(FinalizationActivities.class);

  private static <T> T mockActivity(Class<T> type) {
    return mock(type, withSettings().withoutAnnotations());
  }

  @BeforeEach
  void happyActivities(TestWorkflowEnvironment env, Worker worker) {
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

  private VmMigrationWorkflow start(WorkflowClient client, Worker worker, MigrationOptions o) {
    VmMigrationWorkflow wf =
        client.newWorkflowStub(
            VmMigrationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(MigrationIds.forVm("vc1", VM.instanceUuid()))
                .setTaskQueue(worker.getTaskQueue())
                .build());
    WorkflowClient.start(wf::migrate, request(o));
    return wf;
  }

  private static MigrationResult result(VmMigrationWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(MigrationResult.class);
  }

  @Test
  void hotMigrationRunsPrefixThenAppendedItineraryInOrder(WorkflowClient client, Worker worker) {
    MigrationResult r = result(start(client, worker, MigrationOptions.defaults()));

    assertEquals(MigrationState.COMPLETED, r.state());
    List<MigrationAction> expected = new ArrayList<>(MigrationItinerary.PREFIX);
    expected.addAll(MigrationFixtures.HOT);
    assertEquals(expected, r.actionsRun());
    assertTrue(r.compensationsRun().isEmpty());
    InOrder order = inOrder(analysis, preparation, source, destination, finalization);
    order.verify(analysis).invokePrechecks(any());
    order.verify(analysis).selectDestination(any());
    order.verify(analysis).checkPermission(any());
    order.verify(analysis).checkCompatibility(any());
    order.verify(preparation).reserveDirectory(any());
    order.verify(preparation).createInventoryVm(any());
    order.verify(analysis).computeSpec(any());
    order.verify(preparation).invokeCallbacks(any());
    order.verify(source).prepareSource(any());
    order.verify(destination).prepareDestination(any());
    order.verify(destination).initiateDestination(any());
    order.verify(source).initiateSource(any());
    order.verify(destination).switchHostAndPool(any());
    order.verify(source).completeSource(any());
    order.verify(destination).completeDestination(any());
    order.verify(finalization).confirmMigration(any());
    order.verify(preparation).releaseDirectory(any());
    verify(finalization, never()).recordRollback(any());
  }

  @Test
  void failureUnderRollbackPolicyCompensatesInReverseOrder(WorkflowClient client, Worker worker) {
    when(source.initiateSource(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "host esx-02 ran out of memory", FailureTypes.INSUFFICIENT_RESOURCES));

    MigrationResult r =
        result(
            start(
                client,
                worker,
                MigrationOptions.defaults().withFailurePolicy(FailurePolicy.ROLLBACK)));

    assertEquals(MigrationState.ROLLED_BACK, r.state());
    // InitiateSource registered its compensation before running, so RevertSource runs first.
    assertEquals(
        List.of(
            "RevertSource",
            "CancelDestination",
            "UnprepareSource",
            "InvokeRollbackCallbacks",
            "DestroyInventoryVm",
            "ReleaseDirectory"),
        r.compensationsRun());
    assertTrue(r.error().contains("host esx-02 ran out of memory"), r.error());
    InOrder order = inOrder(source, destination, preparation, finalization);
    order.verify(source).revertSource(any());
    order.verify(destination).cancelDestination(any());
    order.verify(source).unprepareSource(any());
    order.verify(preparation).invokeRollbackCallbacks(any());
    order.verify(preparation).destroyInventoryVm(any());
    order.verify(preparation).releaseDirectory(any());
    order.verify(finalization).recordRollback(any());
    verify(destination, never()).switchHostAndPool(any());
  }

  @Test
  void holdPolicyWaitsThenResumeRetriesTheFailedAction(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    AtomicInteger calls = new AtomicInteger();
    when(destination.switchHostAndPool(any()))
        .thenAnswer(
            inv -> {
              if (calls.incrementAndGet() == 1) {
                throw ApplicationFailure.newNonRetryableFailure(
                    "folder Prod is gone", FailureTypes.NOT_FOUND);
              }
              return ok("switched");
            });
    VmMigrationWorkflow wf = start(client, worker, MigrationOptions.defaults());

    MigrationStatus held = awaitState(env, wf, MigrationState.FAILED_WAITING);
    assertEquals(MigrationAction.SWITCH_HOST_AND_POOL, held.currentAction());
    assertTrue(held.lastError().contains("folder Prod is gone"), held.lastError());
    assertTrue(held.doneActions().contains(MigrationAction.INITIATE_SOURCE));

    wf.resume();
    MigrationResult r = result(wf);
    assertEquals(MigrationState.COMPLETED, r.state());
    assertEquals(2, calls.get());
    assertNull(r.error());
  }

  @Test
  void holdThenRollbackRestoresThroughCompensations(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    when(destination.completeDestination(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "MAC changed", FailureTypes.VERIFICATION_FAILED));
    VmMigrationWorkflow wf = start(client, worker, MigrationOptions.defaults());
    awaitState(env, wf, MigrationState.FAILED_WAITING);

    wf.rollback();
    MigrationResult r = result(wf);

    assertEquals(MigrationState.ROLLED_BACK, r.state());
    assertEquals("UncompleteDestination", r.compensationsRun().get(0));
    assertEquals("SwitchBackHostAndPool", r.compensationsRun().get(1));
    assertEquals("RevertSource", r.compensationsRun().get(2));
  }

  @Test
  void transientFailuresAreRetriedWithoutAnOperator(WorkflowClient client, Worker worker) {
    AtomicInteger calls = new AtomicInteger();
    when(source.prepareSource(any()))
        .thenAnswer(
            inv -> {
              if (calls.incrementAndGet() < 3) {
                throw ApplicationFailure.newFailure("connection reset", FailureTypes.TRANSIENT);
              }
              return ok("locked");
            });

    MigrationResult r = result(start(client, worker, MigrationOptions.defaults()));

    assertEquals(MigrationState.COMPLETED, r.state());
    assertEquals(3, calls.get());
  }

  @Test
  void pauseStopsBeforeTheNextActionAndResumeContinues(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    String id = MigrationIds.forVm("vc1", VM.instanceUuid());
    when(analysis.checkPermission(any()))
        .thenAnswer(
            inv -> {
              client.newWorkflowStub(VmMigrationWorkflow.class, id).pause();
              return ok("privileges present");
            });
    VmMigrationWorkflow wf = start(client, worker, MigrationOptions.defaults());

    MigrationStatus paused = awaitState(env, wf, MigrationState.PAUSED);
    assertEquals(MigrationAction.CHECK_COMPATIBILITY, paused.currentAction());
    verify(analysis, never()).checkCompatibility(any());

    wf.resume();
    assertEquals(MigrationState.COMPLETED, result(wf).state());
    verify(analysis).checkCompatibility(any());
  }

  @Test
  void verifyingWaitsForConfirm(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    VmMigrationWorkflow wf =
        start(client, worker, MigrationOptions.defaults().withVerify(true, null));

    MigrationStatus verifying = awaitState(env, wf, MigrationState.VERIFYING);
    assertEquals(100, verifying.percent());
    verify(finalization, never()).confirmMigration(any());

    wf.confirm();
    assertEquals(MigrationState.COMPLETED, result(wf).state());
    verify(finalization).confirmMigration(any());
  }

  @Test
  void rollbackDuringVerifyingUndoesTheWholeMove(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    VmMigrationWorkflow wf =
        start(client, worker, MigrationOptions.defaults().withVerify(true, null));
    awaitState(env, wf, MigrationState.VERIFYING);

    wf.rollback();
    MigrationResult r = result(wf);

    assertEquals(MigrationState.ROLLED_BACK, r.state());
    assertEquals(
        List.of(
            "UncompleteDestination",
            "SwitchBackHostAndPool",
            "RevertSource",
            "CancelDestination",
            "UnprepareSource",
            "InvokeRollbackCallbacks",
            "DestroyInventoryVm",
            "ReleaseDirectory"),
        r.compensationsRun());
    verify(finalization, never()).confirmMigration(any());
  }

  @Test
  void autoConfirmFiresAfterItsWindow(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    VmMigrationWorkflow wf =
        start(client, worker, MigrationOptions.defaults().withVerify(true, Duration.ofHours(4)));
    awaitState(env, wf, MigrationState.VERIFYING);
    long before = env.currentTimeMillis();

    MigrationResult r = result(wf);

    assertEquals(MigrationState.COMPLETED, r.state());
    assertTrue(
        env.currentTimeMillis() - before >= Duration.ofHours(4).toMillis() - 1000,
        "confirmed only after the window");
  }

  @Test
  void cancellingTheWorkflowRollsBack(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    VmMigrationWorkflow wf =
        start(client, worker, MigrationOptions.defaults().withVerify(true, null));
    awaitState(env, wf, MigrationState.VERIFYING);

    WorkflowStub.fromTyped(wf).cancel();
    WorkflowException e =
        assertThrows(
            WorkflowException.class, () -> WorkflowStub.fromTyped(wf).getResult(Void.class));

    assertInstanceOf(CanceledFailure.class, e.getCause());
    verify(source).revertSource(any());
    verify(preparation).releaseDirectory(any());
    verify(finalization).recordRollback(any());
  }

  @Test
  void secondMigrationOfTheSameVmIsRefused(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    VmMigrationWorkflow first =
        start(client, worker, MigrationOptions.defaults().withVerify(true, null));
    awaitState(env, first, MigrationState.VERIFYING);

    VmMigrationWorkflow second =
        client.newWorkflowStub(
            VmMigrationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(MigrationIds.forVm("vc1", VM.instanceUuid()))
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .setTaskQueue(worker.getTaskQueue())
                .build());
    assertThrows(
        WorkflowExecutionAlreadyStarted.class,
        () -> WorkflowClient.start(second::migrate, request(MigrationOptions.defaults())));
  }

  @Test
  void migrationStartedWithSearchAttributesKeepsMigrationStateCurrent(
      WorkflowClient client, Worker worker) {
    VmMigrationWorkflow wf =
        client.newWorkflowStub(
            VmMigrationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(MigrationIds.forVm("vc1", VM.instanceUuid()))
                .setTaskQueue(worker.getTaskQueue())
                .setTypedSearchAttributes(
                    MigrationSearchAttributes.forMigration("web01", "plan-a", "req-1"))
                .build());
    WorkflowClient.start(wf::migrate, request(MigrationOptions.defaults()));
    assertEquals(MigrationState.COMPLETED, result(wf).state());

    List<String> states = indexedStates(client, MigrationIds.forVm("vc1", VM.instanceUuid()));
    assertEquals(List.of("RUNNING", "COMPLETED"), states);
  }

  @Test
  void migrationStartedWithoutSearchAttributesUpsertsNone(WorkflowClient client, Worker worker) {
    assertEquals(
        MigrationState.COMPLETED,
        result(start(client, worker, MigrationOptions.defaults())).state());
    assertEquals(List.of(), indexedStates(client, MigrationIds.forVm("vc1", VM.instanceUuid())));
  }

  private static List<String> indexedStates(WorkflowClient client, String workflowId) {
    return client.fetchHistory(workflowId).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
        .map(
            e ->
                e.getUpsertWorkflowSearchAttributesEventAttributes()
                    .getSearchAttributes()
                    .getIndexedFieldsMap()
                    .get("MigrationState"))
        .map(p -> DefaultDataConverter.STANDARD_INSTANCE.fromPayload(p, String.class, String.class))
        .toList();
  }

  @Test
  void requestWithoutVmFailsNamingTheField(WorkflowClient client, Worker worker) {
    VmMigrationWorkflow wf =
        client.newWorkflowStub(
            VmMigrationWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build());
    var bad =
        new dev.vmigrate.model.MigrationRequest(
            " ", request(MigrationOptions.defaults()).mapping(), null, null, null);

    WorkflowException e = assertThrows(WorkflowException.class, () -> wf.migrate(bad));

    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(FailureTypes.INVALID_REQUEST, cause.getType());
    assertTrue(cause.getOriginalMessage().startsWith("vm: is required"));
    verify(analysis, never()).invokePrechecks(any());
  }

  @Test
  void anAutoConfirmWindowTemporalCannotHoldIsRefusedBeforeAnythingMoves(
      WorkflowClient client, Worker worker) {
    VmMigrationWorkflow wf =
        client.newWorkflowStub(
            VmMigrationWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build());
    var frozen =
        request(
            MigrationOptions.defaults().withVerify(true, java.time.Duration.ofDays(999_999_999)));

    WorkflowException e = assertThrows(WorkflowException.class, () -> wf.migrate(frozen));

    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(FailureTypes.INVALID_REQUEST, cause.getType());
    assertEquals(
        "options.autoConfirmAfter: must be more than zero and at most PT8760H, not PT23999999976H",
        cause.getOriginalMessage());
    verify(analysis, never()).invokePrechecks(any());
  }

  @Test
  void anOperatorActionThatDoesNotApplyIsRefusedWithItsReasonAndChangesNothing(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    when(destination.completeDestination(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "MAC changed", FailureTypes.VERIFICATION_FAILED));
    VmMigrationWorkflow wf = start(client, worker, MigrationOptions.defaults());
    awaitState(env, wf, MigrationState.FAILED_WAITING);
    WorkflowStub stub = WorkflowStub.fromTyped(wf);

    WorkflowUpdateException pause =
        assertThrows(WorkflowUpdateException.class, () -> stub.update("pause", String.class));
    WorkflowUpdateException confirm =
        assertThrows(WorkflowUpdateException.class, () -> stub.update("confirm", String.class));

    assertTrue(
        rootMessage(pause).contains("pause refused: the migration is FAILED_WAITING"),
        rootMessage(pause));
    assertTrue(
        rootMessage(confirm).contains("confirm refused: the migration is FAILED_WAITING"),
        rootMessage(confirm));
    assertEquals(MigrationState.FAILED_WAITING, wf.status().state());

    String accepted = stub.update("rollback", String.class);
    assertTrue(accepted.startsWith("rollback accepted"), accepted);
    assertEquals(MigrationState.ROLLED_BACK, result(wf).state());
  }

  @Test
  void signalsThatDoNotApplyOrDoNotExistAreRecordedInTheDetails(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    when(destination.completeDestination(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "MAC changed", FailureTypes.VERIFICATION_FAILED));
    VmMigrationWorkflow wf = start(client, worker, MigrationOptions.defaults());
    awaitState(env, wf, MigrationState.FAILED_WAITING);

    wf.pause();
    wf.confirm();
    WorkflowStub.fromTyped(wf).signal("pasue");
    String md = awaitDetails(env, wf, "`pasue` ignored");

    assertTrue(md.contains("- pause ignored: the migration is FAILED_WAITING"), md);
    assertTrue(md.contains("- confirm ignored: the migration is FAILED_WAITING"), md);
    assertTrue(md.contains("- `pasue` ignored: no such signal"), md);
    assertEquals(MigrationState.FAILED_WAITING, wf.status().state());
    // Still held and offered what applies: resume and rollback.
    assertTrue(md.contains("--name resume`"), md);
    assertFalse(md.contains("--name pause`"), md);
    wf.rollback();
    assertEquals(MigrationState.ROLLED_BACK, result(wf).state());
  }

  @Test
  void rolledBackDetailsNameWhatWasUndoneAndTheOriginNotTheDestination(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) throws Exception {
    CountDownLatch reverting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    when(source.revertSource(any()))
        .thenAnswer(
            inv -> {
              reverting.countDown();
              release.await(30, TimeUnit.SECONDS);
              return ok("relocated back");
            });
    VmMigrationWorkflow wf =
        start(client, worker, MigrationOptions.defaults().withVerify(true, null));
    awaitState(env, wf, MigrationState.VERIFYING);
    wf.rollback();
    assertTrue(reverting.await(30, TimeUnit.SECONDS));

    String during = awaitDetails(env, wf, "**Undoing:** RevertSource");
    assertTrue(during.contains("**Undoing:** RevertSource (undoes InitiateSource)"), during);
    assertFalse(during.contains("**Current action:**"), during);
    assertFalse(during.contains("**Queued:**"), during);
    release.countDown();
    MigrationResult r = result(wf);
    String md = details(wf);

    assertEquals(MigrationState.ROLLED_BACK, r.state());
    assertTrue(md.startsWith("### web01 · ROLLED_BACK · rollback complete\n"), md);
    assertTrue(md.contains("**Undone, in order:** " + String.join(", ", r.compensationsRun())), md);
    assertTrue(md.contains("- host " + prechecks().origin().host()), md);
    assertTrue(md.contains("**Abandoned destination:** " + destination().host()), md);
    assertFalse(md.contains("**Destination:**"), md);
    assertFalse(md.contains("**Done:**"), md);
    assertFalse(md.contains("%"), md);
    assertFalse(md.contains("What you can do next"), md);
  }

  @Test
  void aRetriedAttemptReportedByItsWorkerIsShownUntilTheActionEnds(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    when(source.initiateSource(any()))
        .thenAnswer(
            inv -> {
              running.countDown();
              release.await(30, TimeUnit.SECONDS);
              return ok("relocated");
            });
    VmMigrationWorkflow wf =
        start(client, worker, MigrationOptions.defaults().withVerify(true, null));
    assertTrue(running.await(30, TimeUnit.SECONDS));
    VmMigrationUpdates reports =
        client.newWorkflowStub(
            VmMigrationUpdates.class, WorkflowStub.fromTyped(wf).getExecution().getWorkflowId());

    // A late report about another activity is dropped; the running one's is shown.
    reports.actionAttemptFailed(new ActionAttempt("PrepareSource", 1, 6, "stale"));
    reports.actionAttemptFailed(
        new ActionAttempt("InitiateSource", 2, 10, "host esx-07 not responding"));
    String md = awaitDetails(env, wf, "**Retrying:**");

    assertTrue(
        md.contains(
            "**Retrying:** InitiateSource attempt 2 of 10 failed: host esx-07 not responding;"
                + " Temporal runs attempt 3"),
        md);
    assertFalse(md.contains("stale"), md);
    release.countDown();
    awaitState(env, wf, MigrationState.VERIFYING);
    assertFalse(details(wf).contains("**Retrying:**"), details(wf));
    wf.confirm();
    assertEquals(MigrationState.COMPLETED, result(wf).state());
  }

  /** The details as the Temporal UI reads them: Temporal's workflow metadata query. */
  static String details(VmMigrationWorkflow wf) {
    return WorkflowStub.fromTyped(wf)
        .query("__temporal_workflow_metadata", WorkflowMetadata.class)
        .getCurrentDetails();
  }

  static String awaitDetails(TestWorkflowEnvironment env, VmMigrationWorkflow wf, String wanted) {
    String md = null;
    for (int i = 0; i < 400; i++) {
      md = details(wf);
      if (md.contains(wanted)) {
        return md;
      }
      env.sleep(Duration.ofMillis(50));
    }
    throw new AssertionError("details never showed " + wanted + "; last:\n" + md);
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /** Polls the status query, letting the test server's clock run, until the state is reached. */
  static MigrationStatus awaitState(
      TestWorkflowEnvironment env, VmMigrationWorkflow wf, MigrationState wanted) {
    MigrationStatus s = null;
    for (int i = 0; i < 400; i++) {
      s = wf.status();
      if (s.state() == wanted) {
        return s;
      }
      env.sleep(Duration.ofMillis(50));
    }
    throw new AssertionError("never reached " + wanted + "; last status " + s);
  }
}

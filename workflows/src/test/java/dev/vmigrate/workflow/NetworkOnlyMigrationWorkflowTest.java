package dev.vmigrate.workflow;

import static dev.vmigrate.workflow.MigrationFixtures.VM;
import static dev.vmigrate.workflow.MigrationFixtures.ok;
import static dev.vmigrate.workflow.MigrationFixtures.prechecks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.vmigrate.activity.AnalysisActivities;
import dev.vmigrate.activity.DestinationActivities;
import dev.vmigrate.activity.FinalizationActivities;
import dev.vmigrate.activity.PreparationActivities;
import dev.vmigrate.activity.SourceActivities;
import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.Destination;
import dev.vmigrate.model.DiskLocator;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.MigrationItinerary;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.NicBackingChange;
import io.temporal.api.enums.v1.EventType;
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
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;

/**
 * A network-only migration (migrationType network) against mocked activities: its queue is
 * MigrationItinerary.NETWORK_ONLY and nothing else, its compensations undo the NIC change, and the
 * signals work as for any migration. Time skips in VERIFYING.
 */
class NetworkOnlyMigrationWorkflowTest {

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

  private static <T> T mockActivity(Class<T> type) {
    return mock(type, withSettings().withoutAnnotations());
  }

  /** The VM stays on host-1 and datastore-1; only its NIC moves to a distributed port group. */
  static Destination inPlace() {
    return new Destination(
        "vc1",
        "host-1",
        "domain-c1",
        "resgroup-1",
        "group-v1",
        "datastore-1",
        List.of(new DiskLocator(2000, "datastore-1")),
        List.of(new NicBackingChange(4000, "dvportgroup-12")),
        null);
  }

  static MigrationRequest networkRequest(MigrationOptions o, InfrastructureMapping mapping) {
    return new MigrationRequest(VM.id(), mapping, o, "re-home", "req-9");
  }

  static InfrastructureMapping networksOnly() {
    return new InfrastructureMapping(
        "vc1", "vc1", List.of(), Map.of(), Map.of("VM Network", "DC0_DVPG0"));
  }

  static MigrationOptions network() {
    return MigrationOptions.defaults().withType(MigrationType.NETWORK);
  }

  @BeforeEach
  void happyActivities(TestWorkflowEnvironment env, Worker worker) {
    when(analysis.invokePrechecks(any())).thenReturn(prechecks());
    when(analysis.selectDestination(any())).thenReturn(inPlace());
    when(analysis.checkPermission(any())).thenReturn(ok("EditDevice and Network.Assign held"));
    when(analysis.checkCompatibility(any())).thenReturn(ok("host-1 sees DC0_DVPG0"));
    when(preparation.releaseDirectory(any())).thenReturn(ok("nothing reserved"));
    when(source.prepareSource(any())).thenReturn(ok("locked"));
    when(source.unprepareSource(any())).thenReturn(ok("unlocked"));
    when(destination.reconfigureVm(any())).thenReturn(ok("moved 1 NIC"));
    when(destination.revertReconfigureVm(any())).thenReturn(ok("moved 1 NIC back"));
    when(destination.completeDestination(any())).thenReturn(ok("verified"));
    when(destination.uncompleteDestination(any())).thenReturn(ok("unmarked"));
    when(finalization.confirmMigration(any())).thenReturn(ok("confirmed"));
    when(finalization.recordRollback(any())).thenReturn(ok("recorded"));
    worker.registerActivitiesImplementations(
        analysis, preparation, source, destination, finalization);
    env.start();
  }

  private VmMigrationWorkflow start(
      WorkflowClient client, Worker worker, MigrationOptions o, InfrastructureMapping mapping) {
    VmMigrationWorkflow wf =
        client.newWorkflowStub(
            VmMigrationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(MigrationIds.forVm("vc1", VM.instanceUuid()))
                .setTaskQueue(worker.getTaskQueue())
                .build());
    WorkflowClient.start(wf::migrate, networkRequest(o, mapping));
    return wf;
  }

  private static MigrationResult result(VmMigrationWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(MigrationResult.class);
  }

  @Test
  void runsTheNetworkOnlyItineraryAndNothingThatMovesTheVm(WorkflowClient client, Worker worker) {
    VmMigrationWorkflow wf = start(client, worker, network(), networksOnly());
    MigrationResult r = result(wf);

    assertEquals(MigrationState.COMPLETED, r.state());
    assertEquals(MigrationItinerary.NETWORK_ONLY, r.actionsRun());
    assertTrue(r.compensationsRun().isEmpty());
    InOrder order = inOrder(analysis, source, destination, finalization, preparation);
    order.verify(analysis).invokePrechecks(any());
    order.verify(analysis).selectDestination(any());
    order.verify(analysis).checkPermission(any());
    order.verify(analysis).checkCompatibility(any());
    order.verify(source).prepareSource(any());
    order.verify(destination).reconfigureVm(any());
    order.verify(destination).completeDestination(any());
    order.verify(finalization).confirmMigration(any());
    order.verify(preparation).releaseDirectory(any());
    verify(analysis, never()).computeSpec(any());
    verify(preparation, never()).reserveDirectory(any());
    verify(preparation, never()).invokeCallbacks(any());
    verify(source, never()).initiateSource(any());
    verify(destination, never()).createDestinationVm(any());
    verify(destination, never()).switchHostAndPool(any());
    // The itinerary was chosen behind a version marker, so the choice replays.
    assertTrue(
        client.fetchHistory(MigrationIds.forVm("vc1", VM.instanceUuid())).getEvents().stream()
            .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED));
  }

  @Test
  void aFailedVerificationUnderRollbackPolicyPutsTheNicsBack(WorkflowClient client, Worker worker) {
    when(destination.completeDestination(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "verification of web01 failed: Network adapter 1 MAC changed",
                FailureTypes.VERIFICATION_FAILED));

    MigrationResult r =
        result(
            start(
                client,
                worker,
                network().withFailurePolicy(FailurePolicy.ROLLBACK),
                networksOnly()));

    assertEquals(MigrationState.ROLLED_BACK, r.state());
    assertEquals(
        List.of("UncompleteDestination", "RevertReconfigureVm", "UnprepareSource"),
        r.compensationsRun());
    assertTrue(r.error().contains("MAC changed"), r.error());
    InOrder order = inOrder(destination, source, finalization);
    order.verify(destination).uncompleteDestination(any());
    order.verify(destination).revertReconfigureVm(any());
    order.verify(source).unprepareSource(any());
    order.verify(finalization).recordRollback(any());
    verify(finalization, never()).confirmMigration(any());
  }

  @Test
  void rollbackInVerifyingUndoesTheNicChange(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    VmMigrationWorkflow wf =
        start(client, worker, network().withVerify(true, Duration.ofHours(4)), networksOnly());
    waitFor(env, wf, MigrationState.VERIFYING);
    env.sleep(Duration.ofHours(1));
    wf.rollback();

    MigrationResult r = result(wf);
    assertEquals(MigrationState.ROLLED_BACK, r.state());
    assertEquals(
        List.of("UncompleteDestination", "RevertReconfigureVm", "UnprepareSource"),
        r.compensationsRun());
    verify(finalization, never()).confirmMigration(any());
  }

  @Test
  void theAutoConfirmWindowConfirmsANetworkOnlyMigration(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    VmMigrationWorkflow wf =
        start(client, worker, network().withVerify(true, Duration.ofHours(4)), networksOnly());
    waitFor(env, wf, MigrationState.VERIFYING);
    env.sleep(Duration.ofHours(5));

    assertEquals(MigrationState.COMPLETED, result(wf).state());
    verify(finalization).confirmMigration(any());
  }

  @Test
  void cancellingANetworkOnlyMigrationPutsTheNicsBack(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    VmMigrationWorkflow wf =
        start(client, worker, network().withVerify(true, null), networksOnly());
    waitFor(env, wf, MigrationState.VERIFYING);

    WorkflowStub.fromTyped(wf).cancel();
    WorkflowException e =
        assertThrows(
            WorkflowException.class, () -> WorkflowStub.fromTyped(wf).getResult(Void.class));

    assertInstanceOf(io.temporal.failure.CanceledFailure.class, e.getCause());
    InOrder order = inOrder(destination, source, finalization);
    order.verify(destination).uncompleteDestination(any());
    order.verify(destination).revertReconfigureVm(any());
    order.verify(source).unprepareSource(any());
    order.verify(finalization).recordRollback(any());
  }

  @Test
  void pauseHoldsBeforeTheReconfigureAndResumeFinishes(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    String id = MigrationIds.forVm("vc1", VM.instanceUuid());
    when(source.prepareSource(any()))
        .thenAnswer(
            inv -> {
              client.newWorkflowStub(VmMigrationWorkflow.class, id).pause();
              return ok("locked");
            });
    VmMigrationWorkflow wf = start(client, worker, network(), networksOnly());

    MigrationStatus paused = VmMigrationWorkflowTest.awaitState(env, wf, MigrationState.PAUSED);
    assertEquals(MigrationAction.RECONFIGURE_VM, paused.currentAction());
    verify(destination, never()).reconfigureVm(any());

    wf.resume();
    assertEquals(MigrationState.COMPLETED, result(wf).state());
    verify(destination).reconfigureVm(any());
  }

  @Test
  void aNetworkOnlyRequestWhoseMappingMovesTheVmIsRefusedBeforeAnyAction(
      WorkflowClient client, Worker worker) {
    InfrastructureMapping moving =
        new InfrastructureMapping(
            "vc1",
            "vc2",
            List.of(new ClusterMapping("C0", "C1", null, null)),
            Map.of("ds-a", "ds-b"),
            Map.of("VM Network", "DC0_DVPG0"));
    VmMigrationWorkflow wf = start(client, worker, network(), moving);

    WorkflowException e = assertThrows(WorkflowException.class, () -> result(wf));
    ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(FailureTypes.INVALID_REQUEST, f.getType());
    assertTrue(f.getOriginalMessage().contains("mapping.clusters: must be empty"), f.getMessage());
    assertTrue(f.getOriginalMessage().contains("mapping.datastores: must be empty"));
    assertTrue(f.getOriginalMessage().contains("mapping.destinationVcenter: must be"));
    verifyNoInteractions(analysis, source, destination);
  }

  @Test
  void theSameMappingWithoutTheNetworkTypeStillMigrates(WorkflowClient client, Worker worker) {
    // A mapping that moves the VM, run as an ordinary migration: the old queue, untouched.
    when(analysis.selectDestination(any())).thenReturn(MigrationFixtures.destination());
    when(analysis.checkPermission(any())).thenReturn(ok("granted"));
    when(analysis.computeSpec(any())).thenReturn(MigrationFixtures.hotSpec());
    when(preparation.reserveDirectory(any())).thenReturn(ok("reserved"));
    when(preparation.createInventoryVm(any())).thenReturn(ok("same vCenter"));
    when(preparation.invokeCallbacks(any())).thenReturn(ok("no hooks"));
    when(destination.prepareDestination(any())).thenReturn(ok("ready"));
    when(destination.initiateDestination(any())).thenReturn(ok("recorded"));
    when(source.initiateSource(any())).thenReturn(ok("relocated"));
    when(destination.switchHostAndPool(any())).thenReturn(ok("switched"));
    when(source.completeSource(any())).thenReturn(ok("released"));

    MigrationResult r =
        result(
            start(
                client,
                worker,
                MigrationOptions.defaults(),
                MigrationFixtures.request(MigrationOptions.defaults()).mapping()));
    assertEquals(MigrationState.COMPLETED, r.state());
    assertEquals(MigrationItinerary.PREFIX, r.actionsRun().subList(0, 8));
  }

  private static void waitFor(
      TestWorkflowEnvironment env, VmMigrationWorkflow wf, MigrationState s) {
    VmMigrationWorkflowTest.awaitState(env, wf, s);
  }
}

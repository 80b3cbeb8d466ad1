package dev.vmigrate.worker;

import static dev.vmigrate.worker.MigrationHarness.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.activity.ActivityNames;
import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.Placement;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.recovery.RecoveryAction;
import dev.vmigrate.recovery.RecoveryActivities;
import dev.vmigrate.recovery.RecoveryResult;
import dev.vmigrate.recovery.VmRecoveryWorkflow;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.MigrationMarks;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.recovery.Leftover;
import dev.vmigrate.vsphere.recovery.LeftoverClassifier;
import dev.vmigrate.vsphere.vcsim.VcsimExtension;
import dev.vmigrate.vsphere.vim25.VcsimVms;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * vmigrate recover after lost state, on VMware's simulator: a migration is stopped half-way (the VM
 * locked, its origin recorded and the VM moved), then the Temporal store is thrown away (a new
 * Temporal with nothing in it) and there is no ledger. From vCenter's marks alone the classifier
 * finds the VM and proposes the rollback; the recovery workflow puts it back with one relocate,
 * restores its power state and clears the lock, destination and reservations.
 */
class VcsimRecoveryTest {

  @RegisterExtension
  static final VcsimExtension vcsim =
      VcsimExtension.perTest(
          "-cluster",
          "2",
          "-host",
          "2",
          "-standalone-host",
          "0",
          "-ds",
          "2",
          "-pg",
          "2",
          "-vm",
          "1");

  private static final String VM = "DC0_C0_RP0_VM0";

  private VcsimHarness h;
  private VmInfo before;

  @BeforeEach
  void setUp() {
    h = new VcsimHarness(vcsim);
    assertEquals(1, VcsimVms.removeHostCdroms(h.vc, h.vm(VM).id()));
    before = h.vm(VM);
    vcsim.resetCalls();
  }

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private static InfrastructureMapping mapping(Map<String, String> datastores) {
    Map<String, String> ds =
        new HashMap<>(Map.of("LocalDS_0", "LocalDS_0", "LocalDS_1", "LocalDS_1"));
    ds.putAll(datastores);
    return new InfrastructureMapping(
        VcsimHarness.VC,
        VcsimHarness.VC,
        List.of(new ClusterMapping("DC0_C0", "DC0_C1", null, null)),
        ds,
        Map.of("DC0_DVPG0", "DC0_DVPG1"));
  }

  /** Runs the migration until it holds at {@code holdAt}, then loses all of vmigrate's state. */
  private void migrateHalfWayAndLoseState(
      String holdAt, MigrationType type, Map<String, String> datastores) {
    h.faults.failPermanently(holdAt, ActionFaults.When.BEFORE);
    VmMigrationWorkflow wf =
        h.start(before, mapping(datastores), options(type, FailurePolicy.HOLD));
    MigrationStatus held = h.awaitState(wf, MigrationState.FAILED_WAITING);
    assertEquals(holdAt, held.currentAction().activityName(), held::toString);
    assertEquals(1, vcsim.calls("RelocateVM_Task", before.id()), "the VM was moved");
    // The Temporal store goes (a new test server knows nothing); there is no ledger at all.
    h.close();
    h = new VcsimHarness(vcsim);
  }

  /** What Temporal says is running, asked as the API asks: NOT_FOUND means not running. */
  private Set<String> running(Set<String> ids) {
    Set<String> out = new LinkedHashSet<>();
    for (String id : ids) {
      try {
        WorkflowExecutionStatus s =
            h.client
                .getWorkflowServiceStubs()
                .blockingStub()
                .describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(h.client.getOptions().getNamespace())
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                        .build())
                .getWorkflowExecutionInfo()
                .getStatus();
        if (s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
          out.add(id);
        }
      } catch (StatusRuntimeException e) {
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), e::toString);
      }
    }
    return out;
  }

  private List<Leftover> scan() {
    MigrationMarks marks = h.vc.migrationMarks();
    return LeftoverClassifier.classify(
        marks, running(LeftoverClassifier.workflowIds(marks)), Map.of(), Set.of());
  }

  private VmRecoveryWorkflow recovery(String workflowId) {
    return h.client.newWorkflowStub(
        VmRecoveryWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(MigrationIds.taskQueue(VcsimHarness.VC))
            .setWorkflowExecutionTimeout(Duration.ofMinutes(5))
            .build());
  }

  @Test
  void hotMigrationStoppedAfterTheMoveIsFoundAndRolledBackWithOneRelocate() {
    Placement origin = before.placement(VcsimHarness.VC);
    String migration = MigrationIds.forVm(VcsimHarness.VC, before.instanceUuid());
    migrateHalfWayAndLoseState(ActivityNames.COMPLETE_SOURCE, MigrationType.AUTO, Map.of());
    VmInfo moved = h.vmByUuid(before.instanceUuid());
    assertNotEquals(origin.host(), moved.host());
    assertEquals(migration, moved.customValue(MigrationAttributes.LOCK));

    List<Leftover> found = scan();

    assertEquals(1, found.size(), found::toString);
    Leftover l = found.get(0);
    assertEquals(VM, l.vmName());
    assertEquals(Leftover.Kind.AWAY_FROM_ORIGIN, l.kind());
    assertEquals(RecoveryAction.ROLLBACK, l.action());
    assertEquals(migration, l.recovery().migrationId());
    assertEquals(origin, l.recovery().origin(), "the origin record read back from vCenter");
    assertEquals("recover-" + VcsimHarness.VC + "-" + before.instanceUuid(), l.workflowId());

    VmRecoveryWorkflow wf = recovery(l.workflowId());
    WorkflowClient.start(wf::recover, l.recovery());
    // Applying again while it runs starts nothing: the workflow id is the VM's.
    assertThrows(
        WorkflowExecutionAlreadyStarted.class,
        () -> WorkflowClient.start(recovery(l.workflowId())::recover, l.recovery()));
    RecoveryResult r = WorkflowStub.fromTyped(wf).getResult(RecoveryResult.class);

    assertEquals(RecoveryAction.ROLLBACK, r.action());
    assertEquals(
        List.of(
            RecoveryActivities.RELOCATE_TO_ORIGIN,
            RecoveryActivities.RESTORE_POWER_STATE,
            RecoveryActivities.RECORD_RESULT,
            RecoveryActivities.CLEAR_MARKS),
        r.steps().stream().map(s -> s.substring(0, s.indexOf(':'))).toList(),
        r::toString);
    h.assertAtOrigin(before.instanceUuid(), origin);
    h.assertNothingHeld(h.vc, before.instanceUuid());
    assertEquals(2, vcsim.calls("RelocateVM_Task", before.id()), "exactly one more relocate");
    VmInfo now = h.vmByUuid(before.instanceUuid());
    assertTrue(
        now.customValue(MigrationAttributes.RESULT).startsWith("rolled-back " + migration + " "),
        now.customValue(MigrationAttributes.RESULT));
    assertEquals(List.of(), scan(), "nothing left over");
  }

  @Test
  void coldMigrationStoppedPoweredOffIsPutBackPoweredOnAndItsReservationReleased() {
    assertEquals(PowerState.POWERED_ON, before.powerState());
    Placement origin = before.placement(VcsimHarness.VC);
    migrateHalfWayAndLoseState(
        ActivityNames.POWER_ON_DESTINATION, MigrationType.COLD, Map.of("LocalDS_0", "LocalDS_1"));
    VmInfo moved = h.vmByUuid(before.instanceUuid());
    assertEquals(PowerState.POWERED_OFF, moved.powerState(), "stopped before the power-on");
    String ds1 = h.datastoreId(h.vc, "LocalDS_1");
    assertNotNull(
        h.vc.datastore(ds1).customValue(MigrationAttributes.RESERVATIONS), "space reserved");

    List<Leftover> found = scan();

    assertEquals(1, found.size(), found::toString);
    Leftover l = found.get(0);
    assertEquals(RecoveryAction.ROLLBACK, l.action());
    assertEquals(1, l.recovery().reservations().size(), l::toString);
    assertEquals(ds1, l.recovery().reservations().get(0).datastore());

    VmRecoveryWorkflow wf = recovery(l.workflowId());
    WorkflowClient.start(wf::recover, l.recovery());
    RecoveryResult r = WorkflowStub.fromTyped(wf).getResult(RecoveryResult.class);

    assertTrue(
        r.steps().stream().anyMatch(s -> s.startsWith(RecoveryActivities.RELEASE_RESERVATIONS)),
        r::toString);
    h.assertAtOrigin(before.instanceUuid(), origin);
    assertEquals(PowerState.POWERED_ON, h.vmByUuid(before.instanceUuid()).powerState());
    h.assertNothingHeld(h.vc, before.instanceUuid());
    assertEquals(2, vcsim.calls("RelocateVM_Task", before.id()), "exactly one more relocate");
    assertEquals(List.of(), scan(), "nothing left over");
  }
}

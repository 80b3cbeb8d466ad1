package dev.vmigrate.worker;

import static dev.vmigrate.worker.MigrationHarness.options;
import static dev.vmigrate.worker.MigrationHarness.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationItinerary;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.Placement;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * VM migrations end to end on the simulated vSphere: the real activities, the real workflow, and
 * assertions that read the inventory back afterwards.
 */
class VmMigrationIntegrationTest {

  private final MigrationHarness h = new MigrationHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void hotMigrationMovesHostPoolDatastoresAndNetworksKeepingIdentity() throws Exception {
    VmInfo before = h.vm("web01");

    VmMigrationWorkflow wf = h.start("web01", options(MigrationType.AUTO, FailurePolicy.HOLD));
    MigrationResult r = result(wf);

    assertEquals(MigrationState.COMPLETED, r.state());
    assertEquals(
        List.of(
            MigrationAction.PREPARE_SOURCE,
            MigrationAction.PREPARE_DESTINATION,
            MigrationAction.INITIATE_DESTINATION,
            MigrationAction.INITIATE_SOURCE,
            MigrationAction.RECONFIGURE_VM,
            MigrationAction.SWITCH_HOST_AND_POOL,
            MigrationAction.COMPLETE_SOURCE,
            MigrationAction.COMPLETE_DESTINATION),
        r.actionsRun().subList(MigrationItinerary.PREFIX.size(), r.actionsRun().size()));
    h.assertAtDestination(before);
    h.assertNothingHeld(before.instanceUuid());
    assertEquals(before.snapshots(), h.vmByUuid(before.instanceUuid()).snapshots());
    assertEquals(1, h.vc.calls("relocate", before.id()), "one relocate");
    describe("hot", h.history(wf));
    h.record(wf, "hot-completed");
  }

  @Test
  void coldMigrationWithStorageChangeAndNetworkRemap() throws Exception {
    VmInfo before = h.vm("db01");

    VmMigrationWorkflow wf = h.start("db01", options(MigrationType.AUTO, FailurePolicy.HOLD));
    MigrationResult r = result(wf);

    assertEquals(MigrationState.COMPLETED, r.state());
    assertTrue(
        r.actionsRun().contains(MigrationAction.CREATE_DESTINATION_VM), r.actionsRun()::toString);
    assertTrue(r.actionsRun().contains(MigrationAction.RECONFIGURE_VM), r.actionsRun()::toString);
    h.assertAtDestination(before);
    h.assertNothingHeld(before.instanceUuid());
    describe("cold", h.history(wf));
    h.record(wf, "cold-completed");
  }

  @Test
  void coldMigrationOfAPoweredOnVmShutsItDownMovesItAndPowersItBackOn() {
    VmInfo before = h.vm("app01");

    MigrationResult r = result(h.start("app01", options(MigrationType.COLD, FailurePolicy.HOLD)));

    assertEquals(MigrationState.COMPLETED, r.state());
    assertTrue(r.actionsRun().contains(MigrationAction.POWER_OFF_SOURCE));
    assertTrue(r.actionsRun().contains(MigrationAction.POWER_ON_DESTINATION));
    assertEquals(before.id(), h.vmByUuid(before.instanceUuid()).id(), "same VM, relocated");
    h.assertAtDestination(before);
    h.assertNothingHeld(before.instanceUuid());
  }

  @Test
  void acrossVcentersTheVmIsReRegisteredOnSharedStorageKeepingItsUuids() {
    VmInfo before = h.vm("app01");

    MigrationResult r =
        result(
            h.start(
                "app01",
                MigrationHarness.crossMapping(),
                options(MigrationType.AUTO, FailurePolicy.HOLD)));

    assertEquals(MigrationState.COMPLETED, r.state());
    assertTrue(r.actionsRun().contains(MigrationAction.UNREGISTER_SOURCE_VM));
    assertTrue(r.actionsRun().contains(MigrationAction.REGISTER_DESTINATION_VM));
    assertTrue(h.vc.findVmByInstanceUuid(before.instanceUuid()).isEmpty(), "gone from vc1");
    VmInfo after = h.vc2.findVmByInstanceUuid(before.instanceUuid()).orElseThrow();
    assertEquals(after.id(), r.vm().id(), "the result names the VM's id in vc2");
    assertEquals(before.biosUuid(), after.biosUuid());
    assertEquals(h.vc2.clusterId("east"), after.cluster());
    assertEquals(before.powerState(), after.powerState());
    assertEquals(
        before.nics().stream().map(n -> n.macAddress()).toList(),
        after.nics().stream().map(n -> n.macAddress()).toList());
    assertTrue(after.nics().stream().allMatch(n -> n.network().equals(h.vc2.networkId("Prod"))));
    assertEquals(null, after.customValue(MigrationAttributes.LOCK));
  }

  static Stream<MigrationAction> crossVcenterActions() {
    return Stream.of(
        MigrationAction.CREATE_INVENTORY_VM,
        MigrationAction.PREPARE_SOURCE,
        MigrationAction.POWER_OFF_SOURCE,
        MigrationAction.UNREGISTER_SOURCE_VM,
        MigrationAction.REGISTER_DESTINATION_VM,
        MigrationAction.SWITCH_HOST_AND_POOL,
        MigrationAction.RECONFIGURE_VM,
        MigrationAction.POWER_ON_DESTINATION,
        MigrationAction.COMPLETE_DESTINATION);
  }

  @ParameterizedTest(name = "across vCenters: {0} fails after acting, policy rollback")
  @MethodSource("crossVcenterActions")
  void acrossVcentersRollbackReRegistersTheVmAtItsOrigin(MigrationAction at) {
    VmInfo before = h.vm("app01");
    Placement origin = before.placement(MigrationHarness.VC);
    h.faults.failPermanently(at.activityName(), ActionFaults.When.AFTER);

    MigrationResult r =
        result(
            h.start(
                "app01",
                MigrationHarness.crossMapping(),
                options(MigrationType.AUTO, FailurePolicy.ROLLBACK)));

    assertEquals(MigrationState.ROLLED_BACK, r.state());
    assertTrue(h.vc2.findVmByInstanceUuid(before.instanceUuid()).isEmpty(), "nothing left in vc2");
    h.assertAtOrigin(before.instanceUuid(), origin);
    h.assertNothingHeld(before.instanceUuid());
  }

  /** Every action that changes anything, on the itinerary where it occurs. */
  static Stream<Arguments> mutatingActions() {
    Stream<Arguments> hot =
        Stream.of(
                MigrationAction.RESERVE_DIRECTORY,
                MigrationAction.CREATE_INVENTORY_VM,
                MigrationAction.INVOKE_CALLBACKS,
                MigrationAction.PREPARE_SOURCE,
                MigrationAction.INITIATE_DESTINATION,
                MigrationAction.INITIATE_SOURCE,
                MigrationAction.RECONFIGURE_VM,
                MigrationAction.SWITCH_HOST_AND_POOL,
                MigrationAction.COMPLETE_DESTINATION)
            .map(a -> Arguments.of("web01", MigrationType.AUTO, a));
    Stream<Arguments> coldStorage =
        Stream.of(
                MigrationAction.CREATE_DESTINATION_VM,
                MigrationAction.SWITCH_HOST_AND_POOL,
                MigrationAction.RECONFIGURE_VM,
                MigrationAction.POWER_ON_DESTINATION,
                MigrationAction.COMPLETE_DESTINATION)
            .map(a -> Arguments.of("db01", MigrationType.AUTO, a));
    Stream<Arguments> coldPoweredOn =
        Stream.of(
                MigrationAction.PREPARE_SOURCE,
                MigrationAction.POWER_OFF_SOURCE,
                MigrationAction.CREATE_DESTINATION_VM,
                MigrationAction.POWER_ON_DESTINATION)
            .map(a -> Arguments.of("app01", MigrationType.COLD, a));
    return Stream.of(hot, coldStorage, coldPoweredOn).flatMap(s -> s);
  }

  @ParameterizedTest(name = "{0} {1}: {2} fails after acting, policy rollback")
  @MethodSource("mutatingActions")
  void rollbackPolicyRestoresTheOriginExactly(String vm, MigrationType type, MigrationAction at) {
    VmInfo before = h.vm(vm);
    Placement origin = before.placement(MigrationHarness.VC);
    // AFTER: the action's effect landed, as when a call times out after vSphere applied it.
    h.faults.failPermanently(at.activityName(), ActionFaults.When.AFTER);

    MigrationResult r = result(h.start(vm, options(type, FailurePolicy.ROLLBACK)));

    assertEquals(MigrationState.ROLLED_BACK, r.state());
    assertTrue(r.error().contains("injected fault in " + at.activityName()), r.error());
    h.assertAtOrigin(before.instanceUuid(), origin);
    h.assertNothingHeld(before.instanceUuid());
    // A migration that never touched the VM (it failed before PrepareSource) leaves no mark.
    if (at.ordinal() >= MigrationAction.PREPARE_SOURCE.ordinal()) {
      assertTrue(
          String.valueOf(h.vmByUuid(before.instanceUuid()).customValue(MigrationAttributes.RESULT))
              .startsWith("rolled-back"));
    }
  }

  @ParameterizedTest(name = "{0} {1}: {2} fails, hold, resume completes")
  @MethodSource("mutatingActions")
  void holdPolicyWaitsAndResumeCompletesOnceTheFaultIsCleared(
      String vm, MigrationType type, MigrationAction at) {
    VmInfo before = h.vm(vm);
    h.faults.failPermanently(at.activityName(), ActionFaults.When.BEFORE);

    VmMigrationWorkflow wf = h.start(vm, options(type, FailurePolicy.HOLD));
    MigrationStatus held = h.awaitState(wf, MigrationState.FAILED_WAITING);
    assertEquals(at, held.currentAction());
    h.faults.clear();
    wf.resume();

    assertEquals(MigrationState.COMPLETED, result(wf).state());
    h.assertAtDestination(before);
    h.assertNothingHeld(before.instanceUuid());
  }

  @ParameterizedTest(name = "{0} {1}: {2} fails, hold, rollback restores")
  @MethodSource("mutatingActions")
  void holdThenRollbackRestoresTheOrigin(String vm, MigrationType type, MigrationAction at) {
    VmInfo before = h.vm(vm);
    Placement origin = before.placement(MigrationHarness.VC);
    h.faults.failPermanently(at.activityName(), ActionFaults.When.AFTER);

    VmMigrationWorkflow wf = h.start(vm, options(type, FailurePolicy.HOLD));
    h.awaitState(wf, MigrationState.FAILED_WAITING);
    wf.rollback();

    assertEquals(MigrationState.ROLLED_BACK, result(wf).state());
    h.assertAtOrigin(before.instanceUuid(), origin);
    h.assertNothingHeld(before.instanceUuid());
  }

  @Test
  void transientFaultsInVsphereCompleteWithoutAnOperator() {
    VmInfo before = h.vm("web01");
    h.vc.failNext("relocate", 2);
    h.faults.failTransiently("PrepareSource", 2);

    MigrationResult r = result(h.start("web01", options(MigrationType.AUTO, FailurePolicy.HOLD)));

    assertEquals(MigrationState.COMPLETED, r.state());
    assertEquals(3, h.faults.calls("PrepareSource"));
    h.assertAtDestination(before);
  }

  @Test
  void rollbackDuringALongRelocateCancelsItInVcenter() {
    VmInfo before = h.vm("web01");
    Placement origin = before.placement(MigrationHarness.VC);
    h.vc.setBandwidth(50 * MigrationHarness.GIB / 600); // its 50 GiB take ten minutes
    VmMigrationWorkflow wf = h.start("web01", options(MigrationType.AUTO, FailurePolicy.HOLD));
    for (int i = 0; i < 600 && h.vc.calls("relocate") == 0; i++) {
      h.env.sleep(Duration.ofMillis(50));
    }
    MigrationStatus moving = wf.status();
    assertEquals(1, h.vc.calls("relocate"), "the relocate was submitted");
    assertEquals(MigrationAction.INITIATE_SOURCE, moving.currentAction());

    wf.rollback();
    MigrationResult r = result(wf);

    assertEquals(MigrationState.ROLLED_BACK, r.state());
    assertEquals(1, h.vc.calls("cancelTask"), "the running relocate was cancelled in vCenter");
    assertEquals(1, h.vc.calls("relocate"), "nothing had moved, so nothing was moved back");
    h.assertAtOrigin(before.instanceUuid(), origin);
    h.assertNothingHeld(before.instanceUuid());
  }

  @Test
  void rollbackDuringVerifyingRestoresTheOrigin() throws Exception {
    VmInfo before = h.vm("web01");
    Placement origin = before.placement(MigrationHarness.VC);
    VmMigrationWorkflow wf = h.start("web01", MigrationOptions.defaults().withVerify(true, null));

    MigrationStatus verifying = h.awaitState(wf, MigrationState.VERIFYING);
    assertEquals(100, verifying.percent());
    h.assertAtDestination(before);
    wf.rollback();

    MigrationResult r = result(wf);
    assertEquals(MigrationState.ROLLED_BACK, r.state());
    h.assertAtOrigin(before.instanceUuid(), origin);
    h.assertNothingHeld(before.instanceUuid());
    h.record(wf, "hot-rolled-back");
  }

  @Test
  void confirmFinalisesAndAutoConfirmFiresAfterItsWindow() {
    VmInfo web = h.vm("web01");
    VmInfo db = h.vm("db01");
    VmMigrationWorkflow manual =
        h.start("web01", MigrationOptions.defaults().withVerify(true, null));
    VmMigrationWorkflow auto =
        h.start("db01", MigrationOptions.defaults().withVerify(true, Duration.ofHours(2)));
    h.awaitState(manual, MigrationState.VERIFYING);
    assertEquals(
        "migrate-vc1-" + web.instanceUuid().toLowerCase(java.util.Locale.ROOT),
        h.vmByUuid(web.instanceUuid()).customValue(MigrationAttributes.LOCK),
        "still locked while verifying");

    manual.confirm();
    assertEquals(MigrationState.COMPLETED, result(manual).state());
    assertEquals(MigrationState.COMPLETED, result(auto).state());
    h.assertNothingHeld(web.instanceUuid());
    h.assertNothingHeld(db.instanceUuid());
  }

  @Test
  void coldHeldThenResumed() throws Exception {
    VmInfo before = h.vm("app01");
    h.faults.failPermanently("RegisterDestinationVm", ActionFaults.When.BEFORE);
    VmMigrationWorkflow wf =
        h.start(
            "app01",
            MigrationHarness.crossMapping(),
            options(MigrationType.COLD, FailurePolicy.HOLD));
    MigrationStatus held = h.awaitState(wf, MigrationState.FAILED_WAITING);
    assertTrue(held.lastError().contains("RegisterDestinationVm"), held.lastError());
    // Held between unregister and register: the VM is in neither vCenter's inventory, and the
    // workflow's recorded origin is what lets either way out finish the job.
    assertTrue(h.vc.findVmByInstanceUuid(before.instanceUuid()).isEmpty());
    assertTrue(h.vc2.findVmByInstanceUuid(before.instanceUuid()).isEmpty());
    assertEquals(before.placement(MigrationHarness.VC).host(), held.origin().host());

    h.faults.clear();
    wf.resume();

    assertEquals(MigrationState.COMPLETED, result(wf).state());
    VmInfo after = h.vc2.findVmByInstanceUuid(before.instanceUuid()).orElseThrow();
    assertEquals(before.biosUuid(), after.biosUuid());
    h.record(wf, "cold-held-then-resumed");
  }

  /** Prints the activity types in the order the history scheduled them, and the event count. */
  private static void describe(String label, WorkflowExecutionHistory history) {
    List<String> activities =
        history.getEvents().stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
            .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
            .map(a -> a.getActivityType().getName())
            .toList();
    System.out.printf(
        "%s run: %d history events; activities: %s%n",
        label, history.getEvents().size(), String.join(", ", activities));
  }
}

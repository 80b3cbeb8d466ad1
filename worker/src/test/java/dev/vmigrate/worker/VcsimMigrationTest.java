package dev.vmigrate.worker;

import static dev.vmigrate.worker.MigrationHarness.options;
import static dev.vmigrate.worker.VcsimHarness.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.activity.ActivityNames;
import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationItinerary;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.PendingAction;
import dev.vmigrate.model.Placement;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VirtualNic;
import dev.vmigrate.vsphere.ClusterInfo;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.vcsim.VcsimExtension;
import dev.vmigrate.vsphere.vim25.VcsimVms;
import dev.vmigrate.vsphere.vim25.Vim25Connection;
import dev.vmigrate.workflow.PendingActions;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * VM migrations end to end on VMware's simulator: the real workflow and activities on a Temporal
 * test environment, the vim25 SOAP gateway, and a fresh vcsim per test with two clusters of two
 * hosts, datastores LocalDS_0 and LocalDS_1 on every host and distributed port groups DC0_DVPG0 and
 * DC0_DVPG1. The migrated VM is DC0_C0_RP0_VM0 (cluster DC0_C0, disk on LocalDS_0, NIC on
 * DC0_DVPG0); every assertion reads vcsim's inventory back through the gateway.
 *
 * <p>vcsim does not move disk files on a datastore change (docs/vcsim.md); the test that asks for
 * one shows how vmigrate's verification catches that and rolls back. Like vCenter, vcsim applies
 * the NIC changes the relocate carries, so ReconfigureVm finds the NICs mapped and calls nothing;
 * the launcher's call counts ({@code /vmigrate/calls}) show which SOAP calls reached vcsim.
 */
class VcsimMigrationTest {

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
  private ClusterInfo c0;
  private ClusterInfo c1;

  @BeforeEach
  void setUp() {
    h = new VcsimHarness(vcsim);
    c0 = h.cluster(h.vc, "DC0_C0");
    c1 = h.cluster(h.vc, "DC0_C1");
    // vcsim gives every VM a CD-ROM on a host device, which blocks vMotion (and vmigrate's
    // prechecks); an administrator removes it first, and so does the test.
    assertEquals(1, VcsimVms.removeHostCdroms(h.vc, h.vm(VM).id()));
    before = h.vm(VM);
    assertEquals(c0.id(), before.cluster());
    assertEquals(1, before.disks().size());
    assertEquals(1, before.nics().size());
    vcsim.resetCalls(); // count the migration's calls only, not the set-up's ReconfigVM_Task
  }

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  /** DC0_C0 to DC0_C1; datastores and port groups as given (identity when empty). */
  private static InfrastructureMapping mapping(Map<String, String> datastores, String network) {
    Map<String, String> ds =
        new HashMap<>(Map.of("LocalDS_0", "LocalDS_0", "LocalDS_1", "LocalDS_1"));
    ds.putAll(datastores);
    return new InfrastructureMapping(
        VcsimHarness.VC,
        VcsimHarness.VC,
        List.of(new ClusterMapping("DC0_C0", "DC0_C1", null, null)),
        ds,
        Map.of("DC0_DVPG0", network));
  }

  private void powerOff() {
    h.vc.waitForTask(h.vc.powerOff(before.id()), Duration.ofSeconds(10));
    before = h.vm(VM);
    assertEquals(PowerState.POWERED_OFF, before.powerState());
  }

  /** In DC0_C1's root pool on one of its hosts, same UUIDs, MACs and .vmx, marked migrated. */
  private VmInfo assertInCluster1(String network) {
    VmInfo now = h.vmByUuid(before.instanceUuid());
    assertEquals(before.id(), now.id(), "relocated, not re-registered");
    assertEquals(c1.id(), now.cluster(), "cluster");
    assertTrue(c1.hosts().contains(now.host()), "host " + now.host() + " in DC0_C1");
    assertEquals(c1.rootResourcePool(), now.resourcePool(), "resource pool");
    assertEquals(before.folder(), now.folder(), "folder");
    assertEquals(before.biosUuid(), now.biosUuid(), "BIOS UUID");
    assertEquals(before.vmPathName(), now.vmPathName(), ".vmx path");
    assertEquals(before.disks(), now.disks(), "disks");
    VirtualNic nic = now.nics().get(0);
    assertEquals(before.nics().get(0).macAddress(), nic.macAddress(), "MAC");
    assertEquals(h.networkId(h.vc, network), nic.network(), "network");
    assertEquals(before.powerState(), now.powerState(), "power state");
    assertTrue(
        String.valueOf(now.customValue(MigrationAttributes.RESULT)).startsWith("migrated "),
        "marked migrated");
    return now;
  }

  @Test
  void hotMigrationMovesHostAndPoolKeepingIdentity() {
    assertEquals(PowerState.POWERED_ON, before.powerState());

    MigrationResult r =
        result(
            h.start(
                before,
                mapping(Map.of(), "DC0_DVPG0"),
                options(MigrationType.AUTO, FailurePolicy.HOLD)));

    assertEquals(MigrationState.COMPLETED, r.state(), r::toString);
    assertEquals(
        List.of(
            MigrationAction.PREPARE_SOURCE,
            MigrationAction.PREPARE_DESTINATION,
            MigrationAction.INITIATE_DESTINATION,
            MigrationAction.INITIATE_SOURCE,
            MigrationAction.SWITCH_HOST_AND_POOL,
            MigrationAction.COMPLETE_SOURCE,
            MigrationAction.COMPLETE_DESTINATION),
        r.actionsRun().subList(MigrationItinerary.PREFIX.size(), r.actionsRun().size()));
    assertNotEquals(before.host(), assertInCluster1("DC0_DVPG0").host());
    assertEquals(
        1,
        vcsim.calls().path("methods").path("CheckRelocate_Task").asInt(0),
        "CheckCompatibility asked vCenter's provisioning checker once");
    h.assertNothingHeld(h.vc, before.instanceUuid());
  }

  /**
   * A relocate that vcsim keeps running for 4 s: while its task runs, InitiateSource is pending
   * with its first attempt, heartbeating (the API's live view reads exactly this), the VM has not
   * moved yet, and the workflow reports the data-moving action; then the task lands and the
   * migration completes with one relocate.
   */
  @Test
  void aRunningRelocateIsHeartbeatedAndVisibleUntilItLands() {
    vcsim.delayTasks("RelocateVM_Task", 4000);
    VmMigrationWorkflow wf =
        h.start(
            before, mapping(Map.of(), "DC0_DVPG0"), options(MigrationType.HOT, FailurePolicy.HOLD));
    String id = WorkflowStub.fromTyped(wf).getExecution().getWorkflowId();

    PendingAction running =
        awaitPending(
            id,
            p ->
                p.action().equals(ActivityNames.INITIATE_SOURCE)
                    && p.lastHeartbeat() != null
                    && vcsim.calls("RelocateVM_Task", before.id()) == 1);
    assertNotNull(running, "InitiateSource never heartbeated while the relocate ran");
    System.out.println("vcsim relocate in flight: " + running);
    assertEquals(1, running.attempt(), "the running task is followed, not retried");
    assertEquals(MigrationAction.INITIATE_SOURCE, wf.status().currentAction());
    assertEquals(c0.id(), h.vm(VM).cluster(), "the delayed relocate has not landed yet");

    MigrationResult r = result(wf);
    assertEquals(MigrationState.COMPLETED, r.state(), r::toString);
    assertInCluster1("DC0_DVPG0");
    assertEquals(1, vcsim.calls("RelocateVM_Task", before.id()), "one relocate");
    h.assertNothingHeld(h.vc, before.instanceUuid());
  }

  @Test
  void hotMigrationWithANetworkRemapMovesTheNicWithTheRelocate() {
    MigrationResult r =
        result(
            h.start(
                before,
                mapping(Map.of(), "DC0_DVPG1"),
                options(MigrationType.AUTO, FailurePolicy.HOLD)));

    assertEquals(MigrationState.COMPLETED, r.state(), r::toString);
    // The relocate carries the NIC change and vcsim applies it, as vCenter does; ReconfigureVm
    // checks the NICs and finds nothing left to do.
    assertTrue(r.actionsRun().contains(MigrationAction.RECONFIGURE_VM), r::toString);
    assertInCluster1("DC0_DVPG1");
    assertEquals(1, vcsim.calls("RelocateVM_Task", before.id()));
    assertEquals(0, vcsim.calls("ReconfigVM_Task", before.id()), "no reconfigure needed");
    h.assertNothingHeld(h.vc, before.instanceUuid());
  }

  @Test
  void hotRollbackFromVerifyingPutsTheVmBackOnItsOriginHostAndPool() {
    Placement origin = before.placement(VcsimHarness.VC);
    VmMigrationWorkflow wf =
        h.start(
            before,
            mapping(Map.of(), "DC0_DVPG0"),
            MigrationOptions.defaults().withVerify(true, null));

    h.awaitState(wf, MigrationState.VERIFYING);
    assertEquals(c1.id(), h.vmByUuid(before.instanceUuid()).cluster(), "at the destination");
    wf.rollback();

    assertEquals(MigrationState.ROLLED_BACK, result(wf).state());
    h.assertAtOrigin(before.instanceUuid(), origin);
    h.assertNothingHeld(h.vc, before.instanceUuid());
    assertTrue(
        String.valueOf(h.vmByUuid(before.instanceUuid()).customValue(MigrationAttributes.RESULT))
            .startsWith("rolled-back "));
  }

  @Test
  void coldMigrationMovesHostAndPoolAndRemapsTheNic() {
    powerOff();

    MigrationResult r =
        result(
            h.start(
                before,
                mapping(Map.of(), "DC0_DVPG1"),
                options(MigrationType.AUTO, FailurePolicy.HOLD)));

    assertEquals(MigrationState.COMPLETED, r.state(), r::toString);
    // The relocate's deviceChange remaps the NIC; ReconfigureVm finds it done.
    assertTrue(r.actionsRun().contains(MigrationAction.CREATE_DESTINATION_VM), r::toString);
    assertTrue(r.actionsRun().contains(MigrationAction.RECONFIGURE_VM), r::toString);
    assertInCluster1("DC0_DVPG1");
    assertEquals(1, vcsim.calls("RelocateVM_Task", before.id()));
    assertEquals(0, vcsim.calls("ReconfigVM_Task", before.id()), "no reconfigure needed");
    h.assertNothingHeld(h.vc, before.instanceUuid());
  }

  /**
   * vcsim's RelocateVM_Task only replaces the VM's datastore list on a datastore change: the .vmx
   * and the disk stay on LocalDS_0. vmigrate's verification reads the disk backings, refuses to
   * call that migrated and holds; a rollback then restores the origin, datastore list included.
   */
  @Test
  void coldDatastoreChangeThatVcsimDoesNotCarryOutIsCaughtAndRolledBack() {
    powerOff();
    Placement origin = before.placement(VcsimHarness.VC);
    String ds0 = h.datastoreId(h.vc, "LocalDS_0");
    String ds1 = h.datastoreId(h.vc, "LocalDS_1");
    assertEquals(List.of(ds0), VcsimVms.datastoreList(h.vc, before.id()));

    VmMigrationWorkflow wf =
        h.start(
            before,
            mapping(Map.of("LocalDS_0", "LocalDS_1"), "DC0_DVPG1"),
            options(MigrationType.AUTO, FailurePolicy.HOLD));
    MigrationStatus held = h.awaitState(wf, MigrationState.FAILED_WAITING);

    assertEquals(MigrationAction.COMPLETE_DESTINATION, held.currentAction(), held::toString);
    assertTrue(
        held.lastError().contains("not on the destination host and datastores"), held.lastError());
    VmInfo now = h.vmByUuid(before.instanceUuid());
    // The relocate replaced the list with LocalDS_1 (and remapped the NIC, so no ReconfigVM_Task
    // followed that would re-derive LocalDS_0 from the files, which are still there).
    assertEquals(List.of(ds1), VcsimVms.datastoreList(h.vc, before.id()), "datastore list");
    assertEquals(before.vmPathName(), now.vmPathName(), ".vmx left on LocalDS_0");
    for (VirtualDisk d : now.disks()) {
      assertEquals(ds0, d.datastore(), d.label() + " left on LocalDS_0");
    }
    assertEquals(c1.id(), now.cluster(), "host and pool did change");
    assertEquals(h.networkId(h.vc, "DC0_DVPG1"), now.nics().get(0).network(), "NIC remapped");

    wf.rollback();

    assertEquals(MigrationState.ROLLED_BACK, result(wf).state());
    h.assertAtOrigin(before.instanceUuid(), origin);
    assertEquals(List.of(ds0), VcsimVms.datastoreList(h.vc, before.id()), "datastore list");
    h.assertNothingHeld(h.vc, before.instanceUuid());
  }

  // ---- SOAP faults and slow calls injected into vcsim ----

  @Test
  void transientHostCommunicationFaultsOnTheRelocateAreRetriedAndTheMoveCompletes() {
    vcsim.injectFault("RelocateVM_Task", "HostCommunication", 2, 0);

    MigrationResult r =
        result(
            h.start(
                before,
                mapping(Map.of(), "DC0_DVPG0"),
                options(MigrationType.AUTO, FailurePolicy.HOLD)));

    assertEquals(MigrationState.COMPLETED, r.state(), r::toString);
    assertEquals(3, h.faults.calls("InitiateSource"), "two faulted attempts, then the relocate");
    assertInCluster1("DC0_DVPG0");
    h.assertNothingHeld(h.vc, before.instanceUuid());
  }

  @Test
  void aSlowRelocateThatThenFaultsTransientlyIsRetried() {
    powerOff();
    // 1.5 s inside the 30 s call timeout, then HostCommunication: a slow host that drops out.
    // (The cold move's relocate: ReconfigVM_Task is not called when the relocate remaps the NIC.)
    vcsim.injectFault("RelocateVM_Task", "HostCommunication", 1, 1500);

    MigrationResult r =
        result(
            h.start(
                before,
                mapping(Map.of(), "DC0_DVPG1"),
                options(MigrationType.AUTO, FailurePolicy.HOLD)));

    assertEquals(MigrationState.COMPLETED, r.state(), r::toString);
    assertEquals(2, h.faults.calls("CreateDestinationVm"));
    assertInCluster1("DC0_DVPG1");
    assertEquals(1, vcsim.calls("RelocateVM_Task", before.id()), "one relocate reached vCenter");
    assertEquals(1, vcsim.calls().path("injected").path("RelocateVM_Task").asInt());
    h.assertNothingHeld(h.vc, before.instanceUuid());
  }

  /**
   * The relocate answers after the client gave up (a 1 s call timeout, a 2 s slow call), and vcsim
   * carries it out anyway, as vCenter does with a task submitted before a timeout. The retried
   * InitiateSource reads vSphere first: it finds the VM already there, or submits the same relocate
   * again while the first is still in flight; either way both land on the same destination.
   */
  @Test
  void aRelocateThatTimesOutOnTheClientButLandsIsNotAnError() {
    h.close();
    Vim25Connection c = vcsim.connection(VcsimHarness.VC);
    h =
        new VcsimHarness(
            new Vim25Connection(
                c.id(),
                c.url(),
                c.username(),
                c.password(),
                c.tls(),
                c.connectTimeout(),
                Duration.ofSeconds(1)),
            null);
    vcsim.injectFault("RelocateVM_Task", null, 1, 2000);

    MigrationResult r =
        result(
            h.start(
                before,
                mapping(Map.of(), "DC0_DVPG0"),
                options(MigrationType.AUTO, FailurePolicy.HOLD)));

    assertEquals(MigrationState.COMPLETED, r.state(), r::toString);
    assertEquals(2, h.faults.calls("InitiateSource"), "timed out once, then converged");
    assertInCluster1("DC0_DVPG0");
    h.assertNothingHeld(h.vc, before.instanceUuid());
  }

  /**
   * A non-retryable fault after the relocate: the relocate task is kept running for 1.5 s, and
   * while it runs (the launcher has counted the call) every SetField is armed to fail, so
   * CompleteDestination's mark fails once the VM has moved and its NIC is remapped.
   */
  @Test
  void aNonRetryableFaultAfterTheRelocateHoldsAndTheRollbackRestoresTheOrigin() {
    powerOff();
    Placement origin = before.placement(VcsimHarness.VC);
    vcsim.delayTasks("RelocateVM_Task", 1500);

    VmMigrationWorkflow wf =
        h.start(
            before,
            mapping(Map.of(), "DC0_DVPG1"),
            options(MigrationType.AUTO, FailurePolicy.HOLD));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (vcsim.calls("RelocateVM_Task", before.id()) == 0) {
      assertTrue(System.nanoTime() < deadline, "the relocate never reached vcsim");
      sleep(20);
    }
    vcsim.injectFault("SetField", "InvalidArgument", 0, 0);
    MigrationStatus held = h.awaitState(wf, MigrationState.FAILED_WAITING);

    assertEquals(MigrationAction.COMPLETE_DESTINATION, held.currentAction(), held::toString);
    assertTrue(held.lastError().contains("InvalidArgument"), held.lastError());
    assertEquals(1, h.faults.calls("CompleteDestination"), "not retried");
    VmInfo half = h.vmByUuid(before.instanceUuid());
    assertEquals(c1.id(), half.cluster(), "relocated before the fault");
    assertEquals(h.networkId(h.vc, "DC0_DVPG1"), half.nics().get(0).network(), "NIC remapped");
    assertEquals(1, vcsim.calls("RelocateVM_Task", before.id()));
    assertEquals(0, vcsim.calls("ReconfigVM_Task", before.id()));

    vcsim.clearFaults();
    wf.rollback();

    MigrationResult r = result(wf);
    assertEquals(MigrationState.ROLLED_BACK, r.state(), r::toString);
    h.assertAtOrigin(before.instanceUuid(), origin);
    h.assertNothingHeld(h.vc, before.instanceUuid());
  }

  @Test
  void aNonRetryableRelocateFaultUnderTheRollbackPolicyRollsBackAtOnce() {
    Placement origin = before.placement(VcsimHarness.VC);
    vcsim.injectFault("RelocateVM_Task", "NoDiskSpace", 1, 0);

    MigrationResult r =
        result(
            h.start(
                before,
                mapping(Map.of(), "DC0_DVPG0"),
                options(MigrationType.AUTO, FailurePolicy.ROLLBACK)));

    assertEquals(MigrationState.ROLLED_BACK, r.state(), r::toString);
    assertTrue(r.error().contains("NoDiskSpace"), r.error());
    assertEquals(1, h.faults.calls("InitiateSource"), "not retried");
    h.assertAtOrigin(before.instanceUuid(), origin);
    h.assertNothingHeld(h.vc, before.instanceUuid());
  }

  /**
   * The migration's first pending action that {@code wanted} accepts, read as the API reads it,
   * within about a minute; null when none showed up.
   */
  private PendingAction awaitPending(String workflowId, Predicate<PendingAction> wanted) {
    for (int i = 0; i < 400; i++) {
      h.env.sleep(Duration.ofMillis(150));
      Optional<PendingAction> found =
          PendingActions.describe(
                  h.env.getWorkflowServiceStubs(),
                  h.env.getNamespace(),
                  workflowId,
                  Duration.ofSeconds(2))
              .stream()
              .filter(wanted)
              .findFirst();
      if (found.isPresent()) {
        return found.get();
      }
    }
    return null;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * A relocate that vCenter keeps refusing with a transient fault (HostCommunication): while
   * Temporal retries InitiateSource the migration is still RUNNING, yet its pending activity, read
   * as the API reads it, already shows the attempt and vCenter's fault. Once the fault clears, the
   * retry moves the VM.
   */
  @Test
  void aRetriedRelocateShowsItsAttemptAndFailureWhileItIsRetried() {
    vcsim.injectFault("RelocateVM_Task", "HostCommunication", 100, 0);
    VmMigrationWorkflow wf =
        h.start(
            before, mapping(Map.of(), "DC0_DVPG0"), options(MigrationType.HOT, FailurePolicy.HOLD));
    String id = WorkflowStub.fromTyped(wf).getExecution().getWorkflowId();

    PendingAction seen = awaitPending(id, p -> p.attempt() >= 2 && p.lastFailure() != null);
    assertNotNull(seen, "no retried action became visible");
    System.out.println("vcsim retried action: " + seen);
    assertEquals(ActivityNames.INITIATE_SOURCE, seen.action());
    assertTrue(seen.lastFailure().contains("HostCommunication"), seen.lastFailure());
    assertEquals(10, seen.maximumAttempts());
    assertEquals(MigrationState.RUNNING, wf.status().state(), "visible before the retries run out");

    vcsim.clearFaults();
    MigrationResult r = result(wf);
    assertEquals(MigrationState.COMPLETED, r.state(), r::toString);
    assertInCluster1("DC0_DVPG0");
    h.assertNothingHeld(h.vc, before.instanceUuid());
  }

  /**
   * A relocate that vCenter refuses, on every call, with a permanent fault (SystemError) holds in
   * FAILED_WAITING on its first attempt, within a minute, with vCenter's fault as its last error.
   * Seconds of the test server's clock, from the start to FAILED_WAITING, printed.
   */
  @Test
  void aRelocateRefusedWithAPermanentFaultHoldsWithinAMinute() {
    long seconds = secondsToHold("SystemError", 1);
    System.out.printf(
        "relocate refused with SystemError (permanent) -> FAILED_WAITING: %d s%n", seconds);
    assertTrue(seconds < 60, seconds + " s");
  }

  /**
   * The same refusal with a transient fault (HostCommunication, as SystemError was classified
   * before) keeps the migration RUNNING through the data movers' ten attempts before it holds.
   */
  @Test
  void aRelocateRefusedWithATransientFaultHoldsAfterItsRetries() {
    long seconds = secondsToHold("HostCommunication", 10);
    System.out.printf(
        "relocate refused with HostCommunication (transient) -> FAILED_WAITING: %d s%n", seconds);
    assertTrue(seconds > 300, seconds + " s");
  }

  private long secondsToHold(String fault, int expectedAttempts) {
    vcsim.injectFault("RelocateVM_Task", fault, 100, 0);
    long start = h.env.currentTimeMillis();
    VmMigrationWorkflow wf =
        h.start(
            before, mapping(Map.of(), "DC0_DVPG0"), options(MigrationType.HOT, FailurePolicy.HOLD));
    MigrationStatus s = wf.status();
    // Seconds of the test server's clock at a time: the transient retries back off to 2 minutes.
    for (int i = 0; i < 1200 && s.state() != MigrationState.FAILED_WAITING; i++) {
      h.env.sleep(Duration.ofSeconds(1));
      s = wf.status();
    }
    assertEquals(MigrationState.FAILED_WAITING, s.state(), s::toString);
    assertTrue(s.lastError().contains(fault), s.lastError());
    assertEquals(
        expectedAttempts,
        vcsim.calls().path("injected").path("RelocateVM_Task").asInt(0),
        fault + ": relocates vCenter refused");
    return (h.env.currentTimeMillis() - start) / 1000;
  }
}

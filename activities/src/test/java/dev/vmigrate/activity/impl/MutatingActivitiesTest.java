package dev.vmigrate.activity.impl;

import static dev.vmigrate.activity.impl.ActivityFixture.GIB;
import static dev.vmigrate.activity.impl.ActivityFixture.assertFailure;
import static dev.vmigrate.activity.impl.ActivityFixture.failure;
import static dev.vmigrate.activity.impl.ActivityFixture.mapping;
import static dev.vmigrate.activity.impl.ActivityFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationMode;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.VmIdentity;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MutatingActivitiesTest {
  private ActivityFixture f;

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  /**
   * Runs an action twice: the first changes something, the second finds it done and leaves vSphere
   * as it was.
   */
  private void twice(String vmName, Supplier<ActionOutcome> action) {
    ActionOutcome first = action.get();
    assertTrue(first.changed(), first::summary);
    VmInfo after = vm(vmName);
    ActionOutcome second = action.get();
    assertFalse(second.changed(), second::summary);
    assertEquals(after, vm(vmName), "a repeat changed vSphere");
  }

  private VmInfo vm(String name) {
    return f.vc.vm(f.vc.vmId(name));
  }

  @Test
  void hotMigrationActionsAreIdempotentAndConfirmKeepsOriginAndResult() {
    f = new ActivityFixture();
    MigrationContext ctx =
        f.analysed(
            "m1",
            request(
                f.vc.vmId("web01"),
                mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b")),
                MigrationType.AUTO));
    assertEquals(MigrationMode.HOT, ctx.spec().mode());
    twice("web01", () -> f.source.prepareSource(ctx));
    assertEquals("m1", vm("web01").customValue(MigrationAttributes.LOCK));
    assertNotNull(vm("web01").customValue(MigrationAttributes.ORIGIN));
    assertFalse(f.destination.prepareDestination(ctx).changed());
    twice("web01", () -> f.destination.initiateDestination(ctx));
    twice("web01", () -> f.source.initiateSource(ctx));
    assertEquals(1, f.vc.calls("relocate", f.vc.vmId("web01")));
    VmInfo moved = vm("web01");
    assertEquals(f.vc.hostId("esx-11"), moved.host());
    assertEquals(f.vc.datastoreId("ds-b"), moved.vmxDatastore());
    assertEquals(f.vc.resourcePoolId("dr", "Resources"), moved.resourcePool());
    // The folder is kept within one vCenter: nothing for SwitchHostAndPool to do.
    assertFalse(f.destination.switchHostAndPool(ctx).changed());
    f.source.completeSource(ctx);
    twice("web01", () -> f.destination.completeDestination(ctx));
    assertTrue(vm("web01").customValue(MigrationAttributes.RESULT).startsWith("migrated m1 "));
    twice("web01", () -> f.finalization.confirmMigration(ctx));
    VmInfo done = vm("web01");
    assertNull(done.customValue(MigrationAttributes.LOCK));
    assertNull(done.customValue(MigrationAttributes.DESTINATION));
    assertNotNull(done.customValue(MigrationAttributes.ORIGIN));
    assertNotNull(done.customValue(MigrationAttributes.RESULT));
  }

  @Test
  void aRepeatMigrationRunsOnAVmCarryingAnEarlierMigrationsAttributes() {
    f = new ActivityFixture();
    String web = f.vc.vmId("web01");
    VmInfo before = vm("web01");
    MigrationContext first =
        migrateAndConfirm("m1", mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b")), web);
    VmInfo moved = vm("web01");
    assertTrue(moved.customValue(MigrationAttributes.RESULT).startsWith("migrated m1 "));
    assertEquals(json(first), moved.customValue(MigrationAttributes.ORIGIN));

    // Moving it back under a migration id of its own: the earlier result and origin stop nothing.
    MigrationContext back =
        migrateAndConfirm("m1-r2", mapping("vc1", "dr", "prod", Map.of("ds-b", "ds-a")), web);
    VmInfo home = vm("web01");
    assertEquals(before.host(), home.host());
    assertEquals(before.resourcePool(), home.resourcePool());
    assertEquals(before.disks(), home.disks());
    assertTrue(home.customValue(MigrationAttributes.RESULT).startsWith("migrated m1-r2 "));
    assertEquals(json(back), home.customValue(MigrationAttributes.ORIGIN), "its own origin");
    assertNull(home.customValue(MigrationAttributes.LOCK));
  }

  /** A hot migration's actions in queue order, then confirm; returns its context. */
  private MigrationContext migrateAndConfirm(
      String id, dev.vmigrate.model.InfrastructureMapping mapping, String vmId) {
    // Analysis refuses a VM that prechecks block (a lock held by another migration, say).
    MigrationContext ctx = f.analysed(id, request(vmId, mapping, MigrationType.AUTO));
    f.source.prepareSource(ctx);
    f.destination.prepareDestination(ctx);
    f.destination.initiateDestination(ctx);
    f.source.initiateSource(ctx);
    f.destination.switchHostAndPool(ctx);
    f.source.completeSource(ctx);
    f.destination.completeDestination(ctx);
    f.finalization.confirmMigration(ctx);
    return ctx;
  }

  private static String json(MigrationContext ctx) {
    return VsphereSupport.json(ctx.origin());
  }

  @Test
  void hotRollbackCompensationsAreIdempotentAndRestoreOrigin() {
    f = new ActivityFixture();
    MigrationContext ctx =
        f.analysed(
            "m1",
            request(
                f.vc.vmId("web01"),
                mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b")),
                MigrationType.AUTO));
    VmInfo before = vm("web01");
    f.source.prepareSource(ctx);
    f.destination.initiateDestination(ctx);
    f.source.initiateSource(ctx);
    f.destination.switchHostAndPool(ctx);
    f.destination.completeDestination(ctx);

    twice("web01", () -> f.destination.uncompleteDestination(ctx));
    // The origin pool is in the origin cluster: SwitchBack can only restore what fits this host.
    assertFalse(f.destination.switchBackHostAndPool(ctx).changed());
    twice("web01", () -> f.source.revertSource(ctx));
    twice("web01", () -> f.destination.cancelDestination(ctx));
    twice("web01", () -> f.source.unprepareSource(ctx));
    twice("web01", () -> f.finalization.recordRollback(ctx));
    VmInfo after = vm("web01");
    assertEquals(before.host(), after.host());
    assertEquals(before.resourcePool(), after.resourcePool());
    assertEquals(before.disks(), after.disks());
    assertEquals(before.nics(), after.nics());
    assertTrue(after.customValue(MigrationAttributes.RESULT).startsWith("rolled-back m1 "));
    assertNull(after.customValue(MigrationAttributes.LOCK));
  }

  @Test
  void retriedInitiateSourceReattachesToTheSubmittedRelocate() throws Exception {
    f = new ActivityFixture();
    f.vc.setBandwidth(GIB); // 50 GiB of disks: the task runs for 50 simulated seconds
    String web = f.vc.vmId("web01");
    MigrationContext ctx =
        f.analysed(
            "m1",
            request(web, mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b")), MigrationType.AUTO));
    f.source.prepareSource(ctx);
    AtomicReference<TaskProgress> heartbeat = new AtomicReference<>();
    f.env.setActivityHeartbeatListener(TaskProgress.class, heartbeat::set);
    // The worker loses vCenter right after submitting: polling the task fails.
    f.vc
        .failAlways("task")
        .on(web)
        .with(new VsphereException.InvalidState("NotAuthenticated", "session lost"));
    assertFailure(
        failure(() -> f.source.initiateSource(ctx)),
        FailureTypes.INVALID_STATE,
        true,
        "session lost");
    assertEquals(1, f.vc.calls("relocate", web));
    TaskProgress recorded = heartbeat.get();
    assertNotNull(recorded, "the task id is heartbeated before following it");
    f.vc.clearFaults();

    f.newEnvironment();
    f.env.setHeartbeatDetails(recorded);
    int polls = f.vc.calls("task", web);
    CompletableFuture<ActionOutcome> retry =
        CompletableFuture.supplyAsync(() -> f.source.initiateSource(ctx));
    while (f.vc.calls("task", web) <= polls + 1 && !retry.isDone()) {
      Thread.sleep(2);
    }
    f.clock.advance(Duration.ofMinutes(1));
    ActionOutcome outcome = retry.get(20, TimeUnit.SECONDS);
    assertTrue(outcome.changed());
    assertTrue(outcome.summary().contains(recorded.task()), outcome.summary());
    assertEquals(1, f.vc.calls("relocate", web), "no second relocate");
    assertEquals(f.vc.datastoreId("ds-b"), vm("web01").vmxDatastore());
  }

  /**
   * Starts InitiateSource of web01 whose attempt dies right after vCenter accepted the relocate:
   * the worker loses vCenter on its first poll of the task, and the heartbeat that named the task
   * never reaches Temporal (the next attempt gets a fresh environment without heartbeat details).
   * Answers the id of the relocate left running.
   */
  private String relocateSubmittedByADeadAttempt(MigrationContext ctx, String web) {
    AtomicReference<TaskProgress> heartbeat = new AtomicReference<>();
    f.env.setActivityHeartbeatListener(TaskProgress.class, heartbeat::set);
    f.vc
        .failAlways("task")
        .on(web)
        .with(new VsphereException.InvalidState("NotAuthenticated", "session lost"));
    assertFailure(
        failure(() -> f.source.initiateSource(ctx)),
        FailureTypes.INVALID_STATE,
        true,
        "session lost");
    f.vc.clearFaults();
    assertEquals(1, f.vc.calls("relocate", web));
    assertNotNull(heartbeat.get(), "the attempt had submitted its relocate");
    f.newEnvironment();
    return heartbeat.get().task();
  }

  /** Runs InitiateSource again, moving the simulated clock on once the retry follows a task. */
  private CompletableFuture<ActionOutcome> retryWhileTheClockAdvances(
      MigrationContext ctx, String web) throws InterruptedException {
    int polls = f.vc.calls("task", web);
    CompletableFuture<ActionOutcome> retry =
        CompletableFuture.supplyAsync(() -> f.source.initiateSource(ctx));
    while (f.vc.calls("task", web) <= polls + 1 && !retry.isDone()) {
      Thread.sleep(2);
    }
    f.clock.advance(Duration.ofMinutes(1));
    return retry;
  }

  @Test
  void retryWithoutHeartbeatReattachesToTheRelocateRunningOnTheVm() throws Exception {
    f = new ActivityFixture();
    f.vc.setBandwidth(GIB); // 50 GiB of disks: the task runs for 50 simulated seconds
    String web = f.vc.vmId("web01");
    MigrationContext ctx =
        f.analysed(
            "m1",
            request(web, mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b")), MigrationType.AUTO));
    f.source.prepareSource(ctx);
    String submitted = relocateSubmittedByADeadAttempt(ctx, web);

    AtomicReference<TaskProgress> heartbeat = new AtomicReference<>();
    f.env.setActivityHeartbeatListener(TaskProgress.class, heartbeat::set);
    ActionOutcome outcome = retryWhileTheClockAdvances(ctx, web).get(20, TimeUnit.SECONDS);

    assertTrue(outcome.changed(), outcome::summary);
    assertTrue(outcome.summary().contains(submitted), outcome.summary());
    assertEquals(1, f.vc.calls("relocate", web), "no second relocate");
    assertEquals(submitted, heartbeat.get().task(), "the retry heartbeats the task it found");
    assertEquals(f.vc.hostId("esx-11"), vm("web01").host());
    assertEquals(f.vc.datastoreId("ds-b"), vm("web01").vmxDatastore());
  }

  @Test
  void aReattachedRelocateThatFailsIsTypedFromItsFaultAndSubmittedAgainOnRetry() throws Exception {
    f = new ActivityFixture();
    f.vc.setBandwidth(GIB);
    String web = f.vc.vmId("web01");
    MigrationContext ctx =
        f.analysed(
            "m1",
            request(web, mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b")), MigrationType.AUTO));
    f.vc.failTask(
        "relocate",
        web,
        30,
        new VsphereException.Transient("HostCommunication", "esx-11 unreachable"));
    relocateSubmittedByADeadAttempt(ctx, web);

    CompletableFuture<ActionOutcome> retry = retryWhileTheClockAdvances(ctx, web);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> retry.get(20, TimeUnit.SECONDS));
    assertFailure(
        failure(
            () -> {
              throw e.getCause();
            }),
        FailureTypes.TRANSIENT,
        false,
        "esx-11 unreachable");
    assertEquals(1, f.vc.calls("relocate", web), "the retry followed the failing relocate");

    // The failed task is finished: the next attempt finds nothing running and submits anew.
    f.newEnvironment();
    assertTrue(retryWhileTheClockAdvances(ctx, web).get(20, TimeUnit.SECONDS).changed());
    assertEquals(2, f.vc.calls("relocate", web));
    assertEquals(f.vc.hostId("esx-11"), vm("web01").host());
  }

  @Test
  void failedTaskIsTypedFromItsFaultAndRetrySubmitsAgain() {
    f = new ActivityFixture();
    String web = f.vc.vmId("web01");
    MigrationContext ctx =
        f.analysed(
            "m1",
            request(web, mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b")), MigrationType.AUTO));
    f.vc.failTask(
        "relocate",
        web,
        30,
        new VsphereException.Transient("HostCommunication", "esx-11 unreachable"));
    assertFailure(
        failure(() -> f.source.initiateSource(ctx)),
        FailureTypes.TRANSIENT,
        false,
        "esx-11 unreachable");
    assertTrue(f.source.initiateSource(ctx).changed());
    assertEquals(2, f.vc.calls("relocate", web));
    assertEquals(f.vc.hostId("esx-11"), vm("web01").host());
  }

  @Test
  void aRelocateCancelledInVcenterIsNotSubmittedAgain() {
    f = new ActivityFixture();
    String web = f.vc.vmId("web01");
    MigrationContext ctx =
        f.analysed(
            "m1",
            request(web, mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b")), MigrationType.AUTO));
    f.vc.failTask(
        "relocate", web, 30, new VsphereException.Transient("RequestCanceled", "cancelled"));
    assertFailure(
        failure(() -> f.source.initiateSource(ctx)),
        FailureTypes.INVALID_STATE,
        true,
        "was cancelled in vCenter, not by vmigrate");
    assertEquals(1, f.vc.calls("relocate", web));
    assertEquals(f.vc.hostId("esx-01"), vm("web01").host());
  }

  @Test
  void coldMigrationByReregistrationIsIdempotentAndRollsBack() {
    f = new ActivityFixture();
    String web = f.vc.vmId("web01");
    var m =
        new dev.vmigrate.model.InfrastructureMapping(
            "vc1",
            "vc1",
            List.of(new dev.vmigrate.model.ClusterMapping("prod", "dr", "migrated", "landing")),
            Map.of("ds-a", "ds-a"),
            Map.of("VM Network", "pg-app"));
    MigrationContext ctx = f.analysed("m2", request(web, m, MigrationType.COLD));
    VmInfo before = vm("web01");
    twice("web01", () -> f.source.prepareSource(ctx));
    twice("web01", () -> f.source.powerOffSource(ctx));
    assertTrue(f.source.unregisterSourceVm(ctx).changed());
    assertFalse(f.source.unregisterSourceVm(ctx).changed());
    assertTrue(f.vc.findVmByInstanceUuid(before.instanceUuid()).isEmpty());
    VmIdentity first = f.destination.registerDestinationVm(ctx);
    VmIdentity second = f.destination.registerDestinationVm(ctx);
    assertEquals(first, second);
    assertNotEquals(before.id(), first.id());
    assertEquals(before.instanceUuid(), first.instanceUuid());
    MigrationContext at = ctx.withVm(first);
    // Registration already placed it in the destination pool and folder.
    assertFalse(f.destination.switchHostAndPool(at).changed());
    twice("web01", () -> f.destination.reconfigureVm(at));
    assertFalse(f.destination.relayoutSnapshot(at).changed());
    twice("web01", () -> f.destination.powerOnDestination(at));
    twice("web01", () -> f.destination.completeDestination(at));
    VmInfo there = vm("web01");
    assertEquals(f.vc.resourcePoolId("dr", "migrated"), there.resourcePool());
    assertEquals(f.vc.folderId("landing"), there.folder());
    assertEquals(f.vc.networkId("pg-app"), there.nics().get(0).network());
    assertEquals(before.nics().get(0).macAddress(), there.nics().get(0).macAddress());
    assertEquals(before.biosUuid(), there.biosUuid());
    assertEquals(PowerState.POWERED_ON, there.powerState());
    assertEquals(
        "m2",
        there.customValue(MigrationAttributes.LOCK),
        "state carried over the re-registration");

    // Compensations, in reverse order.
    twice("web01", () -> f.destination.uncompleteDestination(at));
    twice("web01", () -> f.destination.powerOffDestination(at));
    twice("web01", () -> f.destination.revertReconfigureVm(at));
    twice("web01", () -> f.destination.switchBackHostAndPool(at));
    ActionOutcome unregistered = f.destination.unregisterDestinationVm(at);
    assertTrue(unregistered.changed());
    assertFalse(f.destination.unregisterDestinationVm(at).changed());
    VmIdentity back = f.source.reregisterSourceVm(at);
    assertEquals(back, f.source.reregisterSourceVm(at));
    MigrationContext home = at.withVm(back);
    twice("web01", () -> f.source.powerOnSource(home));
    twice("web01", () -> f.finalization.recordRollback(home));
    VmInfo restored = vm("web01");
    assertEquals(before.host(), restored.host());
    assertEquals(before.resourcePool(), restored.resourcePool());
    assertEquals(before.folder(), restored.folder());
    assertEquals(before.nics(), restored.nics());
    assertEquals(before.instanceUuid(), restored.instanceUuid());
    assertEquals(PowerState.POWERED_ON, restored.powerState());
  }

  @Test
  void coldRelocateWithStorageChangeIsIdempotentAndReverts() {
    f = new ActivityFixture();
    String db = f.vc.vmId("db01");
    MigrationContext ctx =
        f.analysed(
            "m3",
            request(db, mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b")), MigrationType.AUTO));
    assertEquals(MigrationMode.COLD, ctx.spec().mode());
    twice("db01", () -> f.destination.createDestinationVm(ctx));
    assertEquals(f.vc.datastoreId("ds-b"), vm("db01").disks().get(0).datastore());
    assertEquals(1, f.vc.calls("relocate", db));
    assertFalse(
        f.destination.powerOnDestination(ctx).changed(), "was off at the origin: stays off");
    twice("db01", () -> f.destination.completeDestination(ctx));
    twice("db01", () -> f.destination.destroyDestinationVm(ctx));
    assertEquals(f.vc.datastoreId("ds-a"), vm("db01").disks().get(0).datastore());
    assertEquals(f.vc.hostId("esx-02"), vm("db01").host());
  }

  @Test
  void switchHostAndPoolMovesPoolAndFolderOnceAndSwitchesBackTheFolder() {
    f = new ActivityFixture();
    String db = f.vc.vmId("db01");
    var m =
        new dev.vmigrate.model.InfrastructureMapping(
            "vc1",
            "vc1",
            List.of(new dev.vmigrate.model.ClusterMapping("prod", "dr", "migrated", "landing")),
            Map.of("ds-a", "ds-b"),
            Map.of("VM Network", "VM Network"));
    MigrationContext ctx = f.analysed("m6", request(db, m, MigrationType.AUTO));
    f.destination.createDestinationVm(ctx);
    // Someone put it back in the cluster's root pool meanwhile.
    f.vc.task(
        f.vc.relocate(
            db,
            new dev.vmigrate.vsphere.RelocateSpec(
                null, f.vc.resourcePoolId("dr", "Resources"), null, null, null, null)));
    twice("db01", () -> f.destination.switchHostAndPool(ctx));
    assertEquals(f.vc.resourcePoolId("dr", "migrated"), vm("db01").resourcePool());
    assertEquals(f.vc.folderId("landing"), vm("db01").folder());
    twice("db01", () -> f.destination.switchBackHostAndPool(ctx));
    assertEquals(ctx.origin().folder(), vm("db01").folder());
    assertEquals(
        f.vc.resourcePoolId("dr", "migrated"),
        vm("db01").resourcePool(),
        "the origin pool waits for the VM to be back in its cluster");
    f.destination.destroyDestinationVm(ctx);
    assertEquals(ctx.origin().resourcePool(), vm("db01").resourcePool());
  }

  @Test
  void powerActionsOnAVmAlreadyInTheTargetStateSubmitNoTask() {
    // vCenter would accept a redundant power call and fail its task: the actions must not make one.
    f = new ActivityFixture();
    String web = f.vc.vmId("web01"); // powered on
    String db = f.vc.vmId("db01"); // powered off
    MigrationContext on =
        f.analysed(
            "m1",
            request(web, mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-a")), MigrationType.AUTO));
    MigrationContext off =
        f.analysed(
            "m2",
            request(db, mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-a")), MigrationType.AUTO));
    f.vc.resetCounters();
    assertFalse(f.source.powerOnSource(on).changed());
    assertFalse(f.destination.powerOnDestination(on).changed());
    assertFalse(f.source.powerOffSource(off).changed());
    assertFalse(f.destination.powerOffDestination(off).changed());
    assertEquals(0, f.vc.calls("powerOn"));
    assertEquals(0, f.vc.calls("powerOff"));
    assertEquals(0, f.vc.calls("shutdownGuest"));
    assertEquals(PowerState.POWERED_ON, vm("web01").powerState());
    assertEquals(PowerState.POWERED_OFF, vm("db01").powerState());
  }

  @Test
  void aPowerTaskEndingInInvalidPowerStateIsANonRetryableInvalidStateFailure() {
    f = new ActivityFixture();
    String web = f.vc.vmId("web01");
    MigrationContext ctx =
        f.analysed(
            "m1",
            request(web, mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-a")), MigrationType.AUTO));
    // The simulation's own answer to a redundant power-on is a failed task, typed by await.
    VsphereSupport support = new VsphereSupport(f.registry, ActivityFixture.FAST);
    ApplicationFailure direct =
        assertThrows(ApplicationFailure.class, () -> support.await(f.vc, f.vc.powerOn(web)));
    assertFailure(direct, FailureTypes.INVALID_STATE, true, "InvalidPowerState");
    // Through the activity: the VM reads powered off, but someone powers it on before the task
    // runs, so vCenter fails the task (modelled here with the same fault).
    f.vc.task(f.vc.powerOff(web));
    f.vc.resetCounters();
    f.vc.failTask(
        "powerOn",
        web,
        0,
        new VsphereException.InvalidState("InvalidPowerState", "web01 is already powered on"));
    assertFailure(
        failure(() -> f.source.powerOnSource(ctx)),
        FailureTypes.INVALID_STATE,
        true,
        "InvalidPowerState");
    assertEquals(1, f.vc.calls("powerOn", web), "one power-on task from the activity");
    assertEquals(PowerState.POWERED_OFF, vm("web01").powerState());
  }

  @Test
  void powerOffFallsBackToHardPowerOffWithoutTools() {
    f =
        new ActivityFixture(
            ActivityFixture.standard()
                .vm("notools", v -> v.host("esx-01").disk("ds-a", GIB).withoutTools()));
    String id = f.vc.vmId("notools");
    MigrationRequest req =
        new MigrationRequest(
            id,
            mapping("vc1", "prod", "prod", Map.of("ds-a", "ds-a")),
            new MigrationOptions(
                MigrationType.COLD, null, false, null, null, null, null, Duration.ofMillis(30)),
            null,
            null);
    MigrationContext ctx = f.analysed("m4", req);
    ActionOutcome out = f.source.powerOffSource(ctx);
    assertTrue(out.summary().contains("hard"), out.summary());
    assertEquals(1, f.vc.calls("shutdownGuest", id));
    assertEquals(1, f.vc.calls("powerOff", id));
    assertEquals(PowerState.POWERED_OFF, f.vc.vm(id).powerState());

    MigrationContext web =
        f.analysed(
            "m5",
            request(
                f.vc.vmId("web01"),
                mapping("vc1", "prod", "prod", Map.of("ds-a", "ds-a")),
                MigrationType.COLD));
    assertTrue(f.source.powerOffSource(web).summary().contains("shut down the guest"));
    assertEquals(0, f.vc.calls("powerOff", f.vc.vmId("web01")));
  }

  @Test
  void prepareSourceRefusesVmLockedByAnotherMigration() {
    f = new ActivityFixture();
    String web = f.vc.vmId("web01");
    MigrationContext ctx =
        f.analysed(
            "m1",
            request(web, mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-a")), MigrationType.AUTO));
    f.vc.setCustomValue(web, MigrationAttributes.LOCK, "m-other");
    assertFailure(failure(() -> f.source.prepareSource(ctx)), FailureTypes.LOCKED, true, "m-other");
    assertFalse(f.source.unprepareSource(ctx).changed());
    assertEquals("m-other", vm("web01").customValue(MigrationAttributes.LOCK));
  }

  @Test
  void completeDestinationVerifiesNetworksAndSnapshots() {
    f = new ActivityFixture();
    String web = f.vc.vmId("web01");
    MigrationContext ctx =
        f.analysed(
            "m1",
            request(web, mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-a")), MigrationType.AUTO));
    f.source.initiateSource(ctx);
    f.vc.task(
        f.vc.reconfigureNics(
            web, List.of(new dev.vmigrate.model.NicBackingChange(4000, f.vc.networkId("pg-app")))));
    assertFailure(
        failure(() -> f.destination.completeDestination(ctx)),
        FailureTypes.VERIFICATION_FAILED,
        true,
        "mapped network");
    MigrationContext otherSnapshots =
        new MigrationContext(
            ctx.migrationId(),
            ctx.request(),
            ctx.vm(),
            ctx.origin(),
            List.of("base", "later"),
            ctx.destination(),
            ctx.spec());
    assertFailure(
        failure(() -> f.destination.relayoutSnapshot(otherSnapshots)),
        FailureTypes.VERIFICATION_FAILED,
        true,
        "later");
  }

  @Test
  void completeSourceFailsWhenTheVmStayedOnTheSourceHost() {
    f = new ActivityFixture();
    MigrationContext ctx =
        f.analysed(
            "m1",
            request(
                f.vc.vmId("web01"),
                mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b")),
                MigrationType.AUTO));
    assertFailure(
        failure(() -> f.source.completeSource(ctx)),
        FailureTypes.VERIFICATION_FAILED,
        true,
        "esx-01",
        "ds-a");
  }

  @Test
  void prepareDestinationRechecksTheHostRightBeforeTheMove() {
    f = new ActivityFixture();
    MigrationContext ctx =
        f.analysed(
            "m1",
            request(
                f.vc.vmId("web01"),
                mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-a")),
                MigrationType.AUTO));
    assertFalse(f.destination.prepareDestination(ctx).changed());
    f.vc.setMaintenanceMode(ctx.destination().host(), true);
    assertFailure(
        failure(() -> f.destination.prepareDestination(ctx)),
        FailureTypes.INVALID_STATE,
        true,
        "esx-11",
        "maintenance");
    f.vc.setMaintenanceMode(ctx.destination().host(), false);
    f.vc.disconnectHost(ctx.destination().host());
    assertFailure(
        failure(() -> f.destination.prepareDestination(ctx)),
        FailureTypes.TRANSIENT,
        false,
        "esx-11");
  }
}

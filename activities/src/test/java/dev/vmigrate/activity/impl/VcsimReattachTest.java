package dev.vmigrate.activity.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.activity.AnalysisActivities;
import dev.vmigrate.activity.SourceActivities;
import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.TaskRef;
import dev.vmigrate.vsphere.TaskState;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.vcsim.VcsimExtension;
import dev.vmigrate.vsphere.vim25.VcsimVms;
import dev.vmigrate.vsphere.vim25.Vim25Gateway;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * InitiateSource on VMware's simulator through the vim25 gateway, when the attempt that submitted
 * the relocate died before any heartbeat reached Temporal: the retry has no task to re-attach to
 * from its heartbeat details and must find the relocate on the VM. Two clusters of two hosts; the
 * VM DC0_C0_RP0_VM0 moves from DC0_C0 to DC0_C1.
 */
class VcsimReattachTest {

  @RegisterExtension
  static final VcsimExtension vcsim =
      VcsimExtension.perTest(
          "-cluster", "2", "-host", "2", "-standalone-host", "0", "-ds", "2", "-vm", "1");

  private static final String VC = "vcsim";

  private Vim25Gateway gw;
  private TestActivityEnvironment env;
  private AnalysisActivities analysis;
  private SourceActivities source;

  @BeforeEach
  void setUp() {
    gw = new Vim25Gateway(vcsim.connection(VC));
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new AnalysisActivitiesImpl(id -> gw),
        new SourceActivitiesImpl(id -> gw, ActivityFixture.FAST));
    ActivityOptions options =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(30))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();
    analysis = env.newActivityStub(AnalysisActivities.class, options);
    source = env.newActivityStub(SourceActivities.class, options);
  }

  @AfterEach
  void tearDown() {
    env.close();
    gw.close();
  }

  @Test
  void retryWithoutHeartbeatReattachesToTheRelocateRunningOnTheVm() {
    VmInfo vm = gw.vm(gw.inventory().vmByName("DC0_C0_RP0_VM0").orElseThrow().id());
    // vcsim's host CD-ROM would fail the compatibility check, as it blocks a vMotion.
    assertEquals(1, VcsimVms.removeHostCdroms(gw, vm.id()));
    MigrationContext ctx = analysed(vm);
    String cluster1 = gw.inventory().clusterByName("DC0_C1").orElseThrow().id();
    vcsim.delayTasks(TaskInfo.RELOCATE, 3000);
    vcsim.resetCalls();

    // All that the dead attempt left behind: the relocate InitiateSource submits, running in
    // vCenter, and no heartbeat details in Temporal (this environment never saw that attempt).
    TaskRef lost = gw.relocate(vm.id(), Placements.toDestination(ctx.destination(), true));
    assertEquals(TaskState.RUNNING, gw.task(lost).state());
    AtomicReference<TaskProgress> heartbeat = new AtomicReference<>();
    env.setActivityHeartbeatListener(TaskProgress.class, heartbeat::set);

    ActionOutcome outcome = source.initiateSource(ctx);

    assertTrue(outcome.changed(), outcome::summary);
    assertTrue(outcome.summary().contains(lost.id()), outcome.summary());
    assertEquals(lost.id(), heartbeat.get().task(), "the retry heartbeats the task it found");
    assertEquals(TaskState.SUCCESS, gw.task(lost).state());
    assertEquals(1, vcsim.calls(TaskInfo.RELOCATE, vm.id()), "exactly one relocate");
    assertEquals(cluster1, gw.vm(vm.id()).cluster());
    assertEquals(ctx.destination().host(), gw.vm(vm.id()).host());
  }

  private MigrationContext analysed(VmInfo vm) {
    InfrastructureMapping mapping =
        new InfrastructureMapping(
            VC,
            VC,
            List.of(new ClusterMapping("DC0_C0", "DC0_C1", null, null)),
            Map.of("LocalDS_0", "LocalDS_0", "LocalDS_1", "LocalDS_1"),
            Map.of("DC0_DVPG0", "DC0_DVPG0"));
    MigrationContext ctx =
        MigrationContext.start(
            "m-reattach",
            new MigrationRequest(
                vm.id(),
                mapping,
                MigrationOptions.defaults().withType(MigrationType.AUTO),
                null,
                null));
    ctx = ctx.withPrechecks(analysis.invokePrechecks(ctx));
    ctx = ctx.withDestination(analysis.selectDestination(ctx));
    analysis.checkPermission(ctx);
    analysis.checkCompatibility(ctx);
    return ctx.withSpec(analysis.computeSpec(ctx));
  }
}

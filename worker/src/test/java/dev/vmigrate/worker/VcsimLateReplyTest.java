package dev.vmigrate.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.activity.ActivityNames;
import dev.vmigrate.activity.AnalysisActivities;
import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.VirtualNic;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.vcsim.VcsimExtension;
import dev.vmigrate.vsphere.vim25.VcsimVms;
import dev.vmigrate.vsphere.vim25.Vim25Gateway;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One action per vCenter change, on VMware's simulator, when vCenter runs the call but its reply
 * comes back later than the attempt may run: vcsim holds the reply ({@link
 * VcsimExtension#holdReply}) past the attempt's start-to-close timeout, Temporal times the attempt
 * out and retries it while the first call is done (or still running) in vCenter. The retry must
 * rejoin what the first call started and send nothing again: vcsim counts exactly one call of the
 * method for the VM. The activities run on a Temporal test server in real time, with the worker's
 * {@link LivenessHeartbeats}, under short timeouts so that each case takes seconds.
 */
class VcsimLateReplyTest {

  @RegisterExtension
  static final VcsimExtension vcsim =
      VcsimExtension.perTest(
          "-cluster", "2", "-host", "2", "-standalone-host", "0", "-ds", "2", "-vm", "1");

  private static final String VC = "vcsim";
  private static final String QUEUE = "late-replies";

  /** How long one attempt may run; every held reply is held longer. */
  static final Duration ATTEMPT = Duration.ofSeconds(3);

  private static final int HOLD_MS = 5_000;

  /** A task that outlives the first attempt, so that the retry finds it still running. */
  private static final int TASK_MS = 7_000;

  /** Runs one action as the migration workflow would, with short timeouts. */
  @WorkflowInterface
  public interface OneAction {
    @WorkflowMethod
    ActionOutcome run(String activity, MigrationContext ctx);
  }

  public static class OneActionImpl implements OneAction {
    @Override
    public ActionOutcome run(String activity, MigrationContext ctx) {
      ActivityOptions options =
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(ATTEMPT)
              .setHeartbeatTimeout(Duration.ofSeconds(2))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofMillis(200))
                      .setBackoffCoefficient(1)
                      .setMaximumAttempts(5)
                      .build())
              .build();
      return Workflow.newUntypedActivityStub(options).execute(activity, ActionOutcome.class, ctx);
    }
  }

  private Vim25Gateway gw;
  private TestWorkflowEnvironment env;
  private TestActivityEnvironment analysisEnv;
  private AnalysisActivities analysis;

  @BeforeEach
  void setUp() {
    gw = new Vim25Gateway(vcsim.connection(VC));
    ActivityBundle bundle = ActivityBundle.create(id -> gw, MigrationHarness.FAST);
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(false)
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new LivenessHeartbeats())
                        .build())
                .build());
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(OneActionImpl.class);
    worker.registerActivitiesImplementations(bundle.all());
    env.start();
    analysisEnv = TestActivityEnvironment.newInstance();
    analysisEnv.registerActivitiesImplementations(bundle.all());
    analysis =
        analysisEnv.newActivityStub(
            AnalysisActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());
  }

  @AfterEach
  void tearDown() {
    analysisEnv.close();
    env.close();
    gw.close();
  }

  /**
   * The relocate is done in vCenter when the retry comes (its reply is still held), and the VM does
   * not look like its destination (vcsim leaves the disk files on the old datastore): only the task
   * history tells that the relocate ran.
   */
  @Test
  void relocateDoneButAnsweredLateIsNotSentAgain() {
    VmInfo vm = prepared();
    MigrationContext ctx = analysed(vm, Map.of("LocalDS_0", "LocalDS_1"));
    vcsim.resetCalls();
    vcsim.holdReply(TaskInfo.RELOCATE, HOLD_MS, 1);

    ActionOutcome outcome = run(ActivityNames.INITIATE_SOURCE, ctx);

    assertEquals(1, vcsim.calls(TaskInfo.RELOCATE, vm.id()), "one relocate: " + outcome);
    assertEquals(ctx.destination().host(), gw.vm(vm.id()).host());
  }

  /** The retry finds the power-on still running in vCenter and waits for it. */
  @Test
  void powerOnStillRunningWhenTheRetryComesIsRejoined() {
    VmInfo vm = prepared();
    MigrationContext ctx = analysed(vm, Map.of("LocalDS_0", "LocalDS_0"));
    gw.waitForTask(gw.powerOff(vm.id()), Duration.ofSeconds(30));
    vcsim.delayTasks(TaskInfo.POWER_ON, TASK_MS);
    vcsim.resetCalls();
    vcsim.holdReply(TaskInfo.POWER_ON, HOLD_MS, 1);

    ActionOutcome outcome = run(ActivityNames.POWER_ON_SOURCE, ctx);

    assertEquals(1, vcsim.calls(TaskInfo.POWER_ON, vm.id()), "one power-on: " + outcome);
    assertTrue(outcome.changed(), "the retry followed the running task: " + outcome.summary());
    assertEquals(PowerState.POWERED_ON, gw.vm(vm.id()).powerState());
  }

  /** PowerOffDestination: the retry finds the power-off still running and waits for it. */
  @Test
  void powerOffStillRunningWhenTheRetryComesIsRejoined() {
    VmInfo vm = prepared();
    MigrationContext ctx = analysed(vm, Map.of("LocalDS_0", "LocalDS_0"));
    vcsim.delayTasks(TaskInfo.POWER_OFF, TASK_MS);
    vcsim.resetCalls();
    vcsim.holdReply(TaskInfo.POWER_OFF, HOLD_MS, 1);

    ActionOutcome outcome = run(ActivityNames.POWER_OFF_DESTINATION, ctx);

    assertEquals(1, vcsim.calls(TaskInfo.POWER_OFF, vm.id()), "one power-off: " + outcome);
    assertTrue(outcome.changed(), "the retry followed the running task: " + outcome.summary());
    assertEquals(PowerState.POWERED_OFF, gw.vm(vm.id()).powerState());
  }

  /**
   * ReconfigureVm moves the NIC to its mapped network; the retry finds the reconfigure still
   * running and waits for it rather than sending the NIC change again.
   */
  @Test
  void nicChangeStillRunningWhenTheRetryComesIsRejoined() {
    VmInfo vm = prepared();
    MigrationContext ctx =
        analysed(vm, Map.of("LocalDS_0", "LocalDS_0"), Map.of("DC0_DVPG0", "VM Network"));
    String mapped = gw.inventory().networkByName("VM Network").orElseThrow().id();
    vcsim.delayTasks(TaskInfo.RECONFIGURE, TASK_MS);
    vcsim.resetCalls();
    vcsim.holdReply(TaskInfo.RECONFIGURE, HOLD_MS, 1);

    ActionOutcome outcome = run(ActivityNames.RECONFIGURE_VM, ctx);

    assertEquals(1, vcsim.calls(TaskInfo.RECONFIGURE, vm.id()), "one reconfigure: " + outcome);
    assertTrue(outcome.changed(), "the retry followed the running task: " + outcome.summary());
    assertEquals(List.of(mapped), gw.vm(vm.id()).nics().stream().map(VirtualNic::network).toList());
  }

  /** vcsim's ShutdownGuest powers off at once: the retry reads the VM off and asks nothing. */
  @Test
  void guestShutdownAnsweredLateIsNotAskedAgain() {
    VmInfo vm = prepared();
    MigrationContext ctx = analysed(vm, Map.of("LocalDS_0", "LocalDS_0"));
    vcsim.resetCalls();
    vcsim.holdReply("ShutdownGuest", HOLD_MS, 1);

    run(ActivityNames.POWER_OFF_SOURCE, ctx);

    assertEquals(1, vcsim.calls("ShutdownGuest", vm.id()), "one guest shutdown");
    assertEquals(0, vcsim.calls(TaskInfo.POWER_OFF, vm.id()), "no hard power-off");
    assertEquals(PowerState.POWERED_OFF, gw.vm(vm.id()).powerState());
  }

  /**
   * PrepareSource writes two marks; the first one's reply is late. The retry finds the lock set and
   * writes only the origin: two SetField calls on the VM, one per mark.
   */
  @Test
  void markWrittenButAnsweredLateIsNotWrittenAgain() {
    VmInfo vm = prepared();
    MigrationContext ctx = analysed(vm, Map.of("LocalDS_0", "LocalDS_0"));
    vcsim.resetCalls();
    vcsim.holdReply("SetField", HOLD_MS, 1);

    run(ActivityNames.PREPARE_SOURCE, ctx);

    assertEquals(2, vcsim.calls("SetField", vm.id()), "lock and origin, once each");
    VmInfo now = gw.vm(vm.id());
    assertEquals(ctx.migrationId(), now.customValue(MigrationAttributes.LOCK));
    assertTrue(now.customValue(MigrationAttributes.ORIGIN).contains(vm.host()));
  }

  private ActionOutcome run(String activity, MigrationContext ctx) {
    OneAction wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                OneAction.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(QUEUE)
                    .setWorkflowId("late-" + activity)
                    .build());
    long started = System.nanoTime();
    ActionOutcome outcome = wf.run(activity, ctx);
    System.out.printf(
        "%s with a held reply: %d ms, %s%n",
        activity, (System.nanoTime() - started) / 1_000_000, outcome.summary());
    return outcome;
  }

  /** The cluster VM without vcsim's host CD-ROM, which would fail the vMotion prechecks. */
  private VmInfo prepared() {
    VmInfo vm = gw.vm(gw.inventory().vmByName("DC0_C0_RP0_VM0").orElseThrow().id());
    assertEquals(1, VcsimVms.removeHostCdroms(gw, vm.id()));
    return gw.vm(vm.id());
  }

  private MigrationContext analysed(VmInfo vm, Map<String, String> datastores) {
    return analysed(vm, datastores, Map.of("DC0_DVPG0", "DC0_DVPG0"));
  }

  private MigrationContext analysed(
      VmInfo vm, Map<String, String> datastores, Map<String, String> networks) {
    InfrastructureMapping mapping =
        new InfrastructureMapping(
            VC,
            VC,
            List.of(new ClusterMapping("DC0_C0", "DC0_C1", null, null)),
            datastores,
            networks);
    MigrationContext ctx =
        MigrationContext.start(
            "m-late",
            new MigrationRequest(
                vm.id(),
                mapping,
                MigrationOptions.defaults().withType(MigrationType.AUTO),
                null,
                null));
    ctx = ctx.withPrechecks(analysis.invokePrechecks(ctx));
    ctx = ctx.withDestination(analysis.selectDestination(ctx));
    return ctx.withSpec(analysis.computeSpec(ctx));
  }
}

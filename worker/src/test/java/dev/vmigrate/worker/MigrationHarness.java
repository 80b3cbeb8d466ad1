package dev.vmigrate.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.activity.impl.ActivitySettings;
import dev.vmigrate.activity.impl.HookCalls;
import dev.vmigrate.activity.impl.HookSecrets;
import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.HookDestinationPolicy;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.Placement;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VirtualNic;
import dev.vmigrate.vsphere.DatastoreInfo;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A simulated vCenter with two clusters, a Temporal test environment whose worker runs the real
 * activities (wrapped by {@link ActionFaults}), and assertions that read the inventory back.
 *
 * <p>Cluster "prod" sees datastores ds-a and ds-shared and network "VM Network"; cluster "dr" sees
 * ds-b and ds-shared and network "Prod". The mapping sends prod to dr, ds-a to ds-b, ds-shared to
 * itself and "VM Network" to "Prod", so every move changes host, pool and network, and web01 and
 * db01 also change datastore.
 */
final class MigrationHarness implements AutoCloseable {
  static final long GIB = 1L << 30;
  static final String VC = "vc1";
  static final ActivitySettings FAST =
      new ActivitySettings(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(2));

  static final String VC2 = "vc2";

  final SimulatedVsphere vc;

  /** A second vCenter sharing vc1's datastore files, for migrations across vCenters. */
  final SimulatedVsphere vc2;

  final ActionFaults faults = new ActionFaults();
  final TestWorkflowEnvironment env;
  final WorkflowClient client;

  MigrationHarness() {
    this(inventory());
  }

  MigrationHarness(SimulatedVsphere.Builder inventory) {
    this(inventory, FAST);
  }

  /** The activities run with these settings. */
  private final ActivitySettings settings;

  MigrationHarness(SimulatedVsphere.Builder inventory, ActivitySettings settings) {
    this.settings = settings;
    vc = inventory.build();
    vc2 =
        SimulatedVsphere.builder(VC2)
            .clock(vc.clock())
            .files(vc.files())
            .datacenter("dc-east")
            .datastore("ds-shared", 500 * GIB)
            .network("Prod")
            .cluster("east")
            .host("esx-e1")
            .host("esx-e2")
            .build();
    // The interceptor production workers run with that changes what a migration records.
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new AttemptReports())
                        .build())
                .build());
    client = env.getWorkflowClient();
    addWorker(newMigrationWorker(env, VC));
    env.start();
  }

  /** A worker on a vCenter's task queue with the options every migration worker runs with. */
  static Worker newMigrationWorker(TestWorkflowEnvironment env, String vcenterId) {
    return env.newWorker(
        MigrationIds.taskQueue(vcenterId),
        MigrationWorker.workerOptions(new WorkerProperties(true, 200, 50)));
  }

  /**
   * Hooks allowed to reach the tests' receivers on this machine's loopback, and only there: the
   * product refuses loopback destinations unless the configuration allows them.
   */
  static HookCalls loopbackHooks(Duration timeout) {
    return new HookCalls(
        HookDestinationPolicy.allowing(List.of("127.0.0.0/8", "::1/128")),
        HookSecrets.NONE,
        timeout);
  }

  /** Registers the workflow and the fault-wrapped real activities on a worker. */
  void addWorker(Worker worker) {
    MigrationWorker.register(
        worker,
        ActivityBundle.create(
            this::gateway, settings, loopbackHooks(settings.webhookTimeout()), faults::wrapAny));
  }

  private SimulatedVsphere gateway(String id) {
    return switch (id) {
      case VC -> vc;
      case VC2 -> vc2;
      default -> throw new VsphereException.InvalidRequest("InvalidArgument", "no vCenter " + id);
    };
  }

  static SimulatedVsphere.Builder inventory() {
    return SimulatedVsphere.builder(VC)
        .datacenter("dc1")
        .datastore("ds-a", 500 * GIB)
        .datastore("ds-b", 500 * GIB)
        .datastore("ds-shared", 500 * GIB)
        .network("VM Network")
        .network("Prod")
        .cluster("prod")
        .host("esx-01", h -> h.datastores("ds-a", "ds-shared").networks("VM Network"))
        .host("esx-02", h -> h.datastores("ds-a", "ds-shared").networks("VM Network"))
        .cluster("dr")
        .host("esx-11", h -> h.datastores("ds-b", "ds-shared").networks("Prod"))
        .host("esx-12", h -> h.datastores("ds-b", "ds-shared").networks("Prod"))
        .folder("web")
        .vm(
            "web01",
            v ->
                v.host("esx-01")
                    .folder("web")
                    .disk("ds-a", 40 * GIB)
                    .disk("ds-a", 10 * GIB)
                    .nic("VM Network")
                    .snapshots("base"))
        .vm("db01", v -> v.host("esx-02").disk("ds-a", 30 * GIB).nic("VM Network").poweredOff())
        .vm(
            "app01",
            v -> v.host("esx-01").disk("ds-shared", 20 * GIB).nic("VM Network").nic("VM Network"));
  }

  static InfrastructureMapping mapping() {
    return new InfrastructureMapping(
        VC,
        VC,
        List.of(new ClusterMapping("prod", "dr", null, null)),
        Map.of("ds-a", "ds-b", "ds-shared", "ds-shared"),
        Map.of("VM Network", "Prod"));
  }

  /** vc1's prod cluster to vc2's east cluster on the shared datastore. */
  static InfrastructureMapping crossMapping() {
    return new InfrastructureMapping(
        VC,
        VC2,
        List.of(new ClusterMapping("prod", "east", null, null)),
        Map.of("ds-shared", "ds-shared"),
        Map.of("VM Network", "Prod"));
  }

  VmInfo vm(String name) {
    return vc.vm(vc.vmId(name));
  }

  /**
   * The VM by instance UUID, which survives re-registration when its managed object id does not.
   */
  VmInfo vmByUuid(String uuid) {
    return vc.findVmByInstanceUuid(uuid)
        .orElseThrow(() -> new AssertionError("VM " + uuid + " gone"));
  }

  VmMigrationWorkflow start(String vmName, MigrationOptions options) {
    return start(vmName, mapping(), options);
  }

  VmMigrationWorkflow start(
      String vmName, InfrastructureMapping mapping, MigrationOptions options) {
    VmInfo vm = vm(vmName);
    VmMigrationWorkflow wf =
        client.newWorkflowStub(
            VmMigrationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(MigrationIds.forVm(VC, vm.instanceUuid()))
                .setTaskQueue(MigrationIds.taskQueue(VC))
                .build());
    WorkflowClient.start(
        wf::migrate, new MigrationRequest(vm.id(), mapping, options, "plan-it", "req-it"));
    return wf;
  }

  static MigrationOptions options(MigrationType type, FailurePolicy policy) {
    return MigrationOptions.defaults().withType(type).withFailurePolicy(policy);
  }

  static MigrationResult result(VmMigrationWorkflow wf) {
    return MigrationRuns.result(wf);
  }

  MigrationStatus awaitState(VmMigrationWorkflow wf, MigrationState wanted) {
    return MigrationRuns.awaitState(env, wf, wanted);
  }

  /** Exactly where it was: host, cluster, pool, folder, .vmx, every disk, every NIC, power. */
  void assertAtOrigin(String uuid, Placement origin) {
    VmInfo now = vmByUuid(uuid);
    Placement p = now.placement(VC);
    assertEquals(origin.host(), p.host(), "host");
    assertEquals(origin.cluster(), p.cluster(), "cluster");
    assertEquals(origin.resourcePool(), p.resourcePool(), "resource pool");
    assertEquals(origin.folder(), p.folder(), "folder");
    assertEquals(origin.vmxDatastore(), p.vmxDatastore(), ".vmx datastore");
    assertEquals(origin.vmPathName(), p.vmPathName(), ".vmx path");
    assertEquals(origin.disks(), p.disks(), "disks");
    assertEquals(origin.nics(), p.nics(), "NICs");
    assertEquals(origin.powerState(), p.powerState(), "power state");
  }

  /**
   * At the destination: in cluster dr and its root pool, disks on the mapped datastores, NICs on
   * "Prod" with their MACs, same UUIDs, power state as before.
   */
  void assertAtDestination(VmInfo before) {
    VmInfo now = vmByUuid(before.instanceUuid());
    assertEquals(vc.clusterId("dr"), now.cluster(), "cluster");
    assertEquals(vc.resourcePoolId("dr", "Resources"), now.resourcePool(), "pool");
    assertEquals(before.biosUuid(), now.biosUuid(), "BIOS UUID");
    assertEquals(before.powerState(), now.powerState(), "power state");
    Map<String, String> dsMap = Map.of(vc.datastoreId("ds-a"), vc.datastoreId("ds-b"));
    for (VirtualDisk d : before.disks()) {
      VirtualDisk after =
          now.disks().stream().filter(x -> x.key() == d.key()).findFirst().orElseThrow();
      assertEquals(dsMap.getOrDefault(d.datastore(), d.datastore()), after.datastore(), d.label());
      assertEquals(d.capacityBytes(), after.capacityBytes(), d.label());
    }
    assertEquals(before.nics().size(), now.nics().size());
    for (VirtualNic n : before.nics()) {
      VirtualNic after =
          now.nics().stream().filter(x -> x.key() == n.key()).findFirst().orElseThrow();
      assertEquals(n.macAddress(), after.macAddress(), "MAC of " + n.label());
      assertEquals(vc.networkId("Prod"), after.network(), "network of " + n.label());
    }
    assertTrue(
        String.valueOf(now.customValue(MigrationAttributes.RESULT)).startsWith("migrated"),
        "marked migrated");
  }

  /** No lock, no in-flight destination, no reservation left on any datastore. */
  void assertNothingHeld(String uuid) {
    VmInfo now = vmByUuid(uuid);
    assertNull(now.customValue(MigrationAttributes.LOCK), "lock");
    assertNull(now.customValue(MigrationAttributes.DESTINATION), "recorded destination");
    for (DatastoreInfo ds : vc.inventory().datastores()) {
      String r = vc.customValues(ds.id()).get(MigrationAttributes.RESERVATIONS);
      assertTrue(r == null || r.isBlank() || r.equals("{}"), ds.name() + " reservations: " + r);
    }
  }

  WorkflowExecutionHistory history(VmMigrationWorkflow wf) {
    return client.fetchHistory(WorkflowStub.fromTyped(wf).getExecution().getWorkflowId());
  }

  /**
   * Writes the run's history for the replay test when {@code vmigrate.histories.dir} is set, e.g.
   * {@code mvn -pl worker -am verify
   * -Dvmigrate.histories.dir=$PWD/workflows/src/test/resources/histories}.
   */
  void record(VmMigrationWorkflow wf, String name) throws IOException {
    String dir = System.getProperty("vmigrate.histories.dir");
    if (dir != null) {
      Files.writeString(Path.of(dir, name + ".json"), history(wf).toJson(true));
    }
  }

  @Override
  public void close() {
    env.close();
  }
}

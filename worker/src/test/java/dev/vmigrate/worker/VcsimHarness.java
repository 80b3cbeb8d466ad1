package dev.vmigrate.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.model.Placement;
import dev.vmigrate.vsphere.ClusterInfo;
import dev.vmigrate.vsphere.DatastoreInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.vcsim.VcsimExtension;
import dev.vmigrate.vsphere.vim25.Vim25Connection;
import dev.vmigrate.vsphere.vim25.Vim25Gateway;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real workflow and activities on a Temporal test environment, talking SOAP to one or two vcsim
 * instances through {@link Vim25Gateway}; every assertion reads vcsim's inventory back through the
 * gateway. Activities are wrapped by {@link ActionFaults}; SOAP faults are injected into vcsim
 * itself ({@link VcsimExtension#injectFault}).
 */
final class VcsimHarness implements AutoCloseable {
  static final String VC = "vcsim-a";
  static final String VC2 = "vcsim-b";

  /** The source vCenter. */
  final Vim25Gateway vc;

  /** The destination vCenter of cross-vCenter runs, or null. */
  final Vim25Gateway vc2;

  final ActionFaults faults = new ActionFaults();
  final TestWorkflowEnvironment env;
  final WorkflowClient client;
  private final Map<String, Vim25Gateway> gateways = new LinkedHashMap<>();

  VcsimHarness(VcsimExtension source) {
    this(source, null);
  }

  VcsimHarness(VcsimExtension source, VcsimExtension destination) {
    this(source.connection(VC), destination == null ? null : destination.connection(VC2));
  }

  /** With explicit connections, e.g. a short call timeout. */
  VcsimHarness(Vim25Connection source, Vim25Connection destination) {
    vc = new Vim25Gateway(source);
    vc2 = destination == null ? null : new Vim25Gateway(destination);
    gateways.put(VC, vc);
    if (vc2 != null) {
      gateways.put(VC2, vc2);
    }
    env = TestWorkflowEnvironment.newInstance();
    client = env.getWorkflowClient();
    MigrationWorker.register(
        MigrationHarness.newMigrationWorker(env, VC),
        ActivityBundle.create(
            this::gateway,
            MigrationHarness.FAST,
            MigrationHarness.loopbackHooks(MigrationHarness.FAST.webhookTimeout()),
            faults::wrapAny));
    env.start();
  }

  private Vim25Gateway gateway(String id) {
    Vim25Gateway g = gateways.get(id);
    if (g == null) {
      throw new VsphereException.InvalidRequest("InvalidArgument", "no vCenter " + id);
    }
    return g;
  }

  Inventory inventory() {
    return vc.inventory();
  }

  VmInfo vm(String name) {
    return vc.vm(
        inventory().vmByName(name).orElseThrow(() -> new AssertionError("no " + name)).id());
  }

  /** The VM by instance UUID in the source vCenter. */
  VmInfo vmByUuid(String uuid) {
    return vc.findVmByInstanceUuid(uuid)
        .orElseThrow(() -> new AssertionError("VM " + uuid + " gone from " + VC));
  }

  ClusterInfo cluster(Vim25Gateway gw, String name) {
    return gw.inventory().clusterByName(name).orElseThrow();
  }

  String datastoreId(Vim25Gateway gw, String name) {
    return gw.inventory().datastoreByName(name).orElseThrow().id();
  }

  String networkId(Vim25Gateway gw, String name) {
    return gw.inventory().networkByName(name).orElseThrow().id();
  }

  VmMigrationWorkflow start(VmInfo vm, InfrastructureMapping mapping, MigrationOptions options) {
    VmMigrationWorkflow wf =
        client.newWorkflowStub(
            VmMigrationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(MigrationIds.forVm(VC, vm.instanceUuid()))
                .setTaskQueue(MigrationIds.taskQueue(VC))
                .build());
    WorkflowClient.start(
        wf::migrate, new MigrationRequest(vm.id(), mapping, options, "plan-vcsim", "req-vcsim"));
    return wf;
  }

  static MigrationResult result(VmMigrationWorkflow wf) {
    return MigrationRuns.result(wf);
  }

  MigrationStatus awaitState(VmMigrationWorkflow wf, MigrationState wanted) {
    return MigrationRuns.awaitState(env, wf, wanted);
  }

  /** Exactly where it was, read back from vcsim: host, pool, folder, .vmx, disks, NICs, power. */
  void assertAtOrigin(String uuid, Placement origin) {
    Placement p = vmByUuid(uuid).placement(VC);
    assertEquals(origin.host(), p.host(), "host");
    assertEquals(origin.cluster(), p.cluster(), "cluster");
    assertEquals(origin.resourcePool(), p.resourcePool(), "resource pool");
    assertEquals(origin.folder(), p.folder(), "folder");
    assertEquals(origin.vmPathName(), p.vmPathName(), ".vmx path");
    assertEquals(origin.disks(), p.disks(), "disks");
    assertEquals(origin.nics(), p.nics(), "NICs");
    assertEquals(origin.powerState(), p.powerState(), "power state");
  }

  /** No lock and no recorded destination on the VM, no reservation left on any datastore. */
  void assertNothingHeld(Vim25Gateway gw, String uuid) {
    VmInfo now = gw.findVmByInstanceUuid(uuid).orElseThrow();
    assertNull(now.customValue(MigrationAttributes.LOCK), "lock");
    assertNull(now.customValue(MigrationAttributes.DESTINATION), "recorded destination");
    for (Vim25Gateway g : gateways.values()) {
      for (DatastoreInfo ds : g.inventory().datastores()) {
        String r = ds.customValues().get(MigrationAttributes.RESERVATIONS);
        assertTrue(r == null || r.isBlank() || r.equals("{}"), ds.name() + " reservations: " + r);
      }
    }
  }

  @Override
  public void close() {
    env.close();
    gateways.values().forEach(Vim25Gateway::close);
  }
}

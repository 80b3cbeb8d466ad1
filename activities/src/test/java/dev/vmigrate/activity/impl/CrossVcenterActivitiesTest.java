package dev.vmigrate.activity.impl;

import static dev.vmigrate.activity.impl.ActivityFixture.GIB;
import static dev.vmigrate.activity.impl.ActivityFixture.assertFailure;
import static dev.vmigrate.activity.impl.ActivityFixture.failure;
import static dev.vmigrate.activity.impl.ActivityFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationMode;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.VmIdentity;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cold migration across vCenters by re-registration on shared storage. */
class CrossVcenterActivitiesTest {
  private ActivityFixture f;
  private SimulatedVsphere dst;
  private final InfrastructureMapping mapping =
      new InfrastructureMapping(
          "vc1",
          "vc2",
          List.of(new ClusterMapping("prod", "east", null, null)),
          Map.of("ds-a", "ds-a"),
          Map.of("VM Network", "VM Network"));

  @BeforeEach
  void setUp() {
    f = new ActivityFixture();
    dst =
        SimulatedVsphere.builder("vc2")
            .clock(f.clock)
            .files(f.vc.files())
            .datacenter("dc-east")
            .datastore("ds-a", 500 * GIB)
            .network("VM Network")
            .cluster("east")
            .host("esx-e1")
            .build();
    f.gateways.put("vc2", dst);
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void autoGoesColdByReregistrationAndKeepsUuids() {
    VmInfo before = f.vc.vm(f.vc.vmId("web01"));
    MigrationContext ctx = f.analysed("x1", request(before.id(), mapping, MigrationType.AUTO));
    assertEquals(MigrationMode.COLD, ctx.spec().mode());
    assertTrue(ctx.spec().itinerary().contains(MigrationAction.REGISTER_DESTINATION_VM));
    assertEquals(dst.hostId("esx-e1"), ctx.destination().host());
    assertEquals(dst.inventory().datacenters().get(0).vmFolder(), ctx.destination().folder());
    assertFalse(f.preparation.createInventoryVm(ctx).changed());

    f.source.prepareSource(ctx);
    f.source.powerOffSource(ctx);
    f.source.unregisterSourceVm(ctx);
    VmIdentity there = f.destination.registerDestinationVm(ctx);
    assertEquals(there, f.destination.registerDestinationVm(ctx));
    MigrationContext at = ctx.withVm(there);
    f.destination.switchHostAndPool(at);
    f.destination.relayoutSnapshot(at);
    f.destination.powerOnDestination(at);
    f.destination.completeDestination(at);
    f.source.completeSource(at);
    VmInfo moved = dst.vm(there.id());
    assertEquals(before.instanceUuid(), moved.instanceUuid());
    assertEquals(before.biosUuid(), moved.biosUuid());
    assertEquals(PowerState.POWERED_ON, moved.powerState());
    assertTrue(f.vc.findVmByInstanceUuid(before.instanceUuid()).isEmpty());
    // After the move a second CreateInventoryVm for this migration sees its own VM, not a clash.
    assertFalse(f.preparation.createInventoryVm(at).changed());

    f.destination.uncompleteDestination(at);
    f.destination.powerOffDestination(at);
    assertTrue(f.destination.unregisterDestinationVm(at).changed());
    VmIdentity back = f.source.reregisterSourceVm(at);
    assertNotEquals(before.id(), back.id());
    assertEquals(before.instanceUuid(), back.instanceUuid());
    assertEquals(before.host(), f.vc.vm(back.id()).host());
  }

  @Test
  void aVmRegisteredWithoutItsDisksFailsVerification() {
    VmInfo before = f.vc.vm(f.vc.vmId("web01"));
    assertFalse(before.disks().isEmpty());
    MigrationContext ctx = f.analysed("x4", request(before.id(), mapping, MigrationType.AUTO));
    f.source.prepareSource(ctx);
    f.source.powerOffSource(ctx);
    f.source.unregisterSourceVm(ctx);
    MigrationContext at = ctx.withVm(f.destination.registerDestinationVm(ctx));
    f.destination.switchHostAndPool(at);
    f.destination.powerOnDestination(at);
    // The destination reads the VM without its disks, as after registering a .vmx that lost them
    // (vcsim's RegisterVM_Task does exactly this).
    f.gateways.put("vc2", withoutDisks(dst));

    assertFailure(
        failure(() -> f.destination.completeDestination(at)),
        FailureTypes.VERIFICATION_FAILED,
        true,
        before.disks().get(0).label() + " is missing");
  }

  private static VsphereGateway withoutDisks(VsphereGateway gw) {
    InvocationHandler h =
        (proxy, method, args) -> {
          Object r;
          try {
            r = method.invoke(gw, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (r instanceof VmInfo v) {
            return diskless(v);
          }
          if (r instanceof Optional<?> o && o.orElse(null) instanceof VmInfo v) {
            return Optional.of(diskless(v));
          }
          return r;
        };
    return (VsphereGateway)
        Proxy.newProxyInstance(
            VsphereGateway.class.getClassLoader(), new Class<?>[] {VsphereGateway.class}, h);
  }

  private static VmInfo diskless(VmInfo v) {
    return v.withDevices(List.of(), v.nics());
  }

  @Test
  void hotAcrossVcentersIsIncompatible() {
    assertFailure(
        failure(() -> f.analysed("x2", request(f.vc.vmId("web01"), mapping, MigrationType.HOT))),
        FailureTypes.INCOMPATIBLE,
        true,
        "across vCenters");
  }

  @Test
  void instanceUuidAlreadyAtDestinationIsInvalidState() {
    VmInfo web = f.vc.vm(f.vc.vmId("web01"));
    SimulatedVsphere clash =
        SimulatedVsphere.builder("vc2")
            .clock(f.clock)
            .datacenter("dc-east")
            .datastore("ds-a", 500 * GIB)
            .network("VM Network")
            .cluster("east")
            .host("esx-e1")
            .vm("copy-of-web01", v -> v.disk("ds-a", GIB).instanceUuid(web.instanceUuid()))
            .build();
    f.gateways.put("vc2", clash);
    MigrationContext ctx = f.analysed("x3", request(web.id(), mapping, MigrationType.AUTO));
    assertFailure(
        failure(() -> f.preparation.createInventoryVm(ctx)),
        FailureTypes.INVALID_STATE,
        true,
        "copy-of-web01");
  }
}

package dev.vmigrate.activity.impl;

import static dev.vmigrate.activity.impl.ActivityFixture.GIB;
import static dev.vmigrate.activity.impl.ActivityFixture.assertFailure;
import static dev.vmigrate.activity.impl.ActivityFixture.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.Destination;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.NicBackingChange;
import dev.vmigrate.model.Placement;
import dev.vmigrate.model.VirtualNic;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VmInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The actions of a network-only migration on the simulated vSphere: the VM stays where it is, its
 * NIC moves from the standard "VM Network" to the distributed port group pg-app and back.
 */
class NetworkOnlyActivitiesTest {
  private ActivityFixture f;

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  private static MigrationRequest networkOnly(String vm, Map<String, String> networks) {
    return new MigrationRequest(
        vm,
        new InfrastructureMapping("vc1", "vc1", List.of(), Map.of(), networks),
        MigrationOptions.defaults().withType(MigrationType.NETWORK),
        "re-home",
        "req-1");
  }

  private MigrationContext resolved(String migrationId, MigrationRequest request) {
    MigrationContext ctx = MigrationContext.start(migrationId, request);
    ctx = ctx.withPrechecks(f.analysis.invokePrechecks(ctx));
    return ctx.withDestination(f.analysis.selectDestination(ctx));
  }

  @Test
  void theNicMovesToTheMappedPortGroupOnTheSameHostAndBackOnRollback() {
    f = new ActivityFixture();
    VmInfo before = f.vc.vm(f.vc.vmId("web01"));
    MigrationContext ctx = resolved("m1", networkOnly(before.id(), Map.of("VM Network", "pg-app")));

    Destination d = ctx.destination();
    assertEquals(before.host(), d.host(), "stays on its host");
    assertEquals(before.resourcePool(), d.resourcePool());
    assertEquals(before.vmxDatastore(), d.vmxDatastore());
    assertEquals(
        List.of(new NicBackingChange(before.nics().get(0).key(), f.vc.networkId("pg-app"))),
        d.nics());
    assertNull(
        f.vc.vm(before.id()).customValue(MigrationAttributes.PLACEMENT), "no placement mark");

    assertTrue(f.analysis.checkPermission(ctx).summary().contains("granted"));
    assertTrue(f.analysis.checkCompatibility(ctx).summary().contains("pg-app"));
    assertTrue(f.source.prepareSource(ctx).changed());
    assertTrue(f.destination.reconfigureVm(ctx).changed());
    assertFalse(f.destination.reconfigureVm(ctx).changed(), "a second run changes nothing");
    VmInfo moved = f.vc.vm(before.id());
    VirtualNic nic = moved.nics().get(0);
    assertEquals(f.vc.networkId("pg-app"), nic.network());
    assertEquals(before.nics().get(0).macAddress(), nic.macAddress());
    assertEquals(before.host(), moved.host());
    assertTrue(f.destination.completeDestination(ctx).changed());

    f.destination.uncompleteDestination(ctx);
    ActionOutcome back = f.destination.revertReconfigureVm(ctx);
    assertTrue(back.changed(), back::summary);
    f.source.unprepareSource(ctx);
    VmInfo after = f.vc.vm(before.id());
    assertEquals(before.nics(), after.nics(), "origin backings restored");
    assertNull(after.customValue(MigrationAttributes.LOCK));
  }

  @Test
  void aHostThatDoesNotSeeTheDistributedPortGroupIsIncompatible() {
    f =
        new ActivityFixture(
            ActivityFixture.standard()
                .vm("edge01", v -> v.host("esx-13").disk("ds-a", 10 * GIB).nic("VM Network")));
    MigrationContext ctx =
        resolved("m2", networkOnly(f.vc.vmId("edge01"), Map.of("VM Network", "pg-app")));

    assertFailure(
        failure(() -> f.analysis.checkCompatibility(ctx)),
        FailureTypes.INCOMPATIBLE,
        true,
        "esx-13 does not see distributed port group pg-app");
  }

  @Test
  void aVmWithNoNicOnAMappedNetworkHasNoDestination() {
    f = new ActivityFixture();
    MigrationContext ctx =
        MigrationContext.start(
            "m3", networkOnly(f.vc.vmId("web01"), Map.of("pg-app", "VM Network")));
    MigrationContext checked = ctx.withPrechecks(f.analysis.invokePrechecks(ctx));

    assertFailure(
        failure(() -> f.analysis.selectDestination(checked)),
        FailureTypes.NO_DESTINATION,
        true,
        "web01 has no NIC on a mapped network",
        "VM Network");
  }

  @Test
  void verificationNamesANicWhoseFlagsChanged() {
    f = new ActivityFixture();
    VmInfo vm = f.vc.vm(f.vc.vmId("web01"));
    Placement origin = vm.placement("vc1");
    VirtualNic was = origin.nics().get(0);
    Placement recorded =
        new Placement(
            origin.vcenter(),
            origin.host(),
            origin.cluster(),
            origin.resourcePool(),
            origin.folder(),
            origin.vmPathName(),
            origin.vmxDatastore(),
            origin.disks(),
            List.of(
                new VirtualNic(
                    was.key(),
                    was.label(),
                    was.macAddress(),
                    was.network(),
                    "manual",
                    !was.connected(),
                    was.startConnected())),
            origin.powerState());

    assertEquals(List.of(), DestinationActivitiesImpl.nicFlagChanges(vm, origin));
    assertEquals(
        List.of(
            was.label() + " addressType changed from manual to " + was.addressType(),
            was.label() + " connected changed from " + !was.connected() + " to " + was.connected()),
        DestinationActivitiesImpl.nicFlagChanges(vm, recorded));
  }

  @Test
  void aMissingNetworkAssignOnTheDestinationPortGroupIsNamed() {
    f = new ActivityFixture();
    MigrationContext ctx =
        resolved("m4", networkOnly(f.vc.vmId("web01"), Map.of("VM Network", "pg-app")));
    f.vc.deny(f.vc.networkId("pg-app"), "Network.Assign");
    f.vc.deny(f.vc.vmId("web01"), "VirtualMachine.Config.EditDevice");

    assertFailure(
        failure(() -> f.analysis.checkPermission(ctx)),
        FailureTypes.NO_PERMISSION,
        true,
        "web01: VirtualMachine.Config.EditDevice",
        "pg-app: Network.Assign");
  }
}

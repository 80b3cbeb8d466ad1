package dev.vmigrate.activity.impl;

import static dev.vmigrate.activity.impl.ActivityFixture.GIB;
import static dev.vmigrate.activity.impl.ActivityFixture.assertFailure;
import static dev.vmigrate.activity.impl.ActivityFixture.failure;
import static dev.vmigrate.activity.impl.ActivityFixture.mapping;
import static dev.vmigrate.activity.impl.ActivityFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.Destination;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationMode;
import dev.vmigrate.model.MigrationSpec;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.PrecheckReport;
import dev.vmigrate.model.Severity;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnalysisActivitiesImplTest {
  private ActivityFixture f;

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  private static Map<String, String> sameStorage() {
    return Map.of("ds-a", "ds-a", "ds-b", "ds-b");
  }

  @Test
  void prechecksResolveByMorefOrInstanceUuidAndReportWarnings() {
    f = new ActivityFixture();
    String web = f.vc.vmId("web01");
    var m = mapping("vc1", "prod", "dr", sameStorage());
    PrecheckReport byId =
        f.analysis.invokePrechecks(
            MigrationContext.start("m1", request(web, m, MigrationType.AUTO)));
    String uuid = byId.vm().instanceUuid();
    PrecheckReport byUuid =
        f.analysis.invokePrechecks(
            MigrationContext.start("m1", request(uuid, m, MigrationType.AUTO)));
    assertEquals(byId, byUuid);
    assertEquals(f.vc.hostId("esx-01"), byId.origin().host());
    assertEquals(List.of("base"), byId.snapshots());
    assertTrue(
        byId.findings().stream()
            .anyMatch(x -> x.code().equals("SNAPSHOTS") && x.severity() == Severity.WARNING));
  }

  @Test
  void blockingPrechecksFailNonRetryablyNamingTheProblem() {
    f =
        new ActivityFixture(
            ActivityFixture.standard()
                .vm("tpl", v -> v.host("esx-01").disk("ds-a", GIB).template())
                .vm("rdm", v -> v.host("esx-01").disk("ds-a", GIB).rdmDisk("ds-a", 5 * GIB))
                .vm("cd", v -> v.host("esx-01").disk("ds-a", GIB).cdromHostDevice()));
    var keep = mapping("vc1", "prod", "dr", sameStorage());
    var move = mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b"));
    assertFailure(
        failure(
            () ->
                f.analysis.invokePrechecks(
                    MigrationContext.start(
                        "m", request(f.vc.vmId("tpl"), keep, MigrationType.AUTO)))),
        FailureTypes.PRECHECK_FAILED,
        true,
        "VM_TEMPLATE",
        "tpl");
    assertFailure(
        failure(
            () ->
                f.analysis.invokePrechecks(
                    MigrationContext.start(
                        "m", request(f.vc.vmId("rdm"), move, MigrationType.AUTO)))),
        FailureTypes.PRECHECK_FAILED,
        true,
        "RDM_DISK");
    // Without a storage move an RDM is only a warning.
    f.analysis.invokePrechecks(
        MigrationContext.start("m", request(f.vc.vmId("rdm"), keep, MigrationType.AUTO)));
    assertFailure(
        failure(
            () ->
                f.analysis.invokePrechecks(
                    MigrationContext.start(
                        "m", request(f.vc.vmId("cd"), keep, MigrationType.AUTO)))),
        FailureTypes.PRECHECK_FAILED,
        true,
        "CDROM_HOST_DEVICE");
    f.analysis.invokePrechecks(
        MigrationContext.start("m", request(f.vc.vmId("cd"), keep, MigrationType.COLD)));
    assertFailure(
        failure(
            () ->
                f.analysis.invokePrechecks(
                    MigrationContext.start("m", request("vm-999", keep, MigrationType.AUTO)))),
        FailureTypes.PRECHECK_FAILED,
        true,
        "VM_NOT_FOUND",
        "vm-999");
  }

  @Test
  void lockOfAnotherMigrationBlocksButOwnLockDoesNot() {
    f = new ActivityFixture();
    String web = f.vc.vmId("web01");
    f.vc.setCustomValue(web, MigrationAttributes.LOCK, "other");
    var m = mapping("vc1", "prod", "dr", sameStorage());
    assertFailure(
        failure(
            () ->
                f.analysis.invokePrechecks(
                    MigrationContext.start("mine", request(web, m, MigrationType.AUTO)))),
        FailureTypes.PRECHECK_FAILED,
        true,
        "VM_LOCKED",
        "other");
    f.vc.setCustomValue(web, MigrationAttributes.LOCK, "mine");
    f.analysis.invokePrechecks(MigrationContext.start("mine", request(web, m, MigrationType.AUTO)));
  }

  @Test
  void selectDestinationPrefersCurrentHostWhenItQualifies() {
    f = new ActivityFixture();
    MigrationContext ctx =
        f.analysed(
            "m",
            request(
                f.vc.vmId("web01"),
                mapping("vc1", "prod", "prod", Map.of("ds-a", "ds-b")),
                MigrationType.AUTO));
    Destination d = ctx.destination();
    assertEquals(f.vc.hostId("esx-01"), d.host());
    assertEquals(f.vc.resourcePoolId("prod", "Resources"), d.resourcePool());
    assertEquals(f.vc.folderId("web"), d.folder(), "same vCenter keeps the folder");
    assertTrue(d.disks().stream().allMatch(l -> l.datastore().equals(f.vc.datastoreId("ds-b"))));
    assertEquals(MigrationMode.HOT, ctx.spec().mode());
    assertTrue(ctx.spec().storageChange());
    assertEquals(50 * GIB, ctx.spec().bytesToMove());
  }

  @Test
  void selectDestinationPicksLeastLoadedUsableHostByName() {
    f = new ActivityFixture();
    var m = mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b"));
    MigrationContext ctx = f.analysed("m", request(f.vc.vmId("web01"), m, MigrationType.AUTO));
    assertEquals(f.vc.hostId("esx-11"), ctx.destination().host(), "tie broken by name");
    // Another migration in flight towards esx-11 makes esx-12 the choice; esx-13 lacks ds-b.
    f.vc.setCustomValue(
        f.vc.vmId("db01"), MigrationAttributes.DESTINATION, VsphereSupport.json(ctx.destination()));
    assertEquals(f.vc.hostId("esx-12"), f.analysis.selectDestination(ctx).host());
    f.vc.setMaintenanceMode(f.vc.hostId("esx-12"), true);
    assertEquals(f.vc.hostId("esx-11"), f.analysis.selectDestination(ctx).host());
  }

  @Test
  void unmappedOrUnknownEntitiesGiveNoDestination() {
    f = new ActivityFixture();
    String web = f.vc.vmId("web01");
    MigrationContext base =
        f.analysed(
            "m", request(web, mapping("vc1", "prod", "dr", sameStorage()), MigrationType.AUTO));
    MigrationContext unmappedDs =
        new MigrationContext(
            "m",
            request(web, mapping("vc1", "prod", "dr", Map.of("ds-b", "ds-b")), MigrationType.AUTO),
            base.vm(),
            base.origin(),
            base.snapshots(),
            null,
            null);
    assertFailure(
        failure(() -> f.analysis.selectDestination(unmappedDs)),
        FailureTypes.NO_DESTINATION,
        true,
        "ds-a",
        "not mapped");
    MigrationContext unknownCluster =
        new MigrationContext(
            "m",
            request(web, mapping("vc1", "prod", "nowhere", sameStorage()), MigrationType.AUTO),
            base.vm(),
            base.origin(),
            base.snapshots(),
            null,
            null);
    assertFailure(
        failure(() -> f.analysis.selectDestination(unknownCluster)),
        FailureTypes.NO_DESTINATION,
        true,
        "nowhere",
        "prod");
    var netless =
        new dev.vmigrate.model.InfrastructureMapping(
            "vc1",
            "vc1",
            List.of(new dev.vmigrate.model.ClusterMapping("prod", "dr", null, null)),
            sameStorage(),
            Map.of());
    MigrationContext unmappedNet =
        new MigrationContext(
            "m",
            request(web, netless, MigrationType.AUTO),
            base.vm(),
            base.origin(),
            base.snapshots(),
            null,
            null);
    assertFailure(
        failure(() -> f.analysis.selectDestination(unmappedNet)),
        FailureTypes.NO_DESTINATION,
        true,
        "VM Network");
  }

  @Test
  void computeSpecBuildsHotAndColdItineraries() {
    f = new ActivityFixture();
    MigrationSpec hot =
        f.analysed(
                "m",
                request(
                    f.vc.vmId("web01"),
                    mapping("vc1", "prod", "dr", sameStorage()),
                    MigrationType.AUTO))
            .spec();
    assertEquals(
        List.of(
            MigrationAction.PREPARE_SOURCE,
            MigrationAction.PREPARE_DESTINATION,
            MigrationAction.INITIATE_DESTINATION,
            MigrationAction.INITIATE_SOURCE,
            MigrationAction.SWITCH_HOST_AND_POOL,
            MigrationAction.COMPLETE_SOURCE,
            MigrationAction.COMPLETE_DESTINATION),
        hot.itinerary());
    MigrationSpec coldMove =
        f.analysed(
                "m",
                request(
                    f.vc.vmId("web01"),
                    mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b")),
                    MigrationType.COLD))
            .spec();
    assertEquals(
        List.of(
            MigrationAction.PREPARE_SOURCE,
            MigrationAction.POWER_OFF_SOURCE,
            MigrationAction.CREATE_DESTINATION_VM,
            MigrationAction.SWITCH_HOST_AND_POOL,
            MigrationAction.RELAYOUT_SNAPSHOT,
            MigrationAction.POWER_ON_DESTINATION,
            MigrationAction.COMPLETE_DESTINATION),
        coldMove.itinerary());
    var toPg =
        new dev.vmigrate.model.InfrastructureMapping(
            "vc1",
            "vc1",
            List.of(new dev.vmigrate.model.ClusterMapping("prod", "dr", null, null)),
            sameStorage(),
            Map.of("VM Network", "pg-app"));
    MigrationSpec coldOff =
        f.analysed("m", request(f.vc.vmId("db01"), toPg, MigrationType.AUTO)).spec();
    assertEquals(MigrationMode.COLD, coldOff.mode());
    assertEquals(
        List.of(
            MigrationAction.PREPARE_SOURCE,
            MigrationAction.CREATE_DESTINATION_VM,
            MigrationAction.SWITCH_HOST_AND_POOL,
            MigrationAction.RECONFIGURE_VM,
            MigrationAction.RELAYOUT_SNAPSHOT,
            MigrationAction.POWER_ON_DESTINATION,
            MigrationAction.COMPLETE_DESTINATION),
        coldOff.itinerary());
    assertTrue(coldOff.networkChange());
  }

  @Test
  void hotRequestForPoweredOffVmIsIncompatible() {
    f = new ActivityFixture();
    assertFailure(
        failure(
            () ->
                f.analysed(
                    "m",
                    request(
                        f.vc.vmId("db01"),
                        mapping("vc1", "prod", "dr", sameStorage()),
                        MigrationType.HOT))),
        FailureTypes.INCOMPATIBLE,
        true,
        "powered-on",
        "db01");
  }

  @Test
  void vcentersRelocateCheckHasTheLastWordOnCompatibility() {
    f = new ActivityFixture();
    var m = mapping("vc1", "prod", "dr", sameStorage());
    MigrationContext ctx =
        MigrationContext.start("m", request(f.vc.vmId("web01"), m, MigrationType.AUTO));
    ctx = ctx.withPrechecks(f.analysis.invokePrechecks(ctx));
    ctx = ctx.withDestination(f.analysis.selectDestination(ctx));
    MigrationContext chosen = ctx;

    ActionOutcome passed = f.analysis.checkCompatibility(chosen);
    assertTrue(passed.summary().contains("vCenter's relocate check passed"), passed::summary);

    // What the local checks cannot see: the chosen host entered maintenance mode since.
    f.vc.setMaintenanceMode(chosen.destination().host(), true);
    assertFailure(
        failure(() -> f.analysis.checkCompatibility(chosen)),
        FailureTypes.INCOMPATIBLE,
        true,
        "vCenter's relocate check refuses",
        "web01",
        "maintenance mode");
    assertEquals(0, f.vc.calls("relocate"), "checking moves nothing");
  }

  @Test
  void cpuVendorMismatchIsIncompatibleForHotOnly() {
    f =
        new ActivityFixture(
            SimulatedVsphere.builder("vc1")
                .datacenter("dc1")
                .datastore("ds-a", 100 * GIB)
                .network("VM Network")
                .cluster("prod")
                .host("esx-01")
                .cluster("amd")
                .host("epyc-01", h -> h.cpuVendor("amd"))
                .vm("app", v -> v.disk("ds-a", GIB).nic("VM Network").host("esx-01")));
    var m = mapping("vc1", "prod", "amd", Map.of("ds-a", "ds-a"));
    assertFailure(
        failure(() -> f.analysed("m", request(f.vc.vmId("app"), m, MigrationType.AUTO))),
        FailureTypes.INCOMPATIBLE,
        true,
        "CPU vendor",
        "epyc-01");
    assertEquals(
        MigrationMode.COLD,
        f.analysed("m", request(f.vc.vmId("app"), m, MigrationType.COLD)).spec().mode());
  }

  @Test
  void missingPrivilegesAreListedWithEntityNames() {
    f = new ActivityFixture();
    String web = f.vc.vmId("web01");
    f.vc.deny(web, "Resource.HotMigrate");
    f.vc.deny(f.vc.datastoreId("ds-b"), "Datastore.AllocateSpace");
    assertFailure(
        failure(
            () ->
                f.analysed(
                    "m",
                    request(
                        web,
                        mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b")),
                        MigrationType.AUTO))),
        FailureTypes.NO_PERMISSION,
        true,
        "web01: Resource.HotMigrate",
        "ds-b: Datastore.AllocateSpace");
  }

  @Test
  void disconnectedVmBlocksAndIndependentDiskWarns() {
    f =
        new ActivityFixture(
            ActivityFixture.standard()
                .vm(
                    "ind",
                    v ->
                        v.host("esx-02")
                            .disk("ds-a", GIB)
                            .disk(
                                "ds-a", GIB, dev.vmigrate.model.DiskMode.INDEPENDENT_PERSISTENT)));
    var keep = mapping("vc1", "prod", "dr", sameStorage());
    PrecheckReport report =
        f.analysis.invokePrechecks(
            MigrationContext.start("m", request(f.vc.vmId("ind"), keep, MigrationType.AUTO)));
    assertTrue(
        report.findings().stream()
            .anyMatch(
                x -> x.code().equals("INDEPENDENT_DISK") && x.severity() == Severity.WARNING));
    assertTrue(report.blocking().isEmpty());
    f.vc.disconnectHost(f.vc.hostId("esx-02"));
    assertFailure(
        failure(
            () ->
                f.analysis.invokePrechecks(
                    MigrationContext.start(
                        "m", request(f.vc.vmId("ind"), keep, MigrationType.AUTO)))),
        FailureTypes.PRECHECK_FAILED,
        true,
        "VM_NOT_CONNECTED",
        "ind");
  }

  @Test
  void newerHardwareThanTheDestinationHostRunsIsIncompatible() {
    f =
        new ActivityFixture(
            SimulatedVsphere.builder("vc1")
                .datacenter("dc1")
                .datastore("ds-a", 100 * GIB)
                .network("VM Network")
                .cluster("prod")
                .host("esx-01")
                .cluster("legacy")
                .host("esx-65", h -> h.maxHardwareVersion("vmx-13"))
                .vm(
                    "app",
                    v ->
                        v.host("esx-01")
                            .disk("ds-a", GIB)
                            .nic("VM Network")
                            .hardwareVersion("vmx-19")
                            .poweredOff()));
    assertFailure(
        failure(
            () ->
                f.analysed(
                    "m",
                    request(
                        f.vc.vmId("app"),
                        mapping("vc1", "prod", "legacy", Map.of("ds-a", "ds-a")),
                        MigrationType.AUTO))),
        FailureTypes.INCOMPATIBLE,
        true,
        "vmx-19",
        "esx-65");
  }
}

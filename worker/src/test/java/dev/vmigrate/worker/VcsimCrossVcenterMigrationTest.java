package dev.vmigrate.worker;

import static dev.vmigrate.worker.MigrationHarness.options;
import static dev.vmigrate.worker.VcsimHarness.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.Placement;
import dev.vmigrate.vsphere.ClusterInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.RegisterSpec;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.TaskState;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.vcsim.VcsimExtension;
import dev.vmigrate.vsphere.vim25.VcsimVms;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Migration across vCenters by re-registration on shared storage, on two vcsim instances that mount
 * one directory as datastore "Shared" ({@code -datastore-dir}), as two vCenters sharing a
 * datastore.
 */
class VcsimCrossVcenterMigrationTest {
  private static final Path SHARED = tempDir();
  private static final String[] MODEL = {
    "-cluster",
    "1",
    "-host",
    "2",
    "-standalone-host",
    "0",
    "-vm",
    "0",
    "-datastore-dir",
    "Shared=" + SHARED
  };

  @RegisterExtension static final VcsimExtension source = VcsimExtension.perTest(MODEL);
  @RegisterExtension static final VcsimExtension target = VcsimExtension.perTest(MODEL);

  private VcsimHarness h;

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("vmigrate-e2e-shared-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void removeSharedDirectory() throws IOException {
    try (var files = Files.walk(SHARED)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @BeforeEach
  void setUp() {
    h = new VcsimHarness(source, target);
  }

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private static InfrastructureMapping mapping() {
    return new InfrastructureMapping(
        VcsimHarness.VC,
        VcsimHarness.VC2,
        List.of(new ClusterMapping("DC0_C0", "DC0_C0", null, null)),
        Map.of("Shared", "Shared"),
        Map.of("DC0_DVPG0", "DC0_DVPG0", "VM Network", "VM Network"));
  }

  /** A powered-off VM created in the source with its .vmx and disk on Shared. */
  private VmInfo createOnShared(String name, String network) {
    Inventory inv = h.vc.inventory();
    ClusterInfo c = inv.clusterByName("DC0_C0").orElseThrow();
    String id =
        VcsimVms.createVm(
            h.vc,
            name,
            inv.datacenters().get(0).vmFolder(),
            c.rootResourcePool(),
            c.hosts().get(0),
            "Shared",
            network == null ? null : h.networkId(h.vc, network));
    return h.vc.vm(id);
  }

  /**
   * A VM registered in the source from a .vmx written on Shared: vcsim gives it no disks and no
   * NICs, so nothing is lost when the destination registers it the same way.
   */
  private VmInfo registerOnShared(String name) throws IOException {
    Path dir = Files.createDirectories(SHARED.resolve(name));
    Files.writeString(dir.resolve(name + ".vmx"), "displayName = \"" + name + "\"\n");
    // vcsim's RegisterVM_Task opens the .vmx, <name>.nvram and vmware.log, and fails without them.
    Files.writeString(dir.resolve(name + ".nvram"), "");
    Files.writeString(dir.resolve("vmware.log"), "");
    Inventory inv = h.vc.inventory();
    ClusterInfo c = inv.clusterByName("DC0_C0").orElseThrow();
    TaskInfo t =
        h.vc.waitForTask(
            h.vc.register(
                new RegisterSpec(
                    "[Shared] " + name + "/" + name + ".vmx",
                    name,
                    inv.datacenters().get(0).vmFolder(),
                    c.rootResourcePool(),
                    c.hosts().get(0))),
            Duration.ofSeconds(10));
    assertEquals(TaskState.SUCCESS, t.state(), () -> String.valueOf(t.error()));
    return h.vc.vm(t.result());
  }

  /** Registered in the destination's DC0_C0, root pool and VM folder, with the same UUIDs. */
  private VmInfo assertInDestination(VmInfo before) {
    assertTrue(h.vc.findVmByInstanceUuid(before.instanceUuid()).isEmpty(), "gone from the source");
    VmInfo now = h.vc2.findVmByInstanceUuid(before.instanceUuid()).orElseThrow();
    Inventory inv = h.vc2.inventory();
    ClusterInfo c = inv.clusterByName("DC0_C0").orElseThrow();
    assertEquals(before.biosUuid(), now.biosUuid(), "BIOS UUID");
    assertEquals(before.vmPathName(), now.vmPathName(), "same .vmx on the shared datastore");
    assertEquals(c.id(), now.cluster(), "cluster");
    assertTrue(c.hosts().contains(now.host()), "host");
    assertEquals(c.rootResourcePool(), now.resourcePool(), "pool");
    assertEquals(inv.datacenters().get(0).vmFolder(), now.folder(), "folder");
    assertEquals(before.powerState(), now.powerState(), "power state");
    return now;
  }

  @Test
  void aVmIsReRegisteredInTheOtherVcenterKeepingItsUuids() throws IOException {
    VmInfo before = registerOnShared("xvc01");

    MigrationResult r =
        result(h.start(before, mapping(), options(MigrationType.AUTO, FailurePolicy.HOLD)));

    assertEquals(MigrationState.COMPLETED, r.state(), r::toString);
    assertTrue(r.actionsRun().contains(MigrationAction.UNREGISTER_SOURCE_VM), r::toString);
    assertTrue(r.actionsRun().contains(MigrationAction.REGISTER_DESTINATION_VM), r::toString);
    VmInfo now = assertInDestination(before);
    assertTrue(
        String.valueOf(now.customValue(MigrationAttributes.RESULT)).startsWith("migrated "),
        "marked migrated");
    h.assertNothingHeld(h.vc2, before.instanceUuid());
  }

  @Test
  void aRollbackFromVerifyingReRegistersTheVmInTheSourceVcenter() throws IOException {
    VmInfo before = registerOnShared("xvc02");
    Placement origin = before.placement(VcsimHarness.VC);

    VmMigrationWorkflow wf =
        h.start(before, mapping(), MigrationOptions.defaults().withVerify(true, null));
    h.awaitState(wf, MigrationState.VERIFYING);
    assertInDestination(before);
    wf.rollback();

    assertEquals(MigrationState.ROLLED_BACK, result(wf).state());
    assertTrue(
        h.vc2.findVmByInstanceUuid(before.instanceUuid()).isEmpty(), "gone from the destination");
    h.assertAtOrigin(before.instanceUuid(), origin);
    assertEquals(before.biosUuid(), h.vmByUuid(before.instanceUuid()).biosUuid(), "BIOS UUID");
    h.assertNothingHeld(h.vc, before.instanceUuid());
  }

  /**
   * What stops a VM with devices: vcsim's RegisterVM_Task does not read the .vmx, so the VM comes
   * up in the destination with the same UUIDs but without its disk and NIC. vmigrate's verification
   * notices the missing NIC and holds; the rollback re-registers it in the source (again without
   * devices), cannot put a NIC that is not there back on its network, and holds for an operator
   * rather than report a clean rollback.
   */
  @Test
  void aVmWithDevicesIsHeldBecauseVcsimRegistersItWithoutThem() {
    VmInfo before = createOnShared("xvc03", "DC0_DVPG0");
    assertEquals(1, before.disks().size());
    assertEquals(1, before.nics().size());
    String mac = before.nics().get(0).macAddress();

    VmMigrationWorkflow wf =
        h.start(before, mapping(), options(MigrationType.AUTO, FailurePolicy.HOLD));
    MigrationStatus held = h.awaitState(wf, MigrationState.FAILED_WAITING);

    assertEquals(MigrationAction.COMPLETE_DESTINATION, held.currentAction(), held::toString);
    assertTrue(held.lastError().contains("MAC changed from " + mac + " to null"), held.lastError());
    assertTrue(
        held.lastError().contains(before.disks().get(0).label() + " is missing"), held.lastError());
    VmInfo there = assertInDestination(before);
    assertEquals(List.of(), there.disks(), "vcsim registered it without its disk");
    assertEquals(List.of(), there.nics(), "vcsim registered it without its NIC");

    wf.rollback();
    MigrationStatus stuck = awaitHeldAgain(wf);

    assertTrue(stuck.lastError().contains("ReregisterSourceVm"), stuck.lastError());
    assertTrue(stuck.lastError().contains("no NIC with key"), stuck.lastError());
    VmInfo back = h.vmByUuid(before.instanceUuid());
    assertEquals(before.biosUuid(), back.biosUuid(), "re-registered with its UUIDs");
    assertEquals(List.of(), back.nics(), "and again without devices");
  }

  private MigrationStatus awaitHeldAgain(VmMigrationWorkflow wf) {
    MigrationStatus s = null;
    for (int i = 0; i < 600; i++) {
      s = wf.status();
      if (s.state() == MigrationState.FAILED_WAITING && s.lastError().contains("Reregister")) {
        return s;
      }
      h.env.sleep(Duration.ofMillis(50));
    }
    throw new AssertionError("the rollback never held; last status " + s);
  }
}

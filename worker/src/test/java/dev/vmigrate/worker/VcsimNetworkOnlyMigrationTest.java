package dev.vmigrate.worker;

import static dev.vmigrate.worker.MigrationHarness.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationItinerary;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.NicBackingChange;
import dev.vmigrate.model.VirtualNic;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.NetworkInfo;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.vcsim.VcsimExtension;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Network-only migrations (migrationType network) end to end on vcsim: the real workflow and
 * activities, the vim25 gateway, a fresh simulator per test with one cluster of two hosts, three
 * VMs, the standard network "VM Network" and the distributed port groups DC0_DVPG0 and DC0_DVPG1.
 * Two VMs are first put on VM Network, so the wave moves NICs from a standard port group to a
 * distributed one and from a distributed one to a standard one. Each test prints every VM's NICs
 * before and after, and the launcher's call counts show that no relocate was sent.
 */
class VcsimNetworkOnlyMigrationTest {

  @RegisterExtension
  static final VcsimExtension vcsim =
      VcsimExtension.perTest(
          "-cluster",
          "1",
          "-host",
          "2",
          "-standalone-host",
          "0",
          "-ds",
          "1",
          "-pg",
          "2",
          "-vm",
          "3");

  private static final List<String> VMS =
      List.of("DC0_C0_RP0_VM0", "DC0_C0_RP0_VM1", "DC0_C0_RP0_VM2");

  /** Standard to distributed, and distributed to standard. */
  private static final Map<String, String> NETWORKS =
      Map.of("VM Network", "DC0_DVPG1", "DC0_DVPG0", "VM Network");

  private VcsimHarness h;
  private final Map<String, VmInfo> before = new LinkedHashMap<>();

  @BeforeEach
  void setUp() {
    h = new VcsimHarness(vcsim);
    String standard = h.networkId(h.vc, "VM Network");
    // vcsim puts every NIC on DC0_DVPG0; VM0 and VM1 start on the standard port group.
    for (String name : VMS.subList(0, 2)) {
      VmInfo vm = h.vm(name);
      h.vc.waitForTask(
          h.vc.reconfigureNics(
              vm.id(), List.of(new NicBackingChange(vm.nics().get(0).key(), standard))),
          Duration.ofSeconds(10));
    }
    for (String name : VMS) {
      VmInfo vm = h.vm(name);
      assertEquals(1, vm.nics().size(), name + " NICs");
      assertNotNull(vm.nics().get(0).macAddress(), name + " MAC");
      before.put(name, vm);
    }
    vcsim.resetCalls(); // count the migrations' calls only
  }

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private static InfrastructureMapping networksOnly() {
    return new InfrastructureMapping(
        VcsimHarness.VC, VcsimHarness.VC, List.of(), Map.of(), NETWORKS);
  }

  private String networkName(String id) {
    return h.inventory().network(id).map(NetworkInfo::name).orElse(id);
  }

  @Test
  void aWaveMovesEveryNicToItsMappedNetworkKeepingUuidsAndMacsWithoutARelocate() {
    List<VmMigrationWorkflow> runs = new ArrayList<>();
    MigrationOptions network = options(MigrationType.NETWORK, FailurePolicy.HOLD);
    for (VmInfo vm : before.values()) {
      runs.add(h.start(vm, networksOnly(), network));
    }
    List<MigrationResult> results = runs.stream().map(VcsimHarness::result).toList();

    Map<String, VmInfo> after = new LinkedHashMap<>();
    for (VmInfo vm : before.values()) {
      after.put(vm.name(), h.vmByUuid(vm.instanceUuid()));
    }
    printTable("network-only wave on vcsim", after);
    for (MigrationResult r : results) {
      assertEquals(MigrationState.COMPLETED, r.state(), r::toString);
      assertEquals(MigrationItinerary.NETWORK_ONLY, r.actionsRun());
    }
    Inventory inv = h.inventory();
    for (VmInfo was : before.values()) {
      VmInfo now = after.get(was.name());
      assertEquals(was.id(), now.id(), "same VM");
      assertEquals(was.instanceUuid(), now.instanceUuid(), "instance UUID");
      assertEquals(was.biosUuid(), now.biosUuid(), "BIOS UUID");
      assertEquals(was.host(), now.host(), "host");
      assertEquals(was.resourcePool(), now.resourcePool(), "resource pool");
      assertEquals(was.disks(), now.disks(), "disks");
      VirtualNic a = was.nics().get(0);
      VirtualNic b = now.nics().get(0);
      assertEquals(a.key(), b.key(), "NIC key");
      assertEquals(a.macAddress(), b.macAddress(), "MAC");
      assertEquals(a.addressType(), b.addressType(), "address type");
      assertEquals(a.connected(), b.connected(), "connected");
      assertEquals(a.startConnected(), b.startConnected(), "start connected");
      String mapped = NETWORKS.get(networkName(a.network()));
      assertEquals(inv.networkByName(mapped).orElseThrow().id(), b.network(), "mapped network");
      assertTrue(
          String.valueOf(now.customValue(MigrationAttributes.RESULT)).startsWith("migrated "),
          "marked migrated");
      assertEquals(0, vcsim.calls("RelocateVM_Task", was.id()), "no relocate");
      assertEquals(1, vcsim.calls("ReconfigVM_Task", was.id()), "one reconfigure");
      h.assertNothingHeld(h.vc, was.instanceUuid());
    }
    assertFalse(vcsim.calls().path("methods").has("RelocateVM_Task"), "no relocate at all");
  }

  @Test
  void rollbackFromVerifyingPutsEveryNicBackOnItsOriginalNetwork() {
    List<VmMigrationWorkflow> runs = new ArrayList<>();
    MigrationOptions verify =
        options(MigrationType.NETWORK, FailurePolicy.HOLD).withVerify(true, null);
    for (VmInfo vm : before.values()) {
      runs.add(h.start(vm, networksOnly(), verify));
    }
    for (VmMigrationWorkflow wf : runs) {
      h.awaitState(wf, MigrationState.VERIFYING);
    }
    Map<String, VmInfo> moved = new LinkedHashMap<>();
    for (VmInfo vm : before.values()) {
      moved.put(vm.name(), h.vmByUuid(vm.instanceUuid()));
    }
    printTable("network-only wave on vcsim, in VERIFYING", moved);
    for (VmInfo was : before.values()) {
      assertEquals(
          NETWORKS.get(networkName(was.nics().get(0).network())),
          networkName(moved.get(was.name()).nics().get(0).network()),
          was.name() + " moved before the rollback");
    }

    runs.forEach(VmMigrationWorkflow::rollback);
    List<MigrationResult> results = runs.stream().map(VcsimHarness::result).toList();

    Map<String, VmInfo> after = new LinkedHashMap<>();
    for (VmInfo vm : before.values()) {
      after.put(vm.name(), h.vmByUuid(vm.instanceUuid()));
    }
    printTable("network-only wave on vcsim, after rollback", after);
    for (MigrationResult r : results) {
      assertEquals(MigrationState.ROLLED_BACK, r.state(), r::toString);
      assertEquals(
          List.of("UncompleteDestination", "RevertReconfigureVm", "UnprepareSource"),
          r.compensationsRun());
    }
    for (VmInfo was : before.values()) {
      VmInfo now = after.get(was.name());
      assertEquals(was.nics(), now.nics(), was.name() + " NICs as they were");
      assertEquals(was.instanceUuid(), now.instanceUuid(), "instance UUID");
      assertEquals(was.host(), now.host(), "host");
      assertEquals(0, vcsim.calls("RelocateVM_Task", was.id()), "no relocate");
      assertEquals(2, vcsim.calls("ReconfigVM_Task", was.id()), "there and back");
      assertTrue(
          String.valueOf(now.customValue(MigrationAttributes.RESULT)).startsWith("rolled-back "),
          "rollback recorded");
      h.assertNothingHeld(h.vc, was.instanceUuid());
    }
  }

  /** One line per VM: instance UUID, NIC key, MAC, network and flags, before and after. */
  private void printTable(String title, Map<String, VmInfo> after) {
    StringBuilder out = new StringBuilder();
    out.append(title).append('\n');
    out.append(
        String.format(
            "| %-14s | %-36s | %-4s | %-17s | %-10s -> %-10s | %-17s | %-9s | %-24s |%n",
            "VM",
            "instance UUID (before = after)",
            "NIC",
            "MAC before",
            "network",
            "network",
            "MAC after",
            "UUID kept",
            "connected/start/addrType"));
    for (VmInfo was : before.values()) {
      VmInfo now = after.get(was.name());
      VirtualNic a = was.nics().get(0);
      VirtualNic b = now.nics().get(0);
      out.append(
          String.format(
              "| %-14s | %-36s | %-4d | %-17s | %-10s -> %-10s | %-17s | %-9s | %-24s |%n",
              was.name(),
              now.instanceUuid(),
              a.key(),
              a.macAddress(),
              networkName(a.network()),
              networkName(b.network()),
              b.macAddress(),
              was.instanceUuid().equals(now.instanceUuid()) ? "yes" : "NO",
              b.connected() + "/" + b.startConnected() + "/" + b.addressType()));
    }
    out.append("calls: ").append(vcsim.calls().path("methods"));
    System.out.println(out);
  }
}

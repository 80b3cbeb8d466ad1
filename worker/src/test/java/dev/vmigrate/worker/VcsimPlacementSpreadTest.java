package dev.vmigrate.worker;

import static dev.vmigrate.worker.MigrationHarness.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.HostChoice;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.vsphere.ClusterInfo;
import dev.vmigrate.vsphere.HostInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.vcsim.VcsimExtension;
import dev.vmigrate.vsphere.vim25.VcsimVms;
import dev.vmigrate.workflow.VmMigrationWorkflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Forty VMs of one request migrated from DC0_C0 to DC0_C1 (three hosts each) on vcsim, one after
 * another, by the real workflow and activities over the vim25 client. vcsim reports the same static
 * quickStats for every host, so the plan's own placements (the vmigrate.placement marks) are what
 * spreads them; the test prints the VMs per host.
 */
class VcsimPlacementSpreadTest {
  private static final int VMS = 40;

  @RegisterExtension
  static final VcsimExtension vcsim =
      VcsimExtension.perTest(
          "-cluster",
          "2",
          "-host",
          "3",
          "-standalone-host",
          "0",
          "-pool",
          "0",
          "-ds",
          "1",
          "-pg",
          "1",
          "-vm",
          String.valueOf(VMS));

  private VcsimHarness h;
  private ClusterInfo c1;
  private final List<VmInfo> vms = new ArrayList<>();

  @BeforeEach
  void setUp() {
    h = new VcsimHarness(vcsim);
    c1 = h.cluster(h.vc, "DC0_C1");
    Inventory inv = h.inventory();
    String c0 = h.cluster(h.vc, "DC0_C0").id();
    for (VmInfo vm : inv.vms()) {
      if (c0.equals(vm.cluster())) {
        // vcsim's host-device CD-ROM blocks vMotion; an administrator removes it first.
        VcsimVms.removeHostCdroms(h.vc, vm.id());
        vms.add(vm);
      }
    }
    assertEquals(VMS, vms.size());
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
        VcsimHarness.VC,
        List.of(new ClusterMapping("DC0_C0", "DC0_C1", null, null)),
        Map.of("LocalDS_0", "LocalDS_0"),
        Map.of("DC0_DVPG0", "DC0_DVPG0"));
  }

  /** The most VMs on one host less the fewest. */
  private static int spread(Map<String, Integer> perHost) {
    return perHost.values().stream().mapToInt(Integer::intValue).max().orElseThrow()
        - perHost.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
  }

  /** VMs per host of DC0_C1, by host name; checks each VM is there and marked with its host. */
  private Map<String, Integer> perHost() {
    Map<String, Integer> perHost = new TreeMap<>();
    Inventory inv = h.inventory();
    for (String host : c1.hosts()) {
      perHost.put(inv.host(host).map(HostInfo::name).orElseThrow(), 0);
    }
    for (VmInfo vm : vms) {
      VmInfo now = h.vc.vm(vm.id());
      assertEquals(c1.id(), now.cluster(), now.name());
      assertTrue(
          now.customValue(MigrationAttributes.PLACEMENT).contains("\"host\":\"" + now.host()),
          "the mark names the host: " + now.customValue(MigrationAttributes.PLACEMENT));
      perHost.merge(inv.host(now.host()).map(HostInfo::name).orElseThrow(), 1, Integer::sum);
    }
    assertEquals(VMS, perHost.values().stream().mapToInt(Integer::intValue).sum());
    return perHost;
  }

  /**
   * The same forty started at once. One worker makes its choices for a cluster one at a time, so
   * each sees the marks of the ones before; migrations in flight, which count too, vary with the
   * timing, so the spread may be a little less even than one after another.
   */
  @Test
  void fortyConcurrentMigrationsOfOneRequestReachEveryHost() {
    List<VmMigrationWorkflow> started = new ArrayList<>();
    for (VmInfo vm : vms) {
      started.add(
          h.start(h.vc.vm(vm.id()), mapping(), options(MigrationType.AUTO, FailurePolicy.HOLD)));
    }
    for (VmMigrationWorkflow wf : started) {
      MigrationResult r = VcsimHarness.result(wf);
      assertEquals(MigrationState.COMPLETED, r.state(), r::toString);
    }
    Map<String, Integer> perHost = perHost();
    System.out.println("vcsim, " + VMS + " concurrent migrations, VMs per host: " + perHost);
    assertTrue(spread(perHost) <= 3, "spread: " + perHost);
  }

  @Test
  void fortySequentialMigrationsOfOneRequestSpreadOverTheCluster() {
    HostChoice last = null;
    for (VmInfo vm : vms) {
      VmMigrationWorkflow wf =
          h.start(h.vc.vm(vm.id()), mapping(), options(MigrationType.AUTO, FailurePolicy.HOLD));
      MigrationResult r = VcsimHarness.result(wf);
      assertEquals(MigrationState.COMPLETED, r.state(), r::toString);
      last = r.destination().choice();
      assertNotNull(last);
    }
    Map<String, Integer> perHost = perHost();
    System.out.println("vcsim, " + VMS + " sequential migrations, VMs per host: " + perHost);
    assertTrue(spread(perHost) <= 1, "spread evenly: " + perHost);
    assertEquals("req-vcsim", last.requestId());
    assertEquals(3, last.candidates());
    assertTrue(last.rejected().isEmpty(), last::toString);
  }
}

package dev.vmigrate.worker;

import static dev.vmigrate.worker.MigrationHarness.GIB;
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
import dev.vmigrate.vsphere.HostInfo;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A plan of twelve VMs, migrated one after another by the real workflow and activities on the
 * simulated vSphere, into a cluster of five hosts of which three can take them: esx-d4 is in
 * maintenance mode and esx-d5 has 2 GiB of memory for VMs of 4 GiB. Every other VM is powered off,
 * so host usage alone cannot spread them: the plan's own placements do.
 */
class PlacementSpreadTest {
  private static final int VMS = 12;

  private MigrationHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private static SimulatedVsphere.Builder inventory() {
    SimulatedVsphere.Builder b =
        SimulatedVsphere.builder(MigrationHarness.VC)
            .datacenter("dc1")
            .datastore("ds-shared", 2000 * GIB)
            .network("VM Network")
            .cluster("src")
            .host("esx-s1", s -> s.memoryMb(1024 * 1024).cpu(256, 2600))
            .cluster("dst")
            .host("esx-d1")
            .host("esx-d2")
            .host("esx-d3")
            .host("esx-d4", s -> s.maintenanceMode())
            .host("esx-d5", s -> s.memoryMb(2048));
    for (int i = 1; i <= VMS; i++) {
      int n = i;
      b.vm(
          String.format("vm%02d", n),
          v -> {
            v.host("esx-s1").disk("ds-shared", GIB).nic("VM Network").memoryMb(4096).cpus(2);
            if (n % 2 == 0) {
              v.poweredOff();
            }
          });
    }
    return b;
  }

  @Test
  void aPlanLargerThanTheClusterSpreadsOverTheHostsThatCanTakeIt() {
    h = new MigrationHarness(inventory());
    InfrastructureMapping mapping =
        new InfrastructureMapping(
            MigrationHarness.VC,
            MigrationHarness.VC,
            List.of(new ClusterMapping("src", "dst", null, null)),
            Map.of("ds-shared", "ds-shared"),
            Map.of("VM Network", "VM Network"));
    HostChoice last = null;
    for (int i = 1; i <= VMS; i++) {
      MigrationResult r =
          MigrationHarness.result(
              h.start(
                  String.format("vm%02d", i),
                  mapping,
                  options(MigrationType.AUTO, FailurePolicy.HOLD)));
      assertEquals(MigrationState.COMPLETED, r.state(), r::toString);
      last = r.destination().choice();
      assertNotNull(last, "the result records why");
    }

    Map<String, Integer> perHost = new TreeMap<>();
    for (String host : List.of("esx-d1", "esx-d2", "esx-d3", "esx-d4", "esx-d5")) {
      perHost.put(host, 0);
    }
    for (int i = 1; i <= VMS; i++) {
      String host = h.vc.host(h.vm(String.format("vm%02d", i)).host()).name();
      perHost.merge(host, 1, Integer::sum);
    }
    System.out.println("simulated vSphere, " + VMS + " VMs, VMs per host: " + perHost);
    // Deterministic, and spread rather than equal: a host whose VMs are powered off has more room
    // left, which the score weighs along with the plan's own placements.
    assertEquals(0, perHost.get("esx-d4"), "in maintenance mode");
    assertEquals(0, perHost.get("esx-d5"), "too little memory");
    for (String host : List.of("esx-d1", "esx-d2", "esx-d3")) {
      assertTrue(perHost.get(host) >= 3 && perHost.get(host) <= 5, perHost::toString);
    }

    // The twelfth choice: three candidates, the plan's VMs already on the chosen host, and the two
    // hosts filtered out with their reasons.
    assertEquals("req-it", last.requestId());
    assertEquals(3, last.candidates());
    String lastHost = h.vc.host(h.vm(String.format("vm%02d", VMS)).host()).name();
    assertEquals(lastHost, last.hostName());
    assertEquals(perHost.get(lastHost) - 1, last.placedByRequest(), "the plan's VMs before it");
    assertEquals(2, last.rejected().size(), last.rejected()::toString);
    assertTrue(last.rejected().get(0).startsWith("esx-d4: in maintenance mode"), last::toString);
    assertTrue(
        last.rejected().get(1).startsWith("esx-d5: memory: 2048 MB free, the VM needs 4096"),
        last::toString);
    HostInfo d1 = h.vc.host(h.vc.hostId("esx-d1"));
    assertTrue(d1.memoryUsageMb() > 0, "powered-on VMs count as usage: " + d1);
  }
}

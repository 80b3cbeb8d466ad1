package dev.vmigrate.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.VmOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class VsphereCostModelTest {

  private final VsphereCostModel model =
      new VsphereCostModel("vc1", AdmissionLimits.vsphereDefaults(0), 500);

  private static VmOrder order(boolean on, boolean storage, long mbps) {
    return new VmOrder(
        "vm-1",
        "vm1",
        "uuid-1",
        100_000_000_000L,
        8_000_000_000L,
        on,
        "host-1",
        List.of("ds-a"),
        List.of("ds-b"),
        storage,
        mbps,
        null);
  }

  private static Map<String, ResourceCost> costs(AdmissionJob job) {
    return job.costs().stream().collect(Collectors.toMap(ResourceCost::resource, c -> c));
  }

  @Test
  void vmotionCostsOneOnHostNetworkAndSourceDatastore() {
    Map<String, ResourceCost> c = costs(model.jobFor(order(true, false, 10_000)));
    assertEquals(1, c.get("host:host-1").cost());
    assertEquals(8, c.get("host:host-1").limit());
    assertEquals(1, c.get("net:host-1").cost());
    assertEquals(8, c.get("net:host-1").limit());
    assertEquals(1, c.get("ds:ds-a").cost());
    assertFalse(c.containsKey("ds:ds-b"));
    assertEquals(640, c.get("vc:vc1").limit());
    assertEquals(500, c.get("request").limit());
  }

  @Test
  void storageVmotionCostsFourOnHostAndSixteenOnBothDatastores() {
    Map<String, ResourceCost> c = costs(model.jobFor(order(true, true, 1_000)));
    assertEquals(4, c.get("host:host-1").cost());
    assertEquals(4, c.get("net:host-1").limit());
    assertEquals(16, c.get("ds:ds-a").cost());
    assertEquals(16, c.get("ds:ds-b").cost());
    assertEquals(128, c.get("ds:ds-b").limit());
  }

  @Test
  void coldWithoutStorageChangeIsCheapAndCopiesNothingOverTheNetwork() {
    AdmissionJob job = model.jobFor(order(false, false, 10_000));
    Map<String, ResourceCost> c = costs(job);
    assertEquals(1, c.get("host:host-1").cost());
    assertFalse(c.containsKey("net:host-1"));
    assertEquals(
        VsphereCostModel.FIXED_OVERHEAD_MILLIS + VsphereCostModel.COLD_REGISTER_MILLIS,
        job.estimatedMillis());
  }

  @Test
  void durationIsBytesOverBandwidth() {
    // 108 GB at 125 MB/s = 864 s, plus the fixed overhead.
    assertEquals(
        864_000 + VsphereCostModel.FIXED_OVERHEAD_MILLIS,
        model.jobFor(order(true, true, 10_000)).estimatedMillis());
    assertEquals(
        64_000 + VsphereCostModel.FIXED_OVERHEAD_MILLIS,
        model.jobFor(order(true, false, 10_000)).estimatedMillis());
  }

  @Test
  void planLimitTightensTheRequestCeiling() {
    VsphereCostModel limited =
        new VsphereCostModel("vc1", AdmissionLimits.vsphereDefaults(20), 500);
    assertEquals(20, costs(limited.jobFor(order(true, false, 10_000))).get("request").limit());
  }

  @Test
  void aDatastoreOnBothSidesIsChargedOnce() {
    VmOrder same =
        new VmOrder(
            "vm-2",
            "vm2",
            "u2",
            1,
            1,
            true,
            "h",
            List.of("ds-a"),
            List.of("ds-a"),
            true,
            10_000,
            null);
    AdmissionJob job = model.jobFor(same);
    assertEquals(1, job.costs().stream().filter(c -> c.resource().equals("ds:ds-a")).count());
    assertEquals(16, costs(job).get("ds:ds-a").cost());
  }

  @Test
  void aNicReconfigureCostsOneOnTheHostAndNothingOnNetworksOrDatastores() {
    VsphereCostModel reconfigure =
        new VsphereCostModel("vc1", AdmissionLimits.vsphereDefaults(0), 500, true);
    AdmissionJob job = reconfigure.jobFor(order(true, true, 1_000));
    Map<String, ResourceCost> c = costs(job);
    assertEquals(Set.of("vc:vc1", "request", "host:host-1"), c.keySet(), "charged: " + c.keySet());
    assertEquals(VsphereCostModel.RECONFIGURE_HOST_COST, c.get("host:host-1").cost());
    assertEquals(8, c.get("host:host-1").limit());
    assertEquals(
        VsphereCostModel.FIXED_OVERHEAD_MILLIS + VsphereCostModel.RECONFIGURE_MILLIS,
        job.estimatedMillis());
  }

  @Test
  void aNetworkOnlyWaveReachesEachHostInBatchesOfItsHostLimit() {
    VsphereCostModel reconfigure =
        new VsphereCostModel("vc1", AdmissionLimits.vsphereDefaults(0), 500, true);
    AdmissionScheduler scheduler = new AdmissionScheduler();
    for (int i = 0; i < 20; i++) {
      String host = i < 12 ? "host-1" : "host-2";
      scheduler.enqueue(
          reconfigure.jobFor(
              new VmOrder(
                  "vm-" + i,
                  "vm" + i,
                  "uuid-" + i,
                  1L << 40,
                  1L << 34,
                  true,
                  host,
                  List.of("ds-a"),
                  List.of(),
                  false,
                  1_000,
                  null)));
    }
    List<AdmissionJob> first = scheduler.admit(0);
    // host-1's 12 VMs go 8 at a time; host-2's 8 all fit; no datastore or network holds them.
    assertEquals(16, first.size());
    assertEquals(8, scheduler.usage("host:host-1"));
    assertEquals(8, scheduler.usage("host:host-2"));
    assertEquals(4, scheduler.queuedCount());
    AdmissionJob done =
        first.stream().filter(j -> costs(j).containsKey("host:host-1")).findFirst().orElseThrow();
    scheduler.release(done.id());
    List<AdmissionJob> next = scheduler.admit(1);
    assertEquals(1, next.size());
    assertTrue(costs(next.get(0)).containsKey("host:host-1"));
    assertEquals(8, scheduler.usage("host:host-1"));
  }
}

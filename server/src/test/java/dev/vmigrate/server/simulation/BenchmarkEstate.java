package dev.vmigrate.server.simulation;

import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded estate for the simulation benchmarks: cluster "src" of 6 hosts (half on 1 GbE vMotion
 * links, half on 10 GbE) with the VMs on 8 datastores, cluster "dst" of 6 hosts on 10 GbE with 4
 * datastores; every VM moves to "dst" and its disks to the datastore its source maps to (storage
 * vMotion for the powered-on, a cold relocate with disks for the others). Disks skew small as in
 * most estates (8 GiB × 2^k), memory 2 to 32 GiB, four in five powered on.
 */
final class BenchmarkEstate {
  private static final long GIB = 1L << 30;

  private BenchmarkEstate() {}

  static SimulatedVsphere.Builder build(long seed, int vms) {
    Random r = new Random(seed);
    SimulatedVsphere.Builder b = SimulatedVsphere.builder("vc1").datacenter("dc");
    for (int i = 1; i <= 8; i++) {
      b.datastore(String.format("src-%02d", i), 1L << 50);
    }
    for (int i = 1; i <= 4; i++) {
      b.datastore(String.format("dst-%02d", i), 1L << 50);
    }
    b.network("VM Network").cluster("src");
    for (int h = 1; h <= 6; h++) {
      long link = h % 2 == 0 ? 1_000 : 10_000;
      b.host(String.format("esx-src-%02d", h), s -> s.vmotionLinkMbps(link).memoryMb(16L << 20));
    }
    b.cluster("dst");
    for (int h = 1; h <= 6; h++) {
      b.host(String.format("esx-dst-%02d", h), s -> s.vmotionLinkMbps(10_000).memoryMb(16L << 20));
    }
    for (int i = 0; i < vms; i++) {
      int k = Math.min(6, (int) Math.floor(-Math.log(1 - r.nextDouble()) * 1.2));
      long disk = (8L << k) * GIB;
      long memoryMb = (2L << r.nextInt(5)) * 1024;
      boolean on = r.nextInt(5) != 0;
      String host = String.format("esx-src-%02d", 1 + r.nextInt(6));
      String ds = String.format("src-%02d", 1 + r.nextInt(8));
      b.vm(
          String.format("vm-%04d", i),
          v ->
              v.host(host)
                  .disk(ds, disk)
                  .nic("VM Network")
                  .memoryMb(memoryMb)
                  .powerState(on ? PowerState.POWERED_ON : PowerState.POWERED_OFF));
    }
    return b;
  }

  /** src-NN moves to dst-((NN-1) % 4 + 1). */
  static Map<String, String> datastoreMap() {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 1; i <= 8; i++) {
      m.put(String.format("src-%02d", i), String.format("dst-%02d", (i - 1) % 4 + 1));
    }
    for (int i = 1; i <= 4; i++) {
      m.put(String.format("dst-%02d", i), String.format("dst-%02d", i));
    }
    return m;
  }

  static InfrastructureMapping mapping() {
    return new InfrastructureMapping(
        "vc1",
        "vc1",
        List.of(new ClusterMapping("src", "dst", null, null)),
        datastoreMap(),
        Map.of("VM Network", "VM Network"));
  }
}

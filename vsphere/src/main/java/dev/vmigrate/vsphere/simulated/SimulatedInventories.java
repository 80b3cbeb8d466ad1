package dev.vmigrate.vsphere.simulated;

import java.util.Random;

/**
 * Seeded inventories for the demo and benchmarks. The same arguments always give the same inventory
 * (names, sizes, power states), so runs can be compared.
 */
public final class SimulatedInventories {
  private static final long GIB = 1024L * 1024L * 1024L;

  private SimulatedInventories() {}

  /**
   * One datacenter "dc-01" with clusters "cluster-01".., hosts "esx-01-01".. (cluster, host),
   * shared datastores "datastore-01".. mounted by every host, the standard network "VM Network" and
   * the distributed port groups "dvpg-web", "dvpg-app", "dvpg-db", and VMs "srv-0001".. spread over
   * the clusters: 1 to 3 disks of 8 GiB to 1 TiB (mostly small), 1 to 32 GiB of memory, about one
   * in five powered off and one in ten with snapshots. Datastores are sized so that half of their
   * space stays free, hosts (at least 256 GiB) so that one cluster's can hold every powered-on VM.
   * Returns the builder so that the caller can set clock, bandwidth and latency, or add to the
   * inventory.
   */
  public static SimulatedVsphere.Builder demo(
      long seed, int clusters, int hostsPerCluster, int datastores, int vms) {
    return demo("vcenter-1", seed, clusters, hostsPerCluster, datastores, vms);
  }

  /** {@link #demo(long, int, int, int, int)} for a vCenter connection with the given id. */
  public static SimulatedVsphere.Builder demo(
      String vcenterId, long seed, int clusters, int hostsPerCluster, int datastores, int vms) {
    if (clusters < 1 || hostsPerCluster < 1 || datastores < 1 || vms < 0) {
      throw new IllegalArgumentException("need at least one cluster, host and datastore");
    }
    Random random = new Random(seed);
    long[][] disks = new long[vms][];
    long[] perDatastore = new long[datastores];
    for (int i = 0; i < vms; i++) {
      int count = 1 + (random.nextInt(10) < 6 ? 0 : random.nextInt(3));
      disks[i] = new long[count];
      for (int d = 0; d < count; d++) {
        // Skewed towards small disks, as in most estates: 8 GiB * 2^k, k mostly 0..3.
        int k = Math.min(7, (int) Math.floor(-Math.log(1 - random.nextDouble()) * 1.5));
        disks[i][d] = (8L << k) * GIB;
        perDatastore[(i + d) % datastores] += disks[i][d];
      }
    }
    SimulatedVsphere.Builder b = SimulatedVsphere.builder(vcenterId).datacenter("dc-01");
    for (int d = 0; d < datastores; d++) {
      long capacity = Math.max(2 * perDatastore[d], 1024 * GIB);
      b.datastore(String.format("datastore-%02d", d + 1), capacity);
    }
    b.network("VM Network")
        .portGroup("dvpg-web", "dvs-01")
        .portGroup("dvpg-app", "dvs-01")
        .portGroup("dvpg-db", "dvs-01");
    String[] networks = {"VM Network", "dvpg-web", "dvpg-app", "dvpg-db"};
    // The VMs' settings are drawn first (in the same order as ever, so the inventory for a seed
    // stays the same) to size the hosts: each cluster's hosts together hold the memory of every
    // powered-on VM with a quarter to spare, so that a plan may move them all into one cluster.
    boolean[] off = new boolean[vms];
    boolean[] snapshots = new boolean[vms];
    int[] memoryGib = new int[vms];
    int[] cpus = new int[vms];
    String[] network = new String[vms];
    long poweredOnGib = 0;
    for (int i = 0; i < vms; i++) {
      off[i] = random.nextInt(5) == 0;
      snapshots[i] = random.nextInt(10) == 0;
      memoryGib[i] = 1 << random.nextInt(6);
      cpus[i] = 1 << random.nextInt(4);
      network[i] = networks[random.nextInt(networks.length)];
      poweredOnGib += off[i] ? 0 : memoryGib[i];
    }
    long hostGib = Math.max(256, (poweredOnGib * 5 / 4 / hostsPerCluster + 63) / 64 * 64);
    for (int c = 0; c < clusters; c++) {
      b.cluster(String.format("cluster-%02d", c + 1));
      for (int h = 0; h < hostsPerCluster; h++) {
        b.host(String.format("esx-%02d-%02d", c + 1, h + 1), spec -> spec.memoryMb(hostGib * 1024));
      }
    }
    b.folder("migrated");
    for (int i = 0; i < vms; i++) {
      int vmIndex = i;
      int cluster = i % clusters;
      int host = (i / clusters) % hostsPerCluster;
      b.vm(
          String.format("srv-%04d", i + 1),
          v -> {
            v.host(String.format("esx-%02d-%02d", cluster + 1, host + 1))
                .cpus(cpus[vmIndex])
                .memoryMb(memoryGib[vmIndex] * 1024L)
                .nic(network[vmIndex]);
            for (int d = 0; d < disks[vmIndex].length; d++) {
              v.disk(
                  String.format("datastore-%02d", (vmIndex + d) % datastores + 1),
                  disks[vmIndex][d]);
            }
            if (off[vmIndex]) {
              v.poweredOff();
            }
            if (snapshots[vmIndex]) {
              v.snapshots("before-patch");
            }
          });
    }
    return b;
  }
}

package dev.vmigrate.admission;

import dev.vmigrate.model.VmOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded synthetic plans: mixed disk sizes, skewed hosts, several datastores. */
final class SyntheticPlan {
  private SyntheticPlan() {}

  static final long GB = 1_000_000_000L;

  static List<VmOrder> generate(long seed, int vms, int hosts, int sourceDs, int destDs) {
    return generate(seed, vms, hosts, sourceDs, destDs, 2.0);
  }

  /**
   * @param skew placement skew: 1 spreads VMs evenly over hosts and datastores, 2 puts about a
   *     third of them on the first host
   */
  static List<VmOrder> generate(
      long seed, int vms, int hosts, int sourceDs, int destDs, double skew) {
    Random rnd = new Random(seed);
    List<VmOrder> orders = new ArrayList<>(vms);
    for (int i = 0; i < vms; i++) {
      // Skewed placement: low-numbered hosts and datastores carry more VMs, as in real clusters.
      int host = skewed(rnd, hosts, skew);
      double kind = rnd.nextDouble();
      long disk =
          kind < 0.6
              ? (20 + rnd.nextInt(80)) * GB
              : kind < 0.9 ? (100 + rnd.nextInt(400)) * GB : (500 + rnd.nextInt(3500)) * GB;
      long memory = (2L << rnd.nextInt(6)) * GB;
      boolean on = rnd.nextDouble() < 0.75;
      boolean storage = rnd.nextDouble() < 0.6;
      List<String> src = new ArrayList<>();
      src.add("src-ds-" + skewed(rnd, sourceDs, skew));
      if (rnd.nextDouble() < 0.2) {
        String second = "src-ds-" + rnd.nextInt(sourceDs);
        if (!src.contains(second)) {
          src.add(second);
        }
      }
      List<String> dst = List.of("dst-ds-" + rnd.nextInt(destDs));
      orders.add(
          new VmOrder(
              String.format("vm-%05d", i),
              "vm" + i,
              String.format("00000000-0000-0000-0000-%012d", i),
              disk,
              memory,
              on,
              "host-" + host,
              src,
              dst,
              storage,
              host % 2 == 0 ? 10_000 : 1_000,
              null));
    }
    return orders;
  }

  private static int skewed(Random rnd, int n, double skew) {
    return Math.min(n - 1, (int) (n * Math.pow(rnd.nextDouble(), skew)));
  }
}

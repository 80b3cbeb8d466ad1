package dev.vmigrate.vsphere.simulated;

import java.time.Duration;

/**
 * The shared-bandwidth model of a simulated vSphere: with it, data-moving tasks no longer run each
 * at a fixed bandwidth but share the resources they cross, as real migrations do. A relocate that
 * changes host crosses the source and destination hosts' vMotion links; one that moves disks
 * crosses the source and destination datastores. Each resource's capacity is divided among the
 * transfers on it by max-min fairness (a transfer takes the smallest share among its resources,
 * what one transfer cannot use goes to the others), and every time a transfer starts or ends the
 * shares, and so the remaining tasks' end times, are computed again.
 *
 * <p>A hot migration copies memory by pre-copy: the first pass copies all of it, each later pass
 * what the guest dirtied during the previous one, until what is left could be sent within the
 * switch-over target or the pass limit is reached; so a VM that dirties memory fast moves more
 * bytes. The rate used for the passes is the slower of the two links' line rate at this model's
 * efficiency, not the share it will get (an approximation: the pass count is fixed when the task
 * starts).
 *
 * @param linkEfficiency the fraction of a host's vMotion link line rate ({@code vmotionLinkMbps})
 *     that migrations over it achieve together
 * @param datastoreBytesPerSecond the throughput of each datastore, shared by all copies that read
 *     from it or write to it
 * @param memoryDirtyBytesPerSecond how fast a running guest dirties memory during a hot migration
 * @param maxPrecopyPasses at most this many pre-copy passes, the first included
 * @param switchoverTarget pre-copy stops once what is left could be copied within this time
 */
public record PhysicalModel(
    double linkEfficiency,
    long datastoreBytesPerSecond,
    long memoryDirtyBytesPerSecond,
    int maxPrecopyPasses,
    Duration switchoverTarget) {

  public PhysicalModel {
    if (!(linkEfficiency > 0 && linkEfficiency <= 1)) {
      throw new IllegalArgumentException("linkEfficiency must be in (0, 1], was " + linkEfficiency);
    }
    if (datastoreBytesPerSecond <= 0) {
      throw new IllegalArgumentException(
          "datastoreBytesPerSecond must be positive, was " + datastoreBytesPerSecond);
    }
    if (memoryDirtyBytesPerSecond < 0) {
      throw new IllegalArgumentException(
          "memoryDirtyBytesPerSecond must not be negative, was " + memoryDirtyBytesPerSecond);
    }
    if (maxPrecopyPasses < 1) {
      throw new IllegalArgumentException(
          "maxPrecopyPasses must be at least 1, was " + maxPrecopyPasses);
    }
    if (switchoverTarget == null || switchoverTarget.isNegative()) {
      throw new IllegalArgumentException("switchoverTarget must not be negative");
    }
  }

  /**
   * The defaults documented in docs/vcsim.md ("The physical model"): 90% of the link, 500 MB/s per
   * datastore, 100 MB/s of dirtied guest memory, at most 10 passes, a one-second switch-over.
   */
  public static PhysicalModel defaults() {
    return new PhysicalModel(0.9, 500_000_000L, 100_000_000L, 10, Duration.ofSeconds(1));
  }

  /** A vMotion link's usable bytes per second at this model's efficiency. */
  long linkBytesPerSecond(long linkMbps) {
    return (long) (linkMbps * 1_000_000L / 8 * linkEfficiency);
  }

  /**
   * The bytes a hot migration's pre-copy sends for {@code memoryBytes} of guest memory at {@code
   * rate} bytes per second: the passes, then the last dirty pages at switch-over.
   */
  long precopyBytes(long memoryBytes, long rate) {
    if (memoryBytes <= 0 || rate <= 0) {
      return Math.max(0, memoryBytes);
    }
    double stopBelow = rate * (switchoverTarget.toNanos() / 1e9);
    double total = 0;
    double pass = memoryBytes;
    for (int i = 0; i < maxPrecopyPasses; i++) {
      total += pass;
      double seconds = pass / rate;
      double dirtied = Math.min(memoryBytes, memoryDirtyBytesPerSecond * seconds);
      pass = dirtied;
      if (pass <= stopBelow) {
        break;
      }
    }
    // What is dirty at the end is sent while the VM is stunned for the switch-over.
    total += pass;
    return (long) total;
  }
}

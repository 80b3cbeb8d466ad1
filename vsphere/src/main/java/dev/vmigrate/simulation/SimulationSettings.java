package dev.vmigrate.simulation;

/**
 * One alternative a simulation runs: the plan's admission settings, or others to compare.
 *
 * @param label what the report calls this run ("as planned", "plan limit 16", "fifo 8")
 * @param planLimit the plan's concurrency limit (0: none)
 * @param policy the admission policy: {@code vmigrate} (vCenter's cost model, shortest-first within
 *     the limits) or {@code fifo} (first in, first out, at most {@code fifoThrottle} at once,
 *     within the cost limits)
 * @param fifoThrottle how many migrations the fifo policy runs at once (ignored by vmigrate's)
 */
public record SimulationSettings(String label, int planLimit, String policy, int fifoThrottle) {

  public static final String VMIGRATE = "vmigrate";
  public static final String FIFO = "fifo";

  public SimulationSettings {
    policy = policy == null ? VMIGRATE : policy;
    if (!policy.equals(VMIGRATE) && !policy.equals(FIFO)) {
      throw new IllegalArgumentException(
          "policy: must be 'vmigrate' or 'fifo', was '" + policy + "'");
    }
    if (planLimit < 0) {
      throw new IllegalArgumentException("planLimit: must not be negative, was " + planLimit);
    }
    if (policy.equals(FIFO) && fifoThrottle < 1) {
      throw new IllegalArgumentException(
          "fifoThrottle: the fifo policy needs a throttle of at least 1, was " + fifoThrottle);
    }
  }
}

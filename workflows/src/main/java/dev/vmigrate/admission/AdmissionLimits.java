package dev.vmigrate.admission;

/**
 * vCenter's cost model limits, plus the plan's own. Defaults follow vSphere's documented values.
 *
 * @param hostLimit cost limit per host (8)
 * @param network10gLimit cost limit per 10 GbE vMotion network (8)
 * @param network1gLimit cost limit per 1 GbE vMotion network (4)
 * @param datastoreLimit cost limit per datastore (128)
 * @param vcenterLimit concurrent operations per vCenter (640)
 * @param planLimit the plan's own concurrency limit (0 = none)
 * @param bandwidthBytesPerSecond expected copy throughput per migration, for duration estimates
 * @param policy the admission policy: {@link #VMIGRATE} (the default, also for a null policy, as in
 *     the inputs of requests started before there was a choice) or {@link #FIFO}, a baseline to
 *     compare against: first in, first out, at most {@code fifoThrottle} at once, within the same
 *     cost limits
 * @param fifoThrottle how many migrations the fifo policy runs at once (at least 1 for fifo;
 *     ignored by vmigrate's policy)
 */
public record AdmissionLimits(
    int hostLimit,
    int network10gLimit,
    int network1gLimit,
    int datastoreLimit,
    int vcenterLimit,
    int planLimit,
    long bandwidthBytesPerSecond,
    String policy,
    int fifoThrottle) {

  /** vmigrate's own admission: cost-model aware, critical resource first, with backfilling. */
  public static final String VMIGRATE = "vmigrate";

  /**
   * First in, first out with a fixed throttle: the baseline vmigrate's admission is compared to.
   */
  public static final String FIFO = "fifo";

  public AdmissionLimits {
    policy = policy == null ? VMIGRATE : policy;
    if (!policy.equals(VMIGRATE) && !policy.equals(FIFO)) {
      throw new IllegalArgumentException(
          "policy: must be '" + VMIGRATE + "' or '" + FIFO + "', was '" + policy + "'");
    }
    if (policy.equals(FIFO) && fifoThrottle < 1) {
      throw new IllegalArgumentException(
          "fifoThrottle: the fifo policy needs a throttle of at least 1, was " + fifoThrottle);
    }
  }

  /** The limits as they were before the policy could be chosen: vmigrate's policy. */
  public AdmissionLimits(
      int hostLimit,
      int network10gLimit,
      int network1gLimit,
      int datastoreLimit,
      int vcenterLimit,
      int planLimit,
      long bandwidthBytesPerSecond) {
    this(
        hostLimit,
        network10gLimit,
        network1gLimit,
        datastoreLimit,
        vcenterLimit,
        planLimit,
        bandwidthBytesPerSecond,
        VMIGRATE,
        0);
  }

  public static AdmissionLimits vsphereDefaults(int planLimit) {
    return new AdmissionLimits(8, 8, 4, 128, 640, planLimit, 125_000_000L);
  }

  /** The same limits under the fifo policy with this throttle. */
  public AdmissionLimits withFifo(int throttle) {
    return withAdmission(planLimit, FIFO, throttle);
  }

  /**
   * The same vCenter limits and bandwidth with another plan limit and admission policy (the
   * throttle counts only for fifo).
   */
  public AdmissionLimits withAdmission(int planLimit, String policy, int fifoThrottle) {
    return new AdmissionLimits(
        hostLimit,
        network10gLimit,
        network1gLimit,
        datastoreLimit,
        vcenterLimit,
        planLimit,
        bandwidthBytesPerSecond,
        policy,
        FIFO.equals(policy) ? fifoThrottle : 0);
  }

  /** Whether admission is first in, first out with {@link #fifoThrottle}. */
  public boolean fifo() {
    return FIFO.equals(policy);
  }
}

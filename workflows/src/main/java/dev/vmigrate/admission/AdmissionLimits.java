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
 */
public record AdmissionLimits(
    int hostLimit,
    int network10gLimit,
    int network1gLimit,
    int datastoreLimit,
    int vcenterLimit,
    int planLimit,
    long bandwidthBytesPerSecond) {

  public static AdmissionLimits vsphereDefaults(int planLimit) {
    return new AdmissionLimits(8, 8, 4, 128, 640, planLimit, 125_000_000L);
  }
}

package dev.vmigrate.simulation;

/**
 * Something a simulation found about one VM that would stop or hold its migration.
 *
 * @param vmId the VM's managed object id
 * @param name the VM's name
 * @param kind {@code skipped} (approval would skip it), {@code precheck} (a precheck or
 *     compatibility check blocks it), {@code capacity} (no destination has room) or {@code failed}
 *     (it failed later in the run)
 * @param action the migration action that found it, or null for approval
 * @param message what an operator reads
 */
public record Finding(String vmId, String name, String kind, String action, String message) {

  public static final String SKIPPED = "skipped";
  public static final String PRECHECK = "precheck";
  public static final String CAPACITY = "capacity";
  public static final String FAILED = "failed";
}

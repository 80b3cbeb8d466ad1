package dev.vmigrate.model;

import java.util.Locale;

/** Workflow ids and task queues, derived so that Temporal itself enforces one migration per VM. */
public final class MigrationIds {
  private MigrationIds() {}

  /**
   * The workflow id of a VM's migration: the source vCenter and the VM's instance UUID, which
   * survive renames, so at most one migration per VM can be open at a time.
   */
  public static String forVm(String vcenterId, String instanceUuid) {
    return "migrate-" + vcenterId + "-" + instanceUuid.toLowerCase(Locale.ROOT);
  }

  /** One task queue per vCenter keeps limits and credentials per vCenter. */
  public static String taskQueue(String vcenterId) {
    return "vmigrate-" + vcenterId;
  }
}

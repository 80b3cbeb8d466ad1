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

  /**
   * The workflow id of a repeat migration of a VM (one ordered with {@code remigrate}): the VM's
   * own id with the ordering request's id, so it is distinct from the VM's earlier migrations,
   * whose histories, ledger rows and {@code vmigrate.result} marks keep naming them. The ledger (no
   * VM in two open requests) and the VM's lock attribute still keep it to one at a time.
   */
  public static String forRepeat(String vcenterId, String instanceUuid, String requestId) {
    return forVm(vcenterId, instanceUuid) + "-" + requestId.toLowerCase(Locale.ROOT);
  }

  /** One task queue per vCenter keeps limits and credentials per vCenter. */
  public static String taskQueue(String vcenterId) {
    return "vmigrate-" + vcenterId;
  }
}

package dev.vmigrate.recovery;

import java.util.Locale;

/**
 * Workflow ids of recovery workflows: one per VM (or per lost migration's reservations), derived
 * from vCenter's own identifiers, so that applying the same recovery twice starts one workflow.
 */
public final class RecoveryIds {
  private RecoveryIds() {}

  /** The recovery of a VM: "recover-&lt;vcenter id&gt;-&lt;instance uuid&gt;". */
  public static String forVm(String vcenterId, String instanceUuid) {
    return "recover-" + vcenterId + "-" + instanceUuid.toLowerCase(Locale.ROOT);
  }

  /** The release of a lost migration's reservations whose VM is not in the vCenter. */
  public static String forReservations(String vcenterId, String migrationId) {
    return "recover-" + vcenterId + "-reservations-" + migrationId.toLowerCase(Locale.ROOT);
  }
}

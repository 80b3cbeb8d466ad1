package dev.vmigrate.vsphere.recovery;

import dev.vmigrate.recovery.RecoveryAction;
import dev.vmigrate.recovery.VmRecovery;
import java.util.List;

/**
 * One leftover of a migration whose state vmigrate lost, as {@link LeftoverClassifier} found it in
 * vCenter, with what it proposes.
 *
 * @param vmId managed object id, or null for reservations whose VM is not in the vCenter
 * @param vmName inventory name, or null
 * @param kind what kind of leftover (see {@link Kind})
 * @param found what was found, one line per fact
 * @param action what is proposed, or null when vmigrate cannot do it (see {@code note})
 * @param note why no action is proposed, or a caveat; null if none
 * @param recovery the recovery workflow's input when an action is proposed, else null
 * @param recoveryRunning whether that recovery's workflow is already running
 */
public record Leftover(
    String vmId,
    String vmName,
    Kind kind,
    List<String> found,
    RecoveryAction action,
    String note,
    VmRecovery recovery,
    boolean recoveryRunning) {

  public Leftover {
    found = found == null ? List.of() : List.copyOf(found);
  }

  /** The kinds of leftover, as the operator reads them. */
  public enum Kind {
    /** vmigrate.lock is set and no migration of that id runs. */
    LOCKED_WITHOUT_MIGRATION("locked with no live migration"),
    /** Away from vmigrate.origin (or powered off though on there), no result recorded. */
    AWAY_FROM_ORIGIN("away from its recorded origin with no recorded result"),
    /** The result is recorded, but a lock, destination or reservation of it is still there. */
    MARKS_ON_FINISHED_VM("marks left on a finished VM"),
    /** A datastore reservation (or a recorded destination) of a migration that no longer runs. */
    STALE_RESERVATION("stale reservation");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  /** The recovery's workflow id, or null when nothing is proposed. */
  public String workflowId() {
    return recovery == null ? null : recovery.workflowId();
  }
}

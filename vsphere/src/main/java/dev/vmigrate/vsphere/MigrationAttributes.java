package dev.vmigrate.vsphere;

/**
 * Custom attributes in which a migration keeps its state on the VM itself, so that a cleanup or a
 * re-ordered plan can work from vSphere alone, even without vmigrate's database.
 */
public final class MigrationAttributes {
  private MigrationAttributes() {}

  /** The id of the migration holding the VM; empty when unlocked. */
  public static final String LOCK = "vmigrate.lock";

  /** JSON of the VM's origin placement, written before anything moves and kept afterwards. */
  public static final String ORIGIN = "vmigrate.origin";

  /** JSON of the intended destination while a migration is in flight. */
  public static final String DESTINATION = "vmigrate.destination";

  /**
   * JSON of the host SelectDestination chose and the request that chose it ({@code PlacementMark}),
   * written on the VM as the choice is made and kept afterwards, so that the next choice of the
   * same request spreads its VMs over the cluster.
   */
  public static final String PLACEMENT = "vmigrate.placement";

  /** "migrated &lt;migration id&gt; &lt;time&gt;" or "rolled-back &lt;migration id&gt; ...". */
  public static final String RESULT = "vmigrate.result";

  /**
   * On a datastore: JSON object of migration id to bytes reserved there by ReserveDirectory, so
   * that parallel migrations cannot over-commit it.
   */
  public static final String RESERVATIONS = "vmigrate.reservations";
}

package dev.vmigrate.api.service;

/**
 * The sizes of the database columns that hold a client's text ({@code db/migration/*.sql}): a value
 * is refused here, naming its field, before the database refuses it with its own words.
 */
public final class Columns {
  /** {@code vcenter.url}, {@code trust_store}, {@code credentials_ref}. */
  public static final int VCENTER_TEXT = 1024;

  /** {@code infra_mapping.name}, {@code plan.name}. */
  public static final int NAME = 255;

  /**
   * A deny or close reason: the request stores it inside its {@code message} (4000 characters) with
   * the words the request adds around it ("denied: ...", "closed: ...; N VMs ..."), so it is kept
   * short enough for both.
   */
  public static final int REASON = 3800;

  private Columns() {}

  /**
   * Refuses a value longer than its column holds: {@code name: at most 255 characters, got 256}.
   */
  public static void requireFits(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw new ServiceException.Invalid(
          field, field + ": at most " + max + " characters, got " + value.length(), "max-length");
    }
  }
}

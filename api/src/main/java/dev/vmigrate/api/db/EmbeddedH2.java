package dev.vmigrate.api.db;

import java.nio.file.Path;

/**
 * The embedded H2 database's JDBC URL, in one place for application.yml's default and the
 * all-in-one server's data directory.
 *
 * <p>{@code WRITE_DELAY=0}: H2's MVStore otherwise writes committed transactions to its file in the
 * background up to 500 ms later, so a {@code kill -9} in that window lost ledger writes that had
 * already been reported done. With 0, H2 writes the store before a commit returns (the operating
 * system holds the bytes, which survive the process; not an fsync, so not a power cut).
 */
public final class EmbeddedH2 {
  /** PostgreSQL compatibility as the schema expects it, and commits written before they return. */
  public static final String SETTINGS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";

  private EmbeddedH2() {}

  /** The database file {@code vmigrate} (vmigrate.mv.db) in {@code dataDir}. */
  public static String fileUrl(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("vmigrate") + SETTINGS;
  }
}

package dev.vmigrate.api.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A process that writes to the embedded H2 database as the ledger does (one committed transaction
 * per write) and prints {@code ack N} once write N's commit returned, until it is killed.
 *
 * <p>Arguments: the data directory, the URL settings ({@code durable} for {@link EmbeddedH2}'s, or
 * {@code legacy} for the settings without WRITE_DELAY=0), the round number.
 */
public final class LedgerWriterMain {
  /** The embedded database's settings before WRITE_DELAY=0, to measure what it costs. */
  static final String LEGACY_SETTINGS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

  private LedgerWriterMain() {}

  static String url(Path dataDir, String settings) {
    return settings.equals("legacy")
        ? "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("vmigrate") + LEGACY_SETTINGS
        : EmbeddedH2.fileUrl(dataDir);
  }

  static void createTable(Connection c) throws SQLException {
    try (var s = c.createStatement()) {
      s.execute(
          "create table if not exists ledger_write (round int not null, seq int not null,"
              + " state varchar(32) not null, primary key (round, seq))");
    }
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    int round = Integer.parseInt(args[2]);
    try (Connection c = DriverManager.getConnection(url(dataDir, args[1]), "sa", "")) {
      createTable(c);
      c.setAutoCommit(false);
      try (PreparedStatement insert =
          c.prepareStatement("insert into ledger_write (round, seq, state) values (?, ?, ?)")) {
        for (int seq = 1; ; seq++) {
          insert.setInt(1, round);
          insert.setInt(2, seq);
          insert.setString(3, "started");
          insert.executeUpdate();
          c.commit();
          System.out.println("ack " + seq);
          System.out.flush();
        }
      }
    }
  }
}

package dev.vmigrate.api.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What WRITE_DELAY=0 costs: ledger-like writes per second (one commit each) on the embedded
 * database with the settings before it and with {@link EmbeddedH2}'s, in the same run, and how many
 * acknowledged writes each loses to kill -9. Not part of the build's suite (its name does not end
 * in Test):
 *
 * <pre>
 * mvn -B -o -pl api -am test -Dtest=LedgerWriteBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class LedgerWriteBenchmark {
  private static final int WRITES = Integer.getInteger("vmigrate.bench.writes", 5000);
  private static final int KILL_ROUNDS = Integer.getInteger("vmigrate.bench.kill-rounds", 20);

  @TempDir Path dir;

  @Test
  void writesPerSecondBeforeAndAfter() throws Exception {
    for (String settings : new String[] {"legacy", "durable", "legacy", "durable"}) {
      Path data = Files.createTempDirectory(dir, settings);
      double perSecond = writesPerSecond(data, settings);
      System.out.printf("ledger writes/s, %s settings: %.0f%n", settings, perSecond);
    }
    for (String settings : new String[] {"legacy", "durable"}) {
      Path data = Files.createTempDirectory(dir, "kill-" + settings);
      int acknowledged = 0;
      int lost = 0;
      for (int round = 1; round <= KILL_ROUNDS; round++) {
        int acked = LedgerKillTest.writeThenKill(data, settings, round, 50);
        acknowledged += acked;
        lost += LedgerKillTest.missing(data, settings, round, acked);
      }
      System.out.printf(
          "kill -9, %s settings: %d rounds, %d acknowledged writes, %d lost%n",
          settings, KILL_ROUNDS, acknowledged, lost);
    }
  }

  private static double writesPerSecond(Path data, String settings) throws Exception {
    String url = LedgerWriterMain.url(data, settings);
    long start;
    long elapsed;
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      LedgerWriterMain.createTable(c);
      c.setAutoCommit(false);
      try (PreparedStatement insert =
          c.prepareStatement("insert into ledger_write (round, seq, state) values (1, ?, ?)")) {
        start = System.nanoTime();
        for (int seq = 1; seq <= WRITES; seq++) {
          insert.setInt(1, seq);
          insert.setString(2, "started");
          insert.executeUpdate();
          c.commit();
        }
        elapsed = System.nanoTime() - start;
      }
    }
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        ResultSet rs = c.createStatement().executeQuery("select count(*) from ledger_write")) {
      rs.next();
      assertEquals(WRITES, rs.getInt(1), settings + ": writes missing after a clean close");
    }
    return WRITES / (elapsed / 1e9);
  }
}

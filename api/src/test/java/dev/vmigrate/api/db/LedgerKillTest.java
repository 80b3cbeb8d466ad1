package dev.vmigrate.api.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger write whose commit returned survives {@code kill -9} of the process that made it: a
 * writer process ({@link LedgerWriterMain}) on the embedded database's settings is killed at once
 * after an acknowledgement, 20 times, and every acknowledged write is found afterwards.
 */
class LedgerKillTest {
  private static final int ROUNDS = 20;

  @TempDir Path dir;

  @Test
  void everyAcknowledgedWriteSurvivesKillNine() throws Exception {
    Random random = new Random(20261207);
    List<String> lost = new ArrayList<>();
    int acknowledged = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      // Kill after a varying number of writes, so the kill lands at different points of H2's work.
      int killAfter = 1 + random.nextInt(200);
      int acked = writeThenKill(dir, "durable", round, killAfter);
      assertEquals(killAfter, acked, "round " + round + ": the writer stopped early");
      acknowledged += acked;
      int missing = missing(dir, "durable", round, acked);
      if (missing > 0) {
        lost.add("round " + round + ": " + missing + " of " + acked + " acknowledged writes lost");
      }
    }
    assertTrue(lost.isEmpty(), String.join("\n", lost));
    System.out.printf(
        "ledger kill -9: %d rounds, %d acknowledged writes, 0 lost%n", ROUNDS, acknowledged);
  }

  /** Starts a writer, reads acknowledgements until the {@code killAfter}th, and kills it (-9). */
  static int writeThenKill(Path dataDir, String settings, int round, int killAfter)
      throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LedgerWriterMain.class.getName(),
                dataDir.toString(),
                settings,
                Integer.toString(round))
            .redirectError(dataDir.resolve("writer-" + round + ".err").toFile())
            .start();
    int acked = 0;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acked < killAfter && (line = out.readLine()) != null) {
        if (line.startsWith("ack ")) {
          acked = Integer.parseInt(line.substring(4).trim());
        }
      }
      // Process.destroyForcibly is SIGKILL on Linux: no shutdown hook, no H2 close.
      p.destroyForcibly();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the writer did not die");
    }
    return acked;
  }

  /** How many of writes 1..acked of this round the reopened database lacks. */
  static int missing(Path dataDir, String settings, int round, int acked) throws Exception {
    try (Connection c =
        DriverManager.getConnection(LedgerWriterMain.url(dataDir, settings), "sa", "")) {
      // A database that lost even its table lost every write.
      LedgerWriterMain.createTable(c);
      try (PreparedStatement q =
          c.prepareStatement(
              "select count(*) from ledger_write where round = ? and seq <= ? and state = ?")) {
        q.setInt(1, round);
        q.setInt(2, acked);
        q.setString(3, "started");
        try (ResultSet rs = q.executeQuery()) {
          rs.next();
          return acked - rs.getInt(1);
        }
      }
    }
  }
}

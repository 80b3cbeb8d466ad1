package dev.vmigrate.server;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stopped server's log ends clean: its workers stop polling before the context (which the HTTP
 * server's stop brings down) closes the Temporal channel under their long polls.
 */
class ServerShutdownTest {

  @TempDir Path dataDir;

  @Test
  void closingTheServerLogsNoPollerFailure() throws Exception {
    boolean present =
        Files.isExecutable(DevTemporal.binary(System.getenv("VMIGRATE_TEMPORAL_BIN")));
    if (!present && System.getenv("CI") != null) {
      throw new AssertionError("CI: the Temporal CLI is missing; run scripts/temporal install");
    }
    Assumptions.assumeTrue(present, "Temporal CLI not installed (scripts/temporal install)");
    // Temporal's dev server, as `vmigrate server` runs it: its long polls stay open until they time
    // out, where the in-memory test server's end at once.
    Map<String, Object> properties = new HashMap<>();
    properties.put("vmigrate.test.simulated-gateways", true);
    AllInOneServer server =
        AllInOneServer.start(
            new ServerOptions(
                "127.0.0.1",
                0,
                true,
                true,
                TemporalOptions.devServer(
                    "127.0.0.1",
                    TestPorts.free(),
                    TestPorts.free(),
                    System.getenv("VMIGRATE_TEMPORAL_BIN"),
                    "default",
                    Duration.ofDays(1)),
                dataDir,
                "jdbc:h2:mem:shutdown;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                    + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                TestGateways.VCENTER,
                20,
                List.of(),
                properties));
    // Let every poller reach its long poll, which the close has to end.
    Thread.sleep(2000);
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      server.close();
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    System.err.print(log);
    assertFalse(log.contains("Channel shutdown invoked"), log);
    assertFalse(log.contains("Failure in poller thread"), log);
    assertFalse(server.context().isRunning(), "the context is closed");
  }
}

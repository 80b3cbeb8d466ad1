package dev.vmigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.server.AllInOneServer;
import dev.vmigrate.server.ServerOptions;
import dev.vmigrate.server.TemporalOptions;
import dev.vmigrate.server.TestPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An API bound off loopback needs tokens: without them the server does not start. */
class ServerTokensTest {
  @TempDir Path dir;

  @Test
  void offLoopbackWithoutTokensTheServerRefusesToStart() throws IOException {
    CliRun run =
        CliRun.of(
            "server",
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--no-worker",
            "--no-simulated-vcenter",
            "--temporal-in-memory",
            "--temporal-port",
            String.valueOf(TestPorts.free()),
            "--data-dir",
            dir.toString());
    assertEquals(2, run.exit(), run.toString());
    assertTrue(
        run.err()
            .startsWith(
                "error: --host 0.0.0.0 needs API tokens: set VMIGRATE_API_TOKENS or"
                    + " vmigrate.auth.tokens in a --config file"),
        run.err());
  }

  @Test
  void offLoopbackWithTokensFromAConfigFileItStarts() throws IOException {
    Path config = dir.resolve("tokens.yml");
    Files.writeString(config, "vmigrate:\n  auth:\n    tokens: one-token\n");
    try (AllInOneServer server =
        AllInOneServer.start(
            new ServerOptions(
                "0.0.0.0",
                0,
                true,
                false,
                TemporalOptions.inMemory("127.0.0.1", TestPorts.free(), "default"),
                null,
                "jdbc:h2:mem:tokens-test;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                null,
                0,
                List.of(config),
                Map.of("vmigrate.test.simulated-gateways", true)))) {
      String api = "http://127.0.0.1:" + server.apiUrl().getPort();
      assertEquals(0, CliRun.of("--api", api, "--token", "one-token", "vcenter", "list").exit());
    }
  }
}

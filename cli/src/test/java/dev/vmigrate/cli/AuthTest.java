package dev.vmigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.server.AllInOneServer;
import dev.vmigrate.server.ServerOptions;
import dev.vmigrate.server.TemporalOptions;
import dev.vmigrate.server.TestPorts;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An API that requires a bearer token: the CLI sends it, and never prints it. */
class AuthTest {
  private static final String TOKEN = "s3cret-token-value";
  private static AllInOneServer server;

  @BeforeAll
  static void start() throws IOException {
    server =
        AllInOneServer.start(
            new ServerOptions(
                "127.0.0.1",
                0,
                true,
                false,
                TemporalOptions.inMemory("127.0.0.1", TestPorts.free(), "default"),
                null,
                "jdbc:h2:mem:auth-test;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                null,
                0,
                List.of(),
                Map.of(
                    "vmigrate.test.simulated-gateways", true,
                    "vmigrate.auth.allow-unauthenticated", false,
                    "vmigrate.auth.tokens", TOKEN)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void withoutATokenTheErrorSaysHowToGiveOne() {
    CliRun run = CliRun.of("--api", server.apiUrl().toString(), "vcenter", "list");
    assertEquals(1, run.exit(), run.toString());
    assertEquals(
        "error: Authorization: a bearer token is required (give a token with --token or"
            + " VMIGRATE_TOKEN)\n",
        run.err());
  }

  @Test
  void withTheTokenItWorksAndTheTokenIsNeverPrinted() {
    CliRun run =
        CliRun.of(
            "--api", server.apiUrl().toString(), "--token", TOKEN, "--verbose", "vcenter", "list");
    assertEquals(0, run.exit(), run.toString());
    assertTrue(run.err().contains("GET " + server.apiUrl() + "/vcenters -> 200"), run.err());
    assertFalse(run.out().contains(TOKEN) || run.err().contains(TOKEN), run.toString());
  }
}

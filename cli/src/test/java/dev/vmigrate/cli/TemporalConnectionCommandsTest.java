package dev.vmigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.server.RefusingFrontend;
import dev.vmigrate.server.TestPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process commands against a Temporal cluster that will not let them set up their namespace:
 * one message with the commands to run, exit code 2, never a stack trace; and the shared connection
 * flags, with no way to pass an API key as a flag value.
 */
class TemporalConnectionCommandsTest {
  @TempDir Path dir;

  @Test
  void aWorkerOnAClusterThatRefusesStopsWithTheCommandsAndExitCode2() throws Exception {
    Path config = Files.writeString(dir.resolve("vcenters.yml"), "vmigrate: {}\n");
    try (RefusingFrontend frontend = new RefusingFrontend()) {
      CliRun run =
          CliRun.of(
              "worker",
              "--temporal",
              frontend.address(),
              "--namespace",
              "wave-4",
              "--config",
              config.toString());
      assertEquals(2, run.exit(), run.toString());
      assertTrue(
          run.err()
              .startsWith(
                  "error: Temporal at "
                      + frontend.address()
                      + " (namespace wave-4): namespace wave-4 does not exist and cannot be"
                      + " created"),
          run.toString());
      assertTrue(
          run.err()
              .contains(
                  "  temporal operator namespace create --namespace wave-4 --retention 720h"
                      + " --address "
                      + frontend.address()),
          run.toString());
      assertTrue(
          run.err()
              .contains(
                  "  temporal operator search-attribute create --name MigrationState --type"
                      + " Keyword --namespace wave-4 --address "
                      + frontend.address()),
          run.toString());
      assertFalse(run.err().contains("\tat "), "no stack trace: " + run);
    }
  }

  @Test
  void setupOnAClusterThatRefusesPrintsTheCommandsWithItsRetention() throws Exception {
    try (RefusingFrontend frontend = new RefusingFrontend()) {
      CliRun run =
          CliRun.of(
              "temporal",
              "setup",
              "--temporal",
              frontend.address(),
              "--namespace",
              "wave-5",
              "--retention",
              "P7D");
      assertEquals(2, run.exit(), run.toString());
      assertTrue(
          run.err()
              .contains("temporal operator namespace create --namespace wave-5 --retention 168h"),
          run.toString());
      assertEquals("Temporal " + frontend.address() + ", namespace wave-5, plaintext\n", run.out());
    }
  }

  @Test
  void setupGivesUpOnAnUnreachableClusterWithExitCode5() throws Exception {
    String address = "127.0.0.1:" + TestPorts.free();
    CliRun run = CliRun.of("temporal", "setup", "--temporal", address, "--wait", "PT2S");
    assertEquals(5, run.exit(), run.toString());
    assertTrue(
        run.err().contains("cannot reach Temporal at " + address + ": UNAVAILABLE"),
        run.toString());
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run);
  }

  @Test
  void badConnectionSettingsAreUsageErrorsNamingTheSetting() {
    CliRun run = CliRun.of("temporal", "setup", "--temporal", "no-port");
    assertEquals(2, run.exit(), run.toString());
    assertTrue(
        run.err().startsWith("error: Temporal address: 'no-port' is not HOST:PORT"),
        run.toString());

    run = CliRun.of("temporal", "setup", "--temporal", "h:1", "--retention", "PT1H");
    assertEquals(2, run.exit(), run.toString());
    assertTrue(run.err().startsWith("error: --retention: PT1H is outside 1 day"), run.toString());

    // The API key has no flag of its own: only a file or TEMPORAL_API_KEY.
    run = CliRun.of("worker", "--temporal-api-key", "secret", "--config", "x.yml");
    assertEquals(2, run.exit(), run.toString());
    assertTrue(
        run.err().contains("Unknown option") && run.err().contains("'--temporal-api-key'"),
        run.toString());
  }

  @Test
  void serverAndWorkerShareTheConnectionFlags() {
    for (String command : new String[] {"server", "worker", "temporal setup"}) {
      String[] args = (command + " --help").split(" ");
      CliRun help = CliRun.of(args);
      for (String flag :
          new String[] {
            "--temporal=HOST:PORT",
            "--namespace",
            "--temporal-profile",
            "--temporal-tls-ca",
            "--temporal-tls-server-name",
            "--temporal-tls-cert",
            "--temporal-tls-key",
            "--temporal-api-key-file"
          }) {
        assertTrue(help.out().contains(flag), command + " lacks " + flag + ":\n" + help.out());
      }
    }
  }
}

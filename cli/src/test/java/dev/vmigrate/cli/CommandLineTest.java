package dev.vmigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.server.TestPorts;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing, usage errors and the unreachable API, without any server. */
class CommandLineTest {

  @Test
  void noCommandIsAUsageError() {
    CliRun run = CliRun.of();
    assertEquals(2, run.exit(), run.toString());
    assertTrue(run.err().startsWith("error: a command is required"), run.toString());
  }

  @Test
  void aGroupWithoutSubcommandIsAUsageError() {
    CliRun run = CliRun.of("vm");
    assertEquals(2, run.exit(), run.toString());
    assertTrue(run.err().contains("'vmigrate vm' needs a subcommand: status, pause"), run.err());
  }

  @Test
  void unknownOptionsAndBadEnumValuesAreUsageErrors() {
    assertEquals(2, CliRun.of("vcenter", "list", "--bogus").exit());
    assertEquals(2, CliRun.of("--output", "xml", "vcenter", "list").exit());
    assertEquals(2, CliRun.of("vcenter", "add", "vc01").exit(), "--url is required");
  }

  @Test
  void helpListsTheCommandsAndExitCodes() {
    CliRun run = CliRun.of("--help");
    assertEquals(0, run.exit());
    for (String s : new String[] {"vcenter", "inventory", "mapping", "plan", "request", "vm"}) {
      assertTrue(run.out().contains("  " + s + " "), s + " in " + run.out());
    }
    assertTrue(run.out().contains("5   API unreachable"), run.out());
    assertTrue(
        run.out().contains("6   held: a followed request (--watch) needs an operator"), run.out());
    // Every exit code the CLI can return is listed, by its number, on every command's help.
    for (CliRun help : List.of(run, CliRun.of("vm", "pause", "--help"))) {
      for (ExitCode code : ExitCode.values()) {
        assertTrue(
            help.out().lines().anyMatch(l -> l.trim().startsWith(code.code() + "   ")),
            code + " in " + help.out());
      }
    }
  }

  @Test
  void aPlainHttpVcenterIsListedWithoutTlsRatherThanAsTrustedBySystemTrust() {
    com.fasterxml.jackson.databind.node.ObjectNode v =
        new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    v.put("url", "http://127.0.0.1:18989/sdk");
    assertEquals("none (http)", dev.vmigrate.cli.command.VcenterListCommand.tls(v));
    v.put("url", "https://vc.example/sdk");
    assertEquals("system trust", dev.vmigrate.cli.command.VcenterListCommand.tls(v));
  }

  @Test
  void anUnreachableApiExitsFiveWithOneLine() throws IOException {
    String api = "http://127.0.0.1:" + TestPorts.free();
    for (CliRun run :
        new CliRun[] {
          CliRun.of("--api", api, "vcenter", "list"), CliRun.of("vcenter", "list", "--api", api)
        }) {
      assertEquals(5, run.exit(), run.toString());
      assertEquals(
          "error: cannot reach the vmigrate API at " + api + " (is `vmigrate server` running?)\n",
          run.err());
    }
  }

  @Test
  void aFileThatDoesNotExistIsAUsageError() {
    CliRun run = CliRun.of("plan", "import", "p1", "/nonexistent/vms.csv");
    assertEquals(2, run.exit(), run.toString());
    assertEquals("error: no such file: /nonexistent/vms.csv\n", run.err());
  }
}

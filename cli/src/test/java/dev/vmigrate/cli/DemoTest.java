package dev.vmigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.server.TestPorts;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The whole demo, smaller: server, plan through the API, a resume and a rollback, summary. */
class DemoTest {

  @Test
  void migratesTheEstateResumingOneVmAndRollingAnotherBack() throws IOException {
    CliRun run =
        CliRun.of("demo", "--vms", "24", "--temporal-port", String.valueOf(TestPorts.free()));
    assertEquals(0, run.exit(), run.toString());
    String out = run.out();
    Matcher resumed =
        Pattern.compile("! (srv-\\d+) is held in FAILED_WAITING .*operator sends resume")
            .matcher(out);
    Matcher rolledBack =
        Pattern.compile("! (srv-\\d+) is held in FAILED_WAITING .*operator sends rollback")
            .matcher(out);
    assertTrue(resumed.find(), out);
    assertTrue(rolledBack.find(), out);
    assertTrue(
        out.lines()
            .anyMatch(l -> l.matches(resumed.group(1) + "\\s+completed\\s+relocate failed.*")),
        out);
    assertTrue(
        out.lines()
            .anyMatch(l -> l.matches(rolledBack.group(1) + "\\s+rolled_back\\s+relocate failed.*")),
        out);
    assertTrue(out.lines().anyMatch(l -> l.matches("rolled_back\\s+1")), out);
    assertTrue(out.contains("Demo complete."), out);
  }
}

package dev.vmigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.server.TestPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The demo's wall time (start-up, 200 VMs through the REST API, a resume and a rollback, shutdown)
 * on Temporal's dev server, the default, against the in-memory test server measured in the same
 * run. {@code -Dvmigrate.bench.demo-vms} changes the size:
 *
 * <pre>
 * mvn -B -pl cli -am test -Dtest=DemoBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class DemoBenchmark {

  @Test
  void demoOnTheDevServerAgainstInMemory() throws Exception {
    String vms = Integer.toString(Integer.getInteger("vmigrate.bench.demo-vms", 200));
    double memory = timed("--temporal-in-memory", vms);
    double dev = timed(null, vms);
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "demo of %s VMs, wall time including start-up:", vms));
    lines.add(String.format(Locale.ROOT, "  in-memory Temporal  %6.1f s", memory));
    lines.add(
        String.format(
            Locale.ROOT,
            "  dev server (SQLite) %6.1f s  (%.2fx the in-memory time)",
            dev,
            dev / memory));
    String out = String.join("\n", lines);
    System.out.println(out);
    Files.createDirectories(Path.of("target", "benchmarks"));
    Files.writeString(Path.of("target", "benchmarks", "demo.txt"), out + "\n");
  }

  private static double timed(String flag, String vms) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "demo",
                "--vms",
                vms,
                "--temporal-port",
                Integer.toString(TestPorts.free()),
                "--temporal-ui-port",
                Integer.toString(TestPorts.free())));
    if (flag != null) {
      args.add(flag);
    }
    long t0 = System.nanoTime();
    CliRun run = CliRun.of(args.toArray(String[]::new));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(0, run.exit(), run.toString());
    assertTrue(run.out().contains("Demo complete."), run.out());
    return seconds;
  }
}

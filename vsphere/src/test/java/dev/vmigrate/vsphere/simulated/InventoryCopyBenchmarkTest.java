package dev.vmigrate.vsphere.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vmigrate.vsphere.Inventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How long {@link SimulatedVsphere#copyOf} takes for a 2,000-VM estate, and reading the copy's
 * inventory back: what {@code vmigrate plan simulate} pays before its workflows run. Asserts the
 * round trip only; the figures go to the test output and to {@code
 * target/benchmarks/inventory-copy.txt}.
 */
@Tag("benchmark")
class InventoryCopyBenchmarkTest {
  private static final int VMS = 2000;

  @Test
  void copyOf2000VmsBenchmark() throws IOException {
    Inventory read = SimulatedInventories.demo(5, 8, 8, 16, VMS).build().inventory();
    long copyNanos = Long.MAX_VALUE;
    long readNanos = Long.MAX_VALUE;
    Inventory back = null;
    // Best of three: the machine is shared and the first pass warms the JIT up.
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      SimulatedVsphere copy = SimulatedVsphere.copyOf("vc-copy", read).build();
      copyNanos = Math.min(copyNanos, System.nanoTime() - start);
      start = System.nanoTime();
      back = copy.inventory();
      readNanos = Math.min(readNanos, System.nanoTime() - start);
    }
    assertEquals(read, back);
    String report =
        String.format(
            Locale.ROOT,
            "inventory copy, %d VMs on %d hosts, %d datastores (best of 3)%n"
                + "  copyOf(...).build(): %8.1f ms%n"
                + "  inventory() of the copy: %8.1f ms%n",
            VMS,
            read.hosts().size(),
            read.datastores().size(),
            copyNanos / 1e6,
            readNanos / 1e6);
    System.out.print(report);
    Path out = Path.of("target", "benchmarks", "inventory-copy.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report);
  }
}

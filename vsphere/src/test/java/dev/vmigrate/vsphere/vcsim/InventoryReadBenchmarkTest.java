package dev.vmigrate.vsphere.vcsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.vim25.Vim25Gateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reads the inventory of a vcsim holding 1,000 VMs in bulk ({@code inventory()}: a ContainerView
 * and RetrievePropertiesEx pages) and, in the same run, one call per VM, and prints round trips,
 * wall time and VMs per second of both. Asserts correctness and bounded round trips only; the
 * figures go to the test output and to {@code target/benchmarks/inventory-read.txt}.
 */
@Tag("benchmark")
class InventoryReadBenchmarkTest {
  private static final int VMS = 1000;

  @RegisterExtension
  static final VcsimExtension vcsim =
      VcsimExtension.perClass("-standalone-host", "0", "-vm", String.valueOf(VMS));

  @Test
  void inventoryOf1000VmsBenchmark() throws IOException {
    try (Vim25Gateway gateway = new Vim25Gateway(vcsim.connection("vc-bench"))) {
      gateway.login();
      gateway.inventory(); // warm-up: JIT and connection

      // Best of three: the machine is shared, and the JIT needs a few passes over 9 MB of XML.
      Inventory inv = null;
      long bulkNanos = Long.MAX_VALUE;
      int bulkTrips = 0;
      for (int i = 0; i < 3; i++) {
        int before = gateway.roundTrips();
        long start = System.nanoTime();
        inv = gateway.inventory();
        bulkNanos = Math.min(bulkNanos, System.nanoTime() - start);
        bulkTrips = gateway.roundTrips() - before;
      }
      assertEquals(VMS, inv.vms().size());
      assertTrue(
          inv.vms().stream().allMatch(v -> v.instanceUuid() != null && !v.disks().isEmpty()),
          "every VM read in full");
      // CreateContainerView, ceil(objects / page) pages, DestroyView
      assertTrue(bulkTrips <= 2 + (VMS + 100) / 500 + 1, "round trips: " + bulkTrips);

      // What one migration's checks read instead: the inventory without its VMs, and the one
      // custom attribute of every VM that the in-flight count needs.
      long infraNanos = Long.MAX_VALUE;
      long customNanos = Long.MAX_VALUE;
      for (int i = 0; i < 3; i++) {
        long t = System.nanoTime();
        Inventory infra = gateway.infrastructure();
        infraNanos = Math.min(infraNanos, System.nanoTime() - t);
        assertEquals(inv.hosts(), infra.hosts());
        assertTrue(infra.vms().isEmpty());
        t = System.nanoTime();
        assertTrue(gateway.vmCustomValues(MigrationAttributes.DESTINATION).isEmpty());
        customNanos = Math.min(customNanos, System.nanoTime() - t);
      }

      int before = gateway.roundTrips();
      long start = System.nanoTime();
      List<VmInfo> one = new ArrayList<>();
      for (VmInfo v : inv.vms()) {
        one.add(gateway.vm(v.id()));
      }
      long perVmNanos = System.nanoTime() - start;
      int perVmTrips = gateway.roundTrips() - before;
      assertEquals(VMS, one.size());
      assertEquals(inv.vms().get(VMS - 1).instanceUuid(), one.get(VMS - 1).instanceUuid());

      String report =
          String.format(
              Locale.ROOT,
              "inventory read, vcsim with %d VMs%n"
                  + "  bulk   inventory() (best of 3): %5d round trips  %8.1f ms  %9.0f VMs/s%n"
                  + "  per-VM vm(id) x %d:            %5d round trips  %8.1f ms  %9.0f VMs/s%n"
                  + "  ratio (per-VM / bulk): %.0fx round trips, %.1fx wall time%n"
                  + "  infrastructure() (best of 3): %8.1f ms, %.1fx less than inventory()%n"
                  + "  vmCustomValues(one key) (best of 3): %8.1f ms, %.1fx less than inventory()%n",
              VMS,
              bulkTrips,
              bulkNanos / 1e6,
              VMS / (bulkNanos / 1e9),
              VMS,
              perVmTrips,
              perVmNanos / 1e6,
              VMS / (perVmNanos / 1e9),
              (double) perVmTrips / bulkTrips,
              (double) perVmNanos / bulkNanos,
              infraNanos / 1e6,
              (double) bulkNanos / infraNanos,
              customNanos / 1e6,
              (double) bulkNanos / customNanos);
      System.out.print(report);
      Path out = Path.of("target", "benchmarks", "inventory-read.txt");
      Files.createDirectories(out.getParent());
      Files.writeString(out, report);
    }
  }
}

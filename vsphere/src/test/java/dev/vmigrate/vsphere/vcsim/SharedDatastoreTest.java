package dev.vmigrate.vsphere.vcsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.vsphere.ClusterInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.RegisterSpec;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.TaskState;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.vim25.Vim25Gateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two vcsim instances backed by one datastore directory ({@code -datastore-dir}), as two vCenters
 * sharing storage: a .vmx unregistered from one registers in the other. vcsim derives both UUIDs
 * from the .vmx path and does not read the file, so the UUIDs survive the move.
 */
class SharedDatastoreTest {
  private static final Path SHARED = tempDir();

  @RegisterExtension
  static final VcsimExtension source =
      VcsimExtension.perClass("-datastore-dir", "Shared=" + SHARED);

  @RegisterExtension
  static final VcsimExtension target =
      VcsimExtension.perClass("-datastore-dir", "Shared=" + SHARED);

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("vmigrate-shared-ds-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void removeSharedDirectory() throws IOException {
    try (var files = Files.walk(SHARED)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static VmInfo register(Vim25Gateway g, String path) {
    Inventory inv = g.inventory();
    ClusterInfo cluster = inv.clusterByName("DC0_C0").orElseThrow();
    TaskInfo t =
        g.waitForTask(
            g.register(
                new RegisterSpec(
                    path,
                    "web01",
                    inv.datacenters().get(0).vmFolder(),
                    cluster.rootResourcePool(),
                    cluster.hosts().get(0))),
            Duration.ofSeconds(30));
    assertEquals(TaskState.SUCCESS, t.state(), () -> String.valueOf(t.error()));
    return g.vm(t.result());
  }

  @Test
  void aVmUnregisteredFromOneSimulatorRegistersInTheOtherWithItsUuids() throws IOException {
    Files.createDirectories(SHARED.resolve("web01"));
    Files.writeString(
        SHARED.resolve("web01/web01.vmx"),
        "displayName = \"web01\"\nuuid.bios = \"42 00 00 00 00 00 00 00-00 00 00 00 00 00 00 01\"\n");
    // vcsim's RegisterVM_Task opens the .vmx, <name>.nvram and vmware.log, and fails without them.
    Files.writeString(SHARED.resolve("web01/web01.nvram"), "");
    Files.writeString(SHARED.resolve("web01/vmware.log"), "");
    String path = "[Shared] web01/web01.vmx";
    try (Vim25Gateway a = new Vim25Gateway(source.connection("vc-a"));
        Vim25Gateway b = new Vim25Gateway(target.connection("vc-b"))) {
      assertTrue(a.inventory().datastoreByName("Shared").isPresent());
      assertTrue(b.inventory().datastoreByName("Shared").isPresent());

      VmInfo onA = register(a, path);
      a.unregister(onA.id());
      VmInfo onB = register(b, path);

      assertEquals(onA.instanceUuid(), onB.instanceUuid());
      assertEquals(onA.biosUuid(), onB.biosUuid());
      assertEquals(path, onB.vmPathName());
      assertNotEquals(
          "42000000-0000-0000-0000-000000000001", onB.biosUuid(), "vcsim does not read the .vmx");
    }
  }
}

package dev.vmigrate.vsphere.vcsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.vsphere.HostInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.VsphereGatewayContract;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import dev.vmigrate.vsphere.vim25.VcsimVms;
import dev.vmigrate.vsphere.vim25.Vim25Gateway;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A simulated vSphere copied ({@link SimulatedVsphere#copyOf}) from the inventory that the vim25
 * gateway read from VMware's simulator: it reads back what was read, and passes the gateway
 * contract that vcsim itself passes. The inventory is read once; each test gets a fresh copy.
 */
class VcsimCopyGatewayContractTest extends VsphereGatewayContract {
  private static final long MIB = 1024L * 1024L;

  // As VcsimGatewayContractTest: two datastores, and an empty child pool created below.
  @RegisterExtension static final VcsimExtension vcsim = VcsimExtension.perClass("-ds", "2");

  private static Inventory read;
  private SimulatedVsphere copy;

  @BeforeAll
  static void readOnce() {
    try (Vim25Gateway gateway = new Vim25Gateway(vcsim.connection("vc-sim"))) {
      String root = gateway.inventory().clusterByName(CLUSTER).orElseThrow().rootResourcePool();
      VcsimVms.createResourcePool(gateway, root, CHILD_POOL);
      read = gateway.inventory();
    }
  }

  @BeforeEach
  void copy() {
    copy = SimulatedVsphere.copyOf("vc-sim", read).build();
  }

  @Override
  protected VsphereGateway gateway() {
    return copy;
  }

  // A vMotion copies the VM's memory (vcsim's model VMs have 32 MiB): bytes ÷ bandwidth.
  @Override
  protected void delayRelocates(Duration duration) {
    copy.setBandwidth(Math.max(1, 32 * MIB * 1000 / duration.toMillis()));
  }

  @Test
  void theCopyReadsBackTheInventoryReadFromVcsim() {
    // What the test is about: vcsim's model has a standalone host, a distributed port group,
    // powered-on VMs whose hosts report usage, and datastores whose free space the copy must keep.
    assertTrue(read.hosts().stream().anyMatch(h -> h.cluster() == null));
    assertTrue(read.networks().stream().anyMatch(n -> n.distributed()));
    assertTrue(read.hosts().stream().anyMatch(h -> h.memoryUsageMb() > 0));
    assertTrue(read.vms().size() >= 4);

    Inventory back = copy.inventory();
    // Field by field first, for a readable failure; then the whole value.
    assertEquals(read.datacenters(), back.datacenters());
    assertEquals(read.folders(), back.folders());
    assertEquals(read.clusters(), back.clusters());
    assertEquals(read.resourcePools(), back.resourcePools());
    assertEquals(read.networks(), back.networks());
    assertEquals(read.datastores(), back.datastores());
    for (HostInfo h : read.hosts()) {
      assertEquals(h, back.host(h.id()).orElseThrow());
    }
    for (VmInfo v : read.vms()) {
      assertEquals(v, back.vm(v.id()).orElseThrow());
    }
    assertEquals(read, back);
  }
}

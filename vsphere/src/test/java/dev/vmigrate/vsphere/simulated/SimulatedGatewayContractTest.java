package dev.vmigrate.vsphere.simulated;

import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.VsphereGatewayContract;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;

/**
 * The gateway contract against the in-process simulated vSphere, built like vcsim's default VPX
 * model with {@code -ds 2} and an empty child pool DC0_C0_RP1, standalone host DC0_H0 included.
 */
class SimulatedGatewayContractTest extends VsphereGatewayContract {
  private static final long MIB = 1024L * 1024L;
  private static final long GIB = 1024L * MIB;

  private SimulatedVsphere sim;

  @BeforeEach
  void build() {
    sim = vcsimModel().build();
  }

  /** The simulated counterpart of vcsim's default model with {@code -ds 2}. */
  static SimulatedVsphere.Builder vcsimModel() {
    SimulatedVsphere.Builder b =
        SimulatedVsphere.builder("vc-simulated")
            .datacenter("DC0")
            .datastore(DATASTORE, 100 * GIB)
            .datastore(OTHER_DATASTORE, 100 * GIB)
            .network(STANDARD_NETWORK)
            .portGroup(PORTGROUP, "DVS0")
            .cluster(CLUSTER)
            .host("DC0_C0_H0")
            .host("DC0_C0_H1")
            .host("DC0_C0_H2")
            .resourcePool(CHILD_POOL)
            .standaloneHost("DC0_H0");
    for (String[] vm :
        new String[][] {
          {"DC0_H0_VM0", "DC0_H0"},
          {"DC0_H0_VM1", "DC0_H0"},
          {CLUSTER_VM, "DC0_C0_H0"},
          {OTHER_CLUSTER_VM, "DC0_C0_H1"}
        }) {
      // vcsim's model VMs: one 1 MiB disk on LocalDS_0, one NIC on the port group, 1 vCPU, 32 MiB.
      b.vm(vm[0], v -> v.host(vm[1]).disk(DATASTORE, MIB).nic(PORTGROUP).cpus(1).memoryMb(32));
    }
    return b;
  }

  // A vMotion copies the VM's memory, 32 MiB here: tasks take bytes moved ÷ bandwidth.
  @Override
  protected void delayRelocates(Duration duration) {
    sim.setBandwidth(Math.max(1, 32 * MIB * 1000 / duration.toMillis()));
  }

  @Override
  protected VsphereGateway gateway() {
    return sim;
  }
}

package dev.vmigrate.vsphere.simulated;

import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.VsphereGatewayContract;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;

/**
 * The gateway contract against a copy ({@link SimulatedVsphere#copyOf}) of the simulated vSphere
 * that {@link SimulatedGatewayContractTest} checks: what the migration activities read and do
 * behaves on the copy as on the original.
 */
class CopiedGatewayContractTest extends VsphereGatewayContract {
  private static final long MIB = 1024L * 1024L;

  private SimulatedVsphere copy;

  @BeforeEach
  void copy() {
    SimulatedVsphere original = SimulatedGatewayContractTest.vcsimModel().build();
    copy = SimulatedVsphere.copyOf("vc-copy", original.inventory()).build();
  }

  @Override
  protected void delayRelocates(Duration duration) {
    copy.setBandwidth(Math.max(1, 32 * MIB * 1000 / duration.toMillis()));
  }

  @Override
  protected VsphereGateway gateway() {
    return copy;
  }
}

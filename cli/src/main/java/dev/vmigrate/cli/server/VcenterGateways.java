package dev.vmigrate.cli.server;

import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.simulated.SimulatedInventories;
import dev.vmigrate.worker.VcenterProperties;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's {@link GatewayRegistry}, built from {@code vmigrate.vcenters.<id>}. A simulated
 * vCenter gets a seeded inventory of two clusters of three hosts, four shared datastores and {@code
 * simulated-vms} VMs; it lives in this process, so the API and the worker that use it must be the
 * same process ({@code vmigrate server}).
 */
@Factory
public class VcenterGateways {
  private static final Logger log = LoggerFactory.getLogger(VcenterGateways.class);

  /** Seed of the simulated inventories, so that every run migrates the same estate. */
  static final long SEED = 20_26L;

  @Singleton
  @Requires(missingBeans = GatewayRegistry.class)
  GatewayRegistry gatewayRegistry(Collection<VcenterProperties> vcenters) {
    Map<String, VsphereGateway> gateways = new HashMap<>();
    Map<String, String> unsupported = new HashMap<>();
    for (VcenterProperties vc : vcenters) {
      if (vc.simulated()) {
        gateways.put(
            vc.id(), SimulatedInventories.demo(vc.id(), SEED, 2, 3, 4, vc.simulatedVms()).build());
        log.info("{} with {} VMs", vc, vc.simulatedVms());
      } else {
        unsupported.put(vc.id(), vc.toString());
      }
    }
    return id -> {
      VsphereGateway g = gateways.get(id);
      if (g != null) {
        return g;
      }
      if (unsupported.containsKey(id)) {
        throw new VsphereException.InvalidRequest(
            "NotSupported",
            unsupported.get(id) + ": this build has no vim25 gateway for real vCenters yet");
      }
      throw new VsphereException.InvalidRequest(
          "InvalidArgument", "no vCenter '" + id + "' is configured under vmigrate.vcenters");
    };
  }
}

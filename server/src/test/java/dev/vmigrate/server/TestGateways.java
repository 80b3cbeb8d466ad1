package dev.vmigrate.server;

import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.simulated.SimulatedInventories;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * A small simulated vCenter "sim" (two clusters, 20 VMs) for tests that start the server with
 * {@code vmigrate.test.simulated-gateways=true}; it replaces whatever registry configuration makes.
 */
@Factory
@Requires(property = "vmigrate.test.simulated-gateways", value = "true")
public class TestGateways {
  public static final String VCENTER = "sim";

  /**
   * An all-in-one server (API, worker, in-memory Temporal, an H2 database in memory named {@code
   * database}) on free ports, over the simulated vCenter "sim" with 20 VMs.
   */
  public static AllInOneServer startServer(String database) throws java.io.IOException {
    return startServer(database, java.util.Map.of());
  }

  /** As {@link #startServer(String)}, with further configuration properties. */
  public static AllInOneServer startServer(String database, java.util.Map<String, Object> extra)
      throws java.io.IOException {
    java.util.Map<String, Object> properties = new java.util.HashMap<>(extra);
    properties.put("vmigrate.test.simulated-gateways", true);
    return AllInOneServer.start(
        new ServerOptions(
            "127.0.0.1",
            0,
            true,
            true,
            TemporalOptions.inMemory("127.0.0.1", TestPorts.free(), "default"),
            null,
            "jdbc:h2:mem:"
                + database
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
            VCENTER,
            20,
            java.util.List.of(),
            properties));
  }

  @Singleton
  SimulatedVsphere simulated() {
    return SimulatedInventories.demo(VCENTER, 7, 2, 2, 3, 20).build();
  }

  @Singleton
  @Replaces(GatewayRegistry.class)
  GatewayRegistry registry(SimulatedVsphere sim) {
    return id -> {
      if (!VCENTER.equals(id)) {
        throw new VsphereException.InvalidRequest("InvalidArgument", "no vCenter " + id);
      }
      return sim;
    };
  }
}

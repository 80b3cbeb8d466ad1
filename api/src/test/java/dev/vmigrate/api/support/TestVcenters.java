package dev.vmigrate.api.support;

import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import java.net.URI;
import java.util.Optional;

/**
 * The API tests' two vCenters, both {@link SimulatedVsphere}s. "src": Cluster-A (host esx-a1,
 * datastores DS1 and DS2, networks "VM Network" and "Prod") and Cluster-B; VMs web01, web02, db01
 * (on "Prod"), big01 (a 5,000 GiB disk), old01 (marked migrated by its own attribute), app01..03,
 * each 10 GiB unless said otherwise. "dst": Cluster-X, datastore DS-X with 2,000 GiB free, network
 * "VM Network X", folder "Migrated".
 */
public final class TestVcenters {
  public static final long GB = 1024L * 1024 * 1024;

  private TestVcenters() {}

  /** The instance UUID of test VM number n (web01 = 1, web02 = 2, ... app03 = 8). */
  public static String uuid(int n) {
    return String.format("50%06d-0000-0000-0000-%012d", n, n);
  }

  public static String biosUuid(int n) {
    return String.format("42%06d-0000-0000-0000-%012d", n, n);
  }

  public static SimulatedVsphere source() {
    SimulatedVsphere.Builder b =
        SimulatedVsphere.builder("src")
            .datacenter("DC1")
            .datastore("DS1", 8000 * GB)
            .datastore("DS2", 4000 * GB)
            .network("VM Network")
            .network("Prod")
            .cluster("Cluster-A")
            .host("esx-a1")
            .cluster("Cluster-B")
            .host("esx-b1", h -> h.datastores("DS1"));
    String[] names = {"web01", "web02", "db01", "big01", "old01", "app01", "app02", "app03"};
    for (int i = 0; i < names.length; i++) {
      int n = i + 1;
      String name = names[i];
      b.vm(
          name,
          v ->
              v.host("esx-a1")
                  .instanceUuid(uuid(n))
                  .biosUuid(biosUuid(n))
                  .disk("DS1", (name.equals("big01") ? 5000 : 10) * GB)
                  .nic(name.equals("db01") ? "Prod" : "VM Network"));
    }
    SimulatedVsphere sim = b.build();
    sim.setCustomValue(
        sim.vmId("old01"),
        MigrationAttributes.RESULT,
        "migrated migrate-src-x 2026-01-01T00:00:00Z");
    return sim;
  }

  public static SimulatedVsphere destination() {
    return SimulatedVsphere.builder("dst")
        .datacenter("DC9")
        .datastore("DS-X", 4000 * GB, 2000 * GB)
        .network("VM Network X")
        .cluster("Cluster-X")
        .host("esx-x1")
        .folder("Migrated")
        .build();
  }

  /**
   * A registry over the two; any other id fails as the {@link GatewayRegistry} contract says. Like
   * the configuration of a real deployment, it connects "src" to https://src.example/sdk.
   */
  public static GatewayRegistry registry(SimulatedVsphere src, SimulatedVsphere dst) {
    return new GatewayRegistry() {
      @Override
      public VsphereGateway forVcenter(String vc) {
        if (vc.equals(src.vcenterId())) {
          return src;
        }
        if (vc.equals(dst.vcenterId())) {
          return dst;
        }
        throw new VsphereException.InvalidRequest("InvalidArgument", "no vCenter " + vc);
      }

      @Override
      public Optional<URI> configuredUrl(String vc) {
        return vc.equals(src.vcenterId())
            ? Optional.of(URI.create("https://src.example/sdk"))
            : Optional.empty();
      }
    };
  }
}

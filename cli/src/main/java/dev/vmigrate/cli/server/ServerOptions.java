package dev.vmigrate.cli.server;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one all-in-one process runs and where its parts are.
 *
 * @param host the API's bind address
 * @param port the API's port (0 picks a free one)
 * @param api run the REST API
 * @param worker run the Temporal worker
 * @param temporalAddress an external Temporal frontend, or null to embed one
 * @param temporalPort the embedded Temporal's gRPC port
 * @param temporalHost the embedded Temporal's bind address
 * @param namespace the Temporal namespace
 * @param jdbcUrl the API database, or null for the configured default (embedded H2 file)
 * @param simulatedVcenter id of an in-process simulated vCenter to configure, or null for none
 * @param simulatedVms number of VMs in that simulated inventory
 * @param configFiles extra Micronaut configuration files (vCenters, tokens, ...)
 * @param extra any further configuration properties
 */
public record ServerOptions(
    String host,
    int port,
    boolean api,
    boolean worker,
    String temporalAddress,
    int temporalPort,
    String temporalHost,
    String namespace,
    String jdbcUrl,
    String simulatedVcenter,
    int simulatedVms,
    List<Path> configFiles,
    Map<String, Object> extra) {

  public boolean embeddedTemporal() {
    return temporalAddress == null;
  }

  /** Loopback only: the one case where the API may run without bearer tokens. */
  public boolean loopback() {
    return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
  }
}

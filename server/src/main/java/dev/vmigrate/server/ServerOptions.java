package dev.vmigrate.server;

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
 * @param temporal which Temporal server, and how to run one started here
 * @param dataDir where the dev server's database and log, and the default H2 database, live
 * @param jdbcUrl the API database, or null for the H2 file in {@code dataDir}
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
    TemporalOptions temporal,
    Path dataDir,
    String jdbcUrl,
    String simulatedVcenter,
    int simulatedVms,
    List<Path> configFiles,
    Map<String, Object> extra) {

  /** Loopback only: the one case where the API may run without bearer tokens. */
  public boolean loopback() {
    return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
  }
}

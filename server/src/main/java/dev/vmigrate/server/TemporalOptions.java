package dev.vmigrate.server;

import java.time.Duration;

/**
 * Which Temporal server the all-in-one process uses, and how it runs the one it starts itself.
 *
 * @param mode a supervised dev server, the in-memory test server, or an external server
 * @param address the external server's {@code host:port} (EXTERNAL only)
 * @param host bind address of a server this process starts
 * @param port its gRPC port
 * @param uiPort the dev server's web UI port
 * @param binary the Temporal CLI for the dev server, or null to look it up
 * @param namespace the Temporal namespace
 * @param retention how long the dev server keeps closed workflows
 */
public record TemporalOptions(
    Mode mode,
    String address,
    String host,
    int port,
    int uiPort,
    String binary,
    String namespace,
    Duration retention) {

  /** Documented default: a migration weekend is reviewed within a month. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  public enum Mode {
    /** Temporal's own dev server, a child process with its database in the data directory. */
    DEV_SERVER,
    /** Temporal's Java test server in this process: nothing survives a restart. */
    IN_MEMORY,
    /** A Temporal server or cluster run elsewhere. */
    EXTERNAL
  }

  public static TemporalOptions devServer(
      String host, int port, int uiPort, String binary, String namespace, Duration retention) {
    return new TemporalOptions(
        Mode.DEV_SERVER, null, host, port, uiPort, binary, namespace, retention);
  }

  public static TemporalOptions inMemory(String host, int port, String namespace) {
    return new TemporalOptions(Mode.IN_MEMORY, null, host, port, 0, null, namespace, null);
  }

  public static TemporalOptions external(String address, String namespace) {
    return new TemporalOptions(Mode.EXTERNAL, address, null, 0, 0, null, namespace, null);
  }

  /** This process starts the server, so it can register vmigrate's search attributes. */
  public boolean started() {
    return mode != Mode.EXTERNAL;
  }
}

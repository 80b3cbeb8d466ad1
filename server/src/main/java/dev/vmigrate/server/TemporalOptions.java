package dev.vmigrate.server;

import java.time.Duration;

/**
 * Which Temporal server the all-in-one process uses, and how it runs the one it starts itself.
 *
 * @param mode a supervised dev server, the in-memory test server, or an external server
 * @param host bind address of a server this process starts
 * @param port its gRPC port
 * @param uiPort the dev server's web UI port
 * @param binary the Temporal CLI for the dev server, or null to look it up
 * @param retention how long closed workflows stay readable in a namespace created here
 * @param connection the connection settings given as flags (address, namespace, TLS, API key file);
 *     the rest comes from configuration files and the environment ({@link
 *     TemporalConnection#resolve})
 */
public record TemporalOptions(
    Mode mode,
    String host,
    int port,
    int uiPort,
    String binary,
    Duration retention,
    TemporalSettings connection) {

  /** Documented default: a migration weekend is reviewed within a month. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  public TemporalOptions {
    retention = retention == null ? DEFAULT_RETENTION : retention;
    connection = connection == null ? TemporalSettings.NONE : connection;
  }

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
        Mode.DEV_SERVER,
        host,
        port,
        uiPort,
        binary,
        retention,
        TemporalSettings.of(null, namespace));
  }

  public static TemporalOptions inMemory(String host, int port, String namespace) {
    return new TemporalOptions(
        Mode.IN_MEMORY, host, port, 0, null, null, TemporalSettings.of(null, namespace));
  }

  public static TemporalOptions external(String address, String namespace) {
    return external(TemporalSettings.of(address, namespace), null);
  }

  /** A cluster run elsewhere, reached with these flags over configuration and environment. */
  public static TemporalOptions external(TemporalSettings connection, Duration retention) {
    return new TemporalOptions(Mode.EXTERNAL, null, 0, 0, null, retention, connection);
  }

  /** This process starts the server, so it can register vmigrate's search attributes. */
  public boolean started() {
    return mode != Mode.EXTERNAL;
  }
}

package dev.vmigrate.server;

import java.net.URI;

/** A Temporal server that this process runs for itself: where it is and whether it keeps state. */
public interface TemporalRuntime extends AutoCloseable {

  /** The frontend's {@code host:port}, for clients in this process and beside it. */
  String address();

  /** The web UI, or null when this runtime has none. */
  URI uiUrl();

  /** One line for the start-up banner: what runs, and what survives a restart. */
  String describe();

  @Override
  void close();

  /** Where a client on this machine reaches a server bound to {@code host}: loopback for any. */
  static String clientHost(String host) {
    return host.equals("0.0.0.0") ? "127.0.0.1" : host;
  }
}

package dev.vmigrate.cli.command;

import dev.vmigrate.server.TemporalSettings;
import picocli.CommandLine.Option;

/**
 * The Temporal connection flags every process command shares ({@code server}, {@code worker},
 * {@code temporal setup}). A flag outranks {@code vmigrate.temporal.*} in {@code --config} files,
 * then {@code VMIGRATE_TEMPORAL_*}, then Temporal's own {@code TEMPORAL_*} variables and TOML
 * profile. An API key is only read from a file or {@code TEMPORAL_API_KEY}: a flag value would show
 * in the process list.
 */
public class TemporalConnectionOptions {
  @Option(
      names = "--temporal",
      paramLabel = "HOST:PORT",
      description =
          "The Temporal frontend (also vmigrate.temporal.address, VMIGRATE_TEMPORAL_ADDRESS,"
              + " TEMPORAL_ADDRESS, the TOML profile; default 127.0.0.1:7233).")
  String address;

  @Option(
      names = "--namespace",
      description =
          "Temporal namespace (also VMIGRATE_TEMPORAL_NAMESPACE, TEMPORAL_NAMESPACE; default"
              + " default).")
  String namespace;

  @Option(
      names = "--temporal-profile",
      paramLabel = "NAME",
      description =
          "Profile of Temporal's client configuration file (TEMPORAL_CONFIG_FILE, default"
              + " ~/.config/temporalio/temporal.toml); default TEMPORAL_PROFILE, else default.")
  String profile;

  @Option(
      names = "--temporal-tls-ca",
      paramLabel = "FILE",
      description =
          "CA certificate (PEM) of the frontend's certificate; turns TLS on (also"
              + " TEMPORAL_TLS_SERVER_CA_CERT_PATH).")
  String tlsCa;

  @Option(
      names = "--temporal-tls-server-name",
      paramLabel = "NAME",
      description =
          "Name in the frontend's certificate when not the address's host (also"
              + " TEMPORAL_TLS_SERVER_NAME).")
  String tlsServerName;

  @Option(
      names = "--temporal-tls-cert",
      paramLabel = "FILE",
      description =
          "Client certificate (PEM) for mTLS, re-read when the file changes (also"
              + " TEMPORAL_TLS_CLIENT_CERT_PATH).")
  String tlsCert;

  @Option(
      names = "--temporal-tls-key",
      paramLabel = "FILE",
      description =
          "The client certificate's private key (PEM, PKCS#8) (also"
              + " TEMPORAL_TLS_CLIENT_KEY_PATH).")
  String tlsKey;

  @Option(
      names = "--temporal-api-key-file",
      paramLabel = "FILE",
      description =
          "A file holding a Temporal API key, sent as Authorization: Bearer (or set"
              + " TEMPORAL_API_KEY); turns TLS on.")
  String apiKeyFile;

  /** The flags given; the others are null and come from configuration and environment. */
  public TemporalSettings settings() {
    return new TemporalSettings(
        address, namespace, profile, tlsCa, tlsServerName, tlsCert, tlsKey, apiKeyFile, null);
  }

  /** Whether {@code --temporal} was given. */
  boolean addressGiven() {
    return address != null && !address.isBlank();
  }
}

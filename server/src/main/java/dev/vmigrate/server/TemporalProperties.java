package dev.vmigrate.server;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * vmigrate's Temporal settings in its configuration ({@code vmigrate.temporal.*}, also from {@code
 * VMIGRATE_TEMPORAL_*}); each unset one comes from Temporal's environment configuration, then the
 * defaults ({@link TemporalConnection#resolve}). A process started by {@code vmigrate server} or
 * {@code vmigrate worker} has its connection resolved before its context starts; this binding
 * serves contexts built without it.
 *
 * @param address host:port of the frontend gRPC endpoint
 * @param namespace the Temporal namespace
 * @param profile the profile of Temporal's TOML client configuration file
 * @param tlsCa the server's CA certificate file (PEM)
 * @param tlsServerName the name the server's certificate carries
 * @param tlsCert the client certificate file (PEM) for mTLS
 * @param tlsKey its private key file (PEM)
 * @param apiKeyFile a file holding an API key
 * @param searchAttributes false forces vmigrate's search attributes off
 */
@ConfigurationProperties("vmigrate.temporal")
public record TemporalProperties(
    @Nullable String address,
    @Nullable String namespace,
    @Nullable String profile,
    @Nullable String tlsCa,
    @Nullable String tlsServerName,
    @Nullable String tlsCert,
    @Nullable String tlsKey,
    @Nullable String apiKeyFile,
    @Nullable Boolean searchAttributes) {

  TemporalSettings settings() {
    return new TemporalSettings(
        TemporalSettings.blankToNull(address),
        TemporalSettings.blankToNull(namespace),
        TemporalSettings.blankToNull(profile),
        TemporalSettings.blankToNull(tlsCa),
        TemporalSettings.blankToNull(tlsServerName),
        TemporalSettings.blankToNull(tlsCert),
        TemporalSettings.blankToNull(tlsKey),
        TemporalSettings.blankToNull(apiKeyFile),
        searchAttributes);
  }
}

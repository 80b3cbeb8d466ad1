package dev.vmigrate.server;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Where the Temporal frontend is.
 *
 * @param address host:port of the frontend gRPC endpoint
 * @param namespace the Temporal namespace
 */
@ConfigurationProperties("vmigrate.temporal")
public record TemporalProperties(
    @Bindable(defaultValue = "127.0.0.1:7233") String address,
    @Bindable(defaultValue = "default") String namespace) {}

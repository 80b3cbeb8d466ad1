package dev.vmigrate.api.db;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A vCenter connection. {@code credentialsRef} names where the secret lives, never the secret. */
@MappedEntity("vcenter")
public record VcenterRow(
    @Id String id,
    String url,
    @Nullable String thumbprint,
    @Nullable String trustStore,
    boolean insecure,
    String credentialsRef,
    Instant createdAt,
    Instant updatedAt) {}

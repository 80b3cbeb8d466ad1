package dev.vmigrate.api.db;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** An infrastructure mapping; its cluster, datastore and network maps are stored as JSON. */
@MappedEntity("infra_mapping")
public record MappingRow(
    @Id String id,
    String name,
    String sourceVcenter,
    String destinationVcenter,
    String clustersJson,
    String datastoresJson,
    String networksJson,
    Instant createdAt,
    Instant updatedAt) {}

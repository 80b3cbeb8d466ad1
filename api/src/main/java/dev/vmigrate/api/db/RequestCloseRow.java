package dev.vmigrate.api.db;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * The close of a request whose workflow Temporal no longer knows: the operator's reason and, as
 * JSON, what was found of each VM that was still in play.
 */
@MappedEntity("request_close")
public record RequestCloseRow(
    @Id String requestId, @Nullable String reason, String findings, Instant closedAt) {}

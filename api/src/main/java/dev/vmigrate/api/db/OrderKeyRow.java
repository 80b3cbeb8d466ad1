package dev.vmigrate.api.db;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** The Idempotency-Key an order of a plan carried and the request that order created. */
@MappedEntity("order_key")
public record OrderKeyRow(
    @Id String idempotencyKey, String planId, String requestId, Instant createdAt) {}

package dev.vmigrate.api.db;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * One VM of a request: the ledger row. {@code proposal} is what the approval policy proposes
 * ("approve" or "skip", with {@code reason}); {@code approvedPosition} orders the approved VMs for
 * the request workflow. Datastore lists are comma-separated managed object ids.
 */
@MappedEntity("request_vm")
public record RequestVmRow(
    @Id String id,
    String requestId,
    int position,
    @Nullable Integer approvedPosition,
    String vmId,
    String instanceUuid,
    String name,
    String state,
    String proposal,
    @Nullable String reason,
    @Nullable String migrationId,
    @Nullable String message,
    int vmMigratePercent,
    int diskMigratePercent,
    long diskBytes,
    long memoryBytes,
    boolean poweredOn,
    @Nullable String sourceHost,
    String sourceDatastores,
    String destinationDatastores,
    boolean storageChange,
    long vmotionLinkMbps,
    @Nullable Instant deliveredAt,
    Instant updatedAt) {}

package dev.vmigrate.api.db;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * One order of a plan. approvalState: pending, approved, denied; requestState: pending, active,
 * finished; status: Ok, Warn, Error (ManageIQ's vocabulary), or closed for a request an operator
 * closed after its workflow was lost.
 */
@MappedEntity("migration_request")
public record RequestRow(
    @Id String id,
    String planId,
    String planName,
    String sourceVcenter,
    String approvalState,
    String requestState,
    String status,
    @Nullable String message,
    int approvedVms,
    @Nullable String workflowId,
    Instant createdAt,
    Instant updatedAt) {}

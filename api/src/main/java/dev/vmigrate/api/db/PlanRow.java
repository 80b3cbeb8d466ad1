package dev.vmigrate.api.db;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A migration plan: a mapping, options (JSON) and an approval policy; VMs are in plan_vm. */
@MappedEntity("plan")
public record PlanRow(
    @Id String id,
    String name,
    String mappingId,
    String approvalPolicy,
    String optionsJson,
    Instant createdAt,
    Instant updatedAt) {}

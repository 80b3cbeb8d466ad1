package dev.vmigrate.api.db;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A migration plan: a mapping, options (JSON) and an approval policy; VMs are in plan_vm.
 *
 * @param archivedAt when the plan was deleted after it had been ordered: it is kept for its
 *     requests' sake, hidden from the plan list and never ordered again; null while it is live
 */
@MappedEntity("plan")
public record PlanRow(
    @Id String id,
    String name,
    String mappingId,
    String approvalPolicy,
    String optionsJson,
    Instant createdAt,
    Instant updatedAt,
    @Nullable Instant archivedAt) {

  /** Whether the plan was archived (deleted after it had been ordered). */
  public boolean archived() {
    return archivedAt != null;
  }
}

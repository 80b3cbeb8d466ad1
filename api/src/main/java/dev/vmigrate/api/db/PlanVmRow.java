package dev.vmigrate.api.db;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * One VM of a plan, resolved in the source vCenter.
 *
 * @param remigrate whether the VM may be ordered again after a migration (the plan's {@code
 *     remigrate} option does the same for all its VMs)
 */
@MappedEntity("plan_vm")
public record PlanVmRow(
    @Id String id,
    String planId,
    int position,
    String vmId,
    String instanceUuid,
    String name,
    boolean remigrate) {}

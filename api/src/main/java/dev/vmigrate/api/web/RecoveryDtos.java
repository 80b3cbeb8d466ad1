package dev.vmigrate.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The body and answer of {@code POST /vcenters/{id}/recover}. */
public final class RecoveryDtos {
  private RecoveryDtos() {}

  /**
   * What to recover.
   *
   * @param apply false or absent: a dry run that changes nothing; true: start the recoveries
   * @param vms only these VMs (inventory names); absent: every leftover
   * @param finalise VMs (inventory names) to accept where they are instead of rolling back
   */
  @Introspected
  public record RecoverBody(
      @Nullable Boolean apply,
      @Nullable @Size(max = Bounds.RECOVER_VMS) List<@Size(max = Bounds.NAME) String> vms,
      @Nullable @Size(max = Bounds.RECOVER_VMS) List<@Size(max = Bounds.NAME) String> finalise) {}

  /**
   * One leftover and what is (or was) done about it.
   *
   * @param vm the VM's inventory name, absent for reservations whose VM is gone
   * @param vmId the VM's managed object id
   * @param kind locked_without_migration, away_from_origin, marks_on_finished_vm or
   *     stale_reservation
   * @param description the kind in words
   * @param found what vCenter shows, one fact per line
   * @param action rollback, finalise or clear_marks; absent when vmigrate cannot do it (see note)
   * @param proposal the action in words
   * @param note why nothing is proposed, or a caveat
   * @param migrationId the lost migration the marks belong to
   * @param workflowId the recovery workflow's id (deterministic per VM)
   * @param started with apply: "started", "already running" or "not started: ..."; else absent
   */
  @Introspected
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RecoveryFinding(
      String vm,
      String vmId,
      String kind,
      String description,
      List<String> found,
      String action,
      String proposal,
      String note,
      String migrationId,
      String workflowId,
      String started) {}

  /**
   * What recover found in a vCenter.
   *
   * @param vcenter the vCenter scanned
   * @param applied whether the recoveries were started (false for a dry run)
   * @param markedVms VMs carrying a vmigrate mark
   * @param markedDatastores datastores carrying a vmigrate mark
   * @param findings the leftovers, with what is proposed
   * @param message one line for the operator
   */
  @Introspected
  public record RecoveryReport(
      String vcenter,
      boolean applied,
      int markedVms,
      int markedDatastores,
      List<RecoveryFinding> findings,
      String message) {}
}

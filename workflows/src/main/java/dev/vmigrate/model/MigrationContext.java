package dev.vmigrate.model;

import java.util.List;

/**
 * Everything an action needs, accumulated by the workflow as the queue runs. Fields are null until
 * the action that produces them has run.
 *
 * @param migrationId the workflow id, written on the VM as the lock owner
 * @param request the migration request
 * @param vm the VM's identity (id updated after a re-registration)
 * @param origin where the VM was before anything changed (from InvokePrechecks)
 * @param snapshots snapshot names before the move (from InvokePrechecks)
 * @param destination where the VM goes (from SelectDestination)
 * @param spec hot or cold and the itinerary (from ComputeSpec)
 */
public record MigrationContext(
    String migrationId,
    MigrationRequest request,
    VmIdentity vm,
    Placement origin,
    List<String> snapshots,
    Destination destination,
    MigrationSpec spec) {

  public MigrationContext {
    snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
  }

  public static MigrationContext start(String migrationId, MigrationRequest request) {
    return new MigrationContext(migrationId, request, null, null, null, null, null);
  }

  public MigrationContext withPrechecks(PrecheckReport report) {
    return new MigrationContext(
        migrationId, request, report.vm(), report.origin(), report.snapshots(), destination, spec);
  }

  public MigrationContext withVm(VmIdentity newVm) {
    return new MigrationContext(migrationId, request, newVm, origin, snapshots, destination, spec);
  }

  public MigrationContext withDestination(Destination d) {
    return new MigrationContext(migrationId, request, vm, origin, snapshots, d, spec);
  }

  public MigrationContext withSpec(MigrationSpec s) {
    return new MigrationContext(migrationId, request, vm, origin, snapshots, destination, s);
  }

  public String sourceVcenter() {
    return request.mapping().sourceVcenter();
  }

  public String destinationVcenter() {
    return request.mapping().destinationVcenter();
  }
}

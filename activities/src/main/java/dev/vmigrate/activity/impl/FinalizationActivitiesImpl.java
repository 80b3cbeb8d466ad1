package dev.vmigrate.activity.impl;

import static dev.vmigrate.activity.impl.VsphereSupport.run;

import dev.vmigrate.activity.FinalizationActivities;
import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereGateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Final bookkeeping on the VM's custom attributes. Both actions compare before writing, so a repeat
 * changes nothing; the origin record is always kept for later audits and cleanups.
 */
public class FinalizationActivitiesImpl implements FinalizationActivities {
  private final VsphereSupport vsphere;

  public FinalizationActivitiesImpl(GatewayRegistry registry, ActivitySettings settings) {
    this.vsphere = new VsphereSupport(registry, settings);
  }

  public FinalizationActivitiesImpl(GatewayRegistry registry) {
    this(registry, ActivitySettings.defaults());
  }

  @Override
  public ActionOutcome confirmMigration(MigrationContext ctx) {
    List<String> done = new ArrayList<>();
    Optional<VsphereSupport.Located> found =
        ctx.vm() == null ? Optional.empty() : vsphere.locate(ctx);
    found.ifPresent(loc -> clearMigrationState(ctx, loc, done));
    if (ctx.destination() != null) {
      VsphereGateway dst = vsphere.destination(ctx);
      for (String ds : DatastoreReservations.candidates(ctx.destination())) {
        if (DatastoreReservations.release(dst, ds, ctx.migrationId())) {
          done.add("released reservation on " + VsphereSupport.datastoreName(dst, ds));
        }
      }
    }
    String name = ctx.vm() == null ? ctx.migrationId() : ctx.vm().name();
    return done.isEmpty()
        ? ActionOutcome.alreadyDone("migration of " + name + " already confirmed")
        : ActionOutcome.done("confirmed migration of " + name + ": " + String.join(", ", done));
  }

  @Override
  public ActionOutcome recordRollback(MigrationContext ctx) {
    Optional<VsphereSupport.Located> found =
        ctx.vm() == null ? Optional.empty() : vsphere.locate(ctx);
    if (found.isEmpty()) {
      return ActionOutcome.alreadyDone(
          (ctx.vm() == null ? "the VM" : ctx.vm().name())
              + " was never identified or is not registered: nothing to record");
    }
    VsphereSupport.Located loc = found.get();
    VmInfo vm = loc.vm();
    List<String> done = new ArrayList<>();
    String mark = "rolled-back " + ctx.migrationId();
    String result = vm.customValue(MigrationAttributes.RESULT);
    // UnprepareSource has usually removed the lock by now; the origin record stays as evidence.
    boolean touched =
        ctx.migrationId().equals(vm.customValue(MigrationAttributes.LOCK))
            || (ctx.origin() != null
                && VsphereSupport.json(ctx.origin())
                    .equals(vm.customValue(MigrationAttributes.ORIGIN)))
            || (result != null && result.contains(" " + ctx.migrationId() + " "));
    if (touched && (result == null || !result.startsWith(mark + " "))) {
      run(
          () ->
              loc.gateway()
                  .setCustomValue(vm.id(), MigrationAttributes.RESULT, mark + " " + Instant.now()));
      done.add("recorded the rollback");
    }
    clearMigrationState(ctx, loc, done);
    return done.isEmpty()
        ? ActionOutcome.alreadyDone(
            "rollback of " + vm.name() + " already recorded or never started")
        : ActionOutcome.done(vm.name() + ": " + String.join(", ", done));
  }

  private static void clearMigrationState(
      MigrationContext ctx, VsphereSupport.Located loc, List<String> done) {
    VmInfo vm = loc.vm();
    if (ctx.migrationId().equals(vm.customValue(MigrationAttributes.LOCK))) {
      run(() -> loc.gateway().setCustomValue(vm.id(), MigrationAttributes.LOCK, ""));
      done.add("unlocked " + vm.name());
    }
    if (vm.customValue(MigrationAttributes.DESTINATION) != null
        && (vm.customValue(MigrationAttributes.LOCK) == null
            || ctx.migrationId().equals(vm.customValue(MigrationAttributes.LOCK)))) {
      run(() -> loc.gateway().setCustomValue(vm.id(), MigrationAttributes.DESTINATION, ""));
      done.add("cleared the recorded destination");
    }
  }
}

package dev.vmigrate.workflow;

import dev.vmigrate.activity.ActivityNames;
import dev.vmigrate.activity.AnalysisActivities;
import dev.vmigrate.activity.DestinationActivities;
import dev.vmigrate.activity.FinalizationActivities;
import dev.vmigrate.activity.PreparationActivities;
import dev.vmigrate.activity.SourceActivities;
import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationSpec;
import dev.vmigrate.model.PrecheckReport;
import dev.vmigrate.model.VmIdentity;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;

/**
 * Runs one action or one compensation as its Temporal activity, with that action's options and a
 * summary that names the VM, and folds what the activity returns into the migration context.
 */
final class ActionRunner {

  /** What running an action produced: the updated context and a line for the status. */
  record Step(MigrationContext ctx, String summary, PrecheckReport prechecks, MigrationSpec spec) {
    static Step of(MigrationContext ctx, ActionOutcome outcome) {
      return new Step(ctx, outcome.summary(), null, null);
    }
  }

  Step run(MigrationAction action, MigrationContext ctx) {
    ActivityOptions o =
        ActionOptions.forAction(
            action, ctx.request().options(), summary(action.activityName(), ctx));
    switch (action) {
      case INVOKE_PRECHECKS -> {
        PrecheckReport report = stub(AnalysisActivities.class, o).invokePrechecks(ctx);
        return new Step(
            ctx.withPrechecks(report),
            report.findings().size() + " finding(s), none blocking",
            report,
            null);
      }
      case SELECT_DESTINATION -> {
        MigrationContext next =
            ctx.withDestination(stub(AnalysisActivities.class, o).selectDestination(ctx));
        return new Step(next, "destination host " + next.destination().host(), null, null);
      }
      case CHECK_PERMISSION -> {
        return Step.of(ctx, stub(AnalysisActivities.class, o).checkPermission(ctx));
      }
      case CHECK_COMPATIBILITY -> {
        return Step.of(ctx, stub(AnalysisActivities.class, o).checkCompatibility(ctx));
      }
      case RESERVE_DIRECTORY -> {
        return Step.of(ctx, stub(PreparationActivities.class, o).reserveDirectory(ctx));
      }
      case CREATE_INVENTORY_VM -> {
        return Step.of(ctx, stub(PreparationActivities.class, o).createInventoryVm(ctx));
      }
      case COMPUTE_SPEC -> {
        MigrationSpec spec = stub(AnalysisActivities.class, o).computeSpec(ctx);
        return new Step(ctx.withSpec(spec), spec.mode() + " migration", null, spec);
      }
      case INVOKE_CALLBACKS -> {
        return Step.of(ctx, stub(PreparationActivities.class, o).invokeCallbacks(ctx));
      }
      case PREPARE_SOURCE -> {
        return Step.of(ctx, stub(SourceActivities.class, o).prepareSource(ctx));
      }
      case PREPARE_DESTINATION -> {
        return Step.of(ctx, stub(DestinationActivities.class, o).prepareDestination(ctx));
      }
      case INITIATE_DESTINATION -> {
        return Step.of(ctx, stub(DestinationActivities.class, o).initiateDestination(ctx));
      }
      case INITIATE_SOURCE -> {
        return Step.of(ctx, stub(SourceActivities.class, o).initiateSource(ctx));
      }
      case SWITCH_HOST_AND_POOL -> {
        return Step.of(ctx, stub(DestinationActivities.class, o).switchHostAndPool(ctx));
      }
      case COMPLETE_SOURCE -> {
        return Step.of(ctx, stub(SourceActivities.class, o).completeSource(ctx));
      }
      case COMPLETE_DESTINATION -> {
        return Step.of(ctx, stub(DestinationActivities.class, o).completeDestination(ctx));
      }
      case POWER_OFF_SOURCE -> {
        return Step.of(ctx, stub(SourceActivities.class, o).powerOffSource(ctx));
      }
      case UNREGISTER_SOURCE_VM -> {
        return Step.of(ctx, stub(SourceActivities.class, o).unregisterSourceVm(ctx));
      }
      case CREATE_DESTINATION_VM -> {
        return Step.of(ctx, stub(DestinationActivities.class, o).createDestinationVm(ctx));
      }
      case REGISTER_DESTINATION_VM -> {
        VmIdentity vm = stub(DestinationActivities.class, o).registerDestinationVm(ctx);
        return new Step(ctx.withVm(vm), "registered as " + vm.id(), null, null);
      }
      case RECONFIGURE_VM -> {
        return Step.of(ctx, stub(DestinationActivities.class, o).reconfigureVm(ctx));
      }
      case RELAYOUT_SNAPSHOT -> {
        return Step.of(ctx, stub(DestinationActivities.class, o).relayoutSnapshot(ctx));
      }
      case POWER_ON_DESTINATION -> {
        return Step.of(ctx, stub(DestinationActivities.class, o).powerOnDestination(ctx));
      }
    }
    throw new IllegalStateException("no activity for action " + action);
  }

  /** Runs the compensation of an action that registered one. */
  Step compensate(MigrationAction action, MigrationContext ctx) {
    ActivityOptions o =
        ActionOptions.forCompensation(action, summary(action.compensationName(), ctx));
    switch (action) {
      case RESERVE_DIRECTORY -> {
        return Step.of(ctx, stub(PreparationActivities.class, o).releaseDirectory(ctx));
      }
      case CREATE_INVENTORY_VM -> {
        return Step.of(ctx, stub(PreparationActivities.class, o).destroyInventoryVm(ctx));
      }
      case INVOKE_CALLBACKS -> {
        return Step.of(ctx, stub(PreparationActivities.class, o).invokeRollbackCallbacks(ctx));
      }
      case PREPARE_SOURCE -> {
        return Step.of(ctx, stub(SourceActivities.class, o).unprepareSource(ctx));
      }
      case INITIATE_DESTINATION -> {
        return Step.of(ctx, stub(DestinationActivities.class, o).cancelDestination(ctx));
      }
      case INITIATE_SOURCE -> {
        return Step.of(ctx, stub(SourceActivities.class, o).revertSource(ctx));
      }
      case SWITCH_HOST_AND_POOL -> {
        return Step.of(ctx, stub(DestinationActivities.class, o).switchBackHostAndPool(ctx));
      }
      case COMPLETE_DESTINATION -> {
        return Step.of(ctx, stub(DestinationActivities.class, o).uncompleteDestination(ctx));
      }
      case POWER_OFF_SOURCE -> {
        return Step.of(ctx, stub(SourceActivities.class, o).powerOnSource(ctx));
      }
      case UNREGISTER_SOURCE_VM -> {
        VmIdentity vm = stub(SourceActivities.class, o).reregisterSourceVm(ctx);
        return new Step(ctx.withVm(vm), "re-registered as " + vm.id(), null, null);
      }
      case CREATE_DESTINATION_VM -> {
        return Step.of(ctx, stub(DestinationActivities.class, o).destroyDestinationVm(ctx));
      }
      case REGISTER_DESTINATION_VM -> {
        return Step.of(ctx, stub(DestinationActivities.class, o).unregisterDestinationVm(ctx));
      }
      case RECONFIGURE_VM -> {
        return Step.of(ctx, stub(DestinationActivities.class, o).revertReconfigureVm(ctx));
      }
      case POWER_ON_DESTINATION -> {
        return Step.of(ctx, stub(DestinationActivities.class, o).powerOffDestination(ctx));
      }
      default -> throw new IllegalStateException(action + " has no compensation");
    }
  }

  ActionOutcome confirm(MigrationContext ctx) {
    return stub(
            FinalizationActivities.class,
            ActionOptions.forFinalization(summary(ActivityNames.CONFIRM_MIGRATION, ctx)))
        .confirmMigration(ctx);
  }

  ActionOutcome releaseReservation(MigrationContext ctx) {
    return stub(
            PreparationActivities.class,
            ActionOptions.forFinalization(summary(ActivityNames.RELEASE_DIRECTORY, ctx)))
        .releaseDirectory(ctx);
  }

  ActionOutcome recordRollback(MigrationContext ctx) {
    return stub(
            FinalizationActivities.class,
            ActionOptions.forFinalization(summary(ActivityNames.RECORD_ROLLBACK, ctx)))
        .recordRollback(ctx);
  }

  private static <T> T stub(Class<T> type, ActivityOptions options) {
    return Workflow.newActivityStub(type, options);
  }

  /** The activity summary shown in the Temporal UI: the action and the VM it acts on. */
  private static String summary(String activity, MigrationContext ctx) {
    String vm = ctx.vm() != null ? ctx.vm().name() : ctx.request().vm();
    String to = ctx.destination() != null ? " → " + ctx.destination().host() : "";
    return activity + " " + vm + to;
  }
}

package dev.vmigrate.workflow;

import dev.vmigrate.activity.ActivityNames;
import dev.vmigrate.activity.FinalizationActivities;
import dev.vmigrate.activity.PreparationActivities;
import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.HookEvent;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationSpec;
import dev.vmigrate.model.PrecheckReport;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;

/**
 * Runs one action or one compensation as the activity {@link ActionBinding} binds it to, with that
 * action's options and a summary that names the VM, and folds what the activity returns into the
 * migration context.
 */
final class ActionRunner {

  /** What running an action produced: the updated context and a line for the status. */
  record Step(MigrationContext ctx, String summary, PrecheckReport prechecks, MigrationSpec spec) {
    static Step of(MigrationContext ctx, ActionOutcome outcome) {
      return new Step(ctx, outcome.summary(), null, null);
    }
  }

  Step run(MigrationAction action, MigrationContext ctx) {
    return run(action, ctx, null);
  }

  /** Runs an action; a hook action is given the outcome it reports, which others ignore. */
  Step run(MigrationAction action, MigrationContext ctx, HookEvent event) {
    ActionBinding b = ActionBinding.of(action);
    ActivityOptions o =
        ActionOptions.forAction(
            b.options(), ctx.request().options(), summary(action.activityName(), ctx));
    if (b.hook() != null) {
      if (event == null) {
        throw new IllegalStateException(action + " reports an outcome and was given none");
      }
      return b.hook().run(stubs(o), ctx, event);
    }
    return b.action().run(stubs(o), ctx);
  }

  /** Runs the compensation of an action that registered one. */
  Step compensate(MigrationAction action, MigrationContext ctx) {
    ActionBinding.Call undo = ActionBinding.of(action).compensation();
    if (undo == null) {
      throw new IllegalStateException(action + " has no compensation");
    }
    ActivityOptions o =
        ActionOptions.forCompensation(action, summary(action.compensationName(), ctx));
    return undo.run(stubs(o), ctx);
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

  private static ActionBinding.Stubs stubs(ActivityOptions options) {
    return new ActionBinding.Stubs() {
      @Override
      public <T> T of(Class<T> activities) {
        return stub(activities, options);
      }
    };
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

package dev.vmigrate.workflow;

import static dev.vmigrate.model.MigrationAction.CHECK_COMPATIBILITY;
import static dev.vmigrate.model.MigrationAction.CHECK_PERMISSION;
import static dev.vmigrate.model.MigrationAction.COMPLETE_DESTINATION;
import static dev.vmigrate.model.MigrationAction.COMPLETE_SOURCE;
import static dev.vmigrate.model.MigrationAction.COMPUTE_SPEC;
import static dev.vmigrate.model.MigrationAction.CREATE_DESTINATION_VM;
import static dev.vmigrate.model.MigrationAction.CREATE_INVENTORY_VM;
import static dev.vmigrate.model.MigrationAction.INITIATE_DESTINATION;
import static dev.vmigrate.model.MigrationAction.INITIATE_SOURCE;
import static dev.vmigrate.model.MigrationAction.INVOKE_CALLBACKS;
import static dev.vmigrate.model.MigrationAction.INVOKE_POST_MIGRATION_HOOKS;
import static dev.vmigrate.model.MigrationAction.INVOKE_POST_ROLLBACK_HOOKS;
import static dev.vmigrate.model.MigrationAction.INVOKE_PRECHECKS;
import static dev.vmigrate.model.MigrationAction.POWER_OFF_SOURCE;
import static dev.vmigrate.model.MigrationAction.POWER_ON_DESTINATION;
import static dev.vmigrate.model.MigrationAction.PREPARE_DESTINATION;
import static dev.vmigrate.model.MigrationAction.PREPARE_SOURCE;
import static dev.vmigrate.model.MigrationAction.RECONFIGURE_VM;
import static dev.vmigrate.model.MigrationAction.REGISTER_DESTINATION_VM;
import static dev.vmigrate.model.MigrationAction.RELAYOUT_SNAPSHOT;
import static dev.vmigrate.model.MigrationAction.RESERVE_DIRECTORY;
import static dev.vmigrate.model.MigrationAction.SELECT_DESTINATION;
import static dev.vmigrate.model.MigrationAction.SWITCH_HOST_AND_POOL;
import static dev.vmigrate.model.MigrationAction.UNREGISTER_SOURCE_VM;
import static dev.vmigrate.workflow.ActionOptions.CHANGE;
import static dev.vmigrate.workflow.ActionOptions.DATA_MOVER;
import static dev.vmigrate.workflow.ActionOptions.HOOK;
import static dev.vmigrate.workflow.ActionOptions.POWER_OFF;
import static dev.vmigrate.workflow.ActionOptions.READ;

import dev.vmigrate.activity.AnalysisActivities;
import dev.vmigrate.activity.DestinationActivities;
import dev.vmigrate.activity.PreparationActivities;
import dev.vmigrate.activity.SourceActivities;
import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.HookEvent;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationSpec;
import dev.vmigrate.model.PrecheckReport;
import dev.vmigrate.model.VmIdentity;
import dev.vmigrate.workflow.ActionRunner.Step;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What an action runs: the options of its activity, the activity call, and the call that undoes it
 * (null for an action that changes nothing; compensations take {@link
 * ActionOptions#forCompensation}). {@link #TABLE} binds every action once. A hook action (one that
 * reports the migration's outcome to webhooks) is bound by its {@link Hook} call instead.
 */
record ActionBinding(
    ActionOptions.Profile options,
    ActionBinding.Call action,
    ActionBinding.Call compensation,
    ActionBinding.Hook hook) {

  ActionBinding(ActionOptions.Profile options, Call action, Call compensation) {
    this(options, action, compensation, null);
  }

  /** Hands out activity stubs; in a workflow, stubs with the options of the call at hand. */
  interface Stubs {
    <T> T of(Class<T> activities);
  }

  /** One activity call and how its result folds into the migration context. */
  @FunctionalInterface
  interface Call {
    Step run(Stubs stubs, MigrationContext ctx);
  }

  /** A hook action's call: the activity with the outcome it reports. */
  @FunctionalInterface
  interface Hook {
    Step run(Stubs stubs, MigrationContext ctx, HookEvent event);
  }

  static final Map<MigrationAction, ActionBinding> TABLE = table();

  static ActionBinding of(MigrationAction action) {
    ActionBinding b = TABLE.get(action);
    if (b == null) {
      throw new IllegalStateException("no activity for action " + action);
    }
    return b;
  }

  private static Map<MigrationAction, ActionBinding> table() {
    Map<MigrationAction, ActionBinding> t = new EnumMap<>(MigrationAction.class);
    t.put(INVOKE_PRECHECKS, new ActionBinding(READ, ActionBinding::invokePrechecks, null));
    t.put(SELECT_DESTINATION, new ActionBinding(READ, ActionBinding::selectDestination, null));
    t.put(
        CHECK_PERMISSION,
        new ActionBinding(READ, analysis(AnalysisActivities::checkPermission), null));
    t.put(
        CHECK_COMPATIBILITY,
        new ActionBinding(READ, analysis(AnalysisActivities::checkCompatibility), null));
    t.put(
        RESERVE_DIRECTORY,
        new ActionBinding(
            CHANGE,
            preparation(PreparationActivities::reserveDirectory),
            preparation(PreparationActivities::releaseDirectory)));
    t.put(
        CREATE_INVENTORY_VM,
        new ActionBinding(
            CHANGE,
            preparation(PreparationActivities::createInventoryVm),
            preparation(PreparationActivities::destroyInventoryVm)));
    t.put(COMPUTE_SPEC, new ActionBinding(READ, ActionBinding::computeSpec, null));
    t.put(
        INVOKE_CALLBACKS,
        new ActionBinding(
            CHANGE,
            preparation(PreparationActivities::invokeCallbacks),
            preparation(PreparationActivities::invokeRollbackCallbacks)));
    t.put(
        PREPARE_SOURCE,
        new ActionBinding(
            CHANGE,
            source(SourceActivities::prepareSource),
            source(SourceActivities::unprepareSource)));
    t.put(
        PREPARE_DESTINATION,
        new ActionBinding(READ, destination(DestinationActivities::prepareDestination), null));
    t.put(
        INITIATE_DESTINATION,
        new ActionBinding(
            CHANGE,
            destination(DestinationActivities::initiateDestination),
            destination(DestinationActivities::cancelDestination)));
    t.put(
        INITIATE_SOURCE,
        new ActionBinding(
            DATA_MOVER,
            source(SourceActivities::initiateSource),
            source(SourceActivities::revertSource)));
    t.put(
        SWITCH_HOST_AND_POOL,
        new ActionBinding(
            CHANGE,
            destination(DestinationActivities::switchHostAndPool),
            destination(DestinationActivities::switchBackHostAndPool)));
    t.put(
        COMPLETE_SOURCE, new ActionBinding(CHANGE, source(SourceActivities::completeSource), null));
    t.put(
        COMPLETE_DESTINATION,
        new ActionBinding(
            CHANGE,
            destination(DestinationActivities::completeDestination),
            destination(DestinationActivities::uncompleteDestination)));
    t.put(
        POWER_OFF_SOURCE,
        new ActionBinding(
            POWER_OFF,
            source(SourceActivities::powerOffSource),
            source(SourceActivities::powerOnSource)));
    t.put(
        UNREGISTER_SOURCE_VM,
        new ActionBinding(
            CHANGE,
            source(SourceActivities::unregisterSourceVm),
            ActionBinding::reregisterSourceVm));
    t.put(
        CREATE_DESTINATION_VM,
        new ActionBinding(
            DATA_MOVER,
            destination(DestinationActivities::createDestinationVm),
            destination(DestinationActivities::destroyDestinationVm)));
    t.put(
        REGISTER_DESTINATION_VM,
        new ActionBinding(
            CHANGE,
            ActionBinding::registerDestinationVm,
            destination(DestinationActivities::unregisterDestinationVm)));
    t.put(
        RECONFIGURE_VM,
        new ActionBinding(
            CHANGE,
            destination(DestinationActivities::reconfigureVm),
            destination(DestinationActivities::revertReconfigureVm)));
    t.put(
        RELAYOUT_SNAPSHOT,
        new ActionBinding(READ, destination(DestinationActivities::relayoutSnapshot), null));
    t.put(
        POWER_ON_DESTINATION,
        new ActionBinding(
            CHANGE,
            destination(DestinationActivities::powerOnDestination),
            destination(DestinationActivities::powerOffDestination)));
    t.put(
        INVOKE_POST_MIGRATION_HOOKS,
        new ActionBinding(HOOK, null, null, hook(a -> a::invokePostMigrationHooks)));
    t.put(
        INVOKE_POST_ROLLBACK_HOOKS,
        new ActionBinding(HOOK, null, null, hook(a -> a::invokePostRollbackHooks)));
    return Collections.unmodifiableMap(t);
  }

  // The calls whose result is more than an outcome: each folds it into the context.

  private static Step invokePrechecks(Stubs stubs, MigrationContext ctx) {
    PrecheckReport report = stubs.of(AnalysisActivities.class).invokePrechecks(ctx);
    return new Step(
        ctx.withPrechecks(report),
        report.findings().size() + " finding(s), none blocking",
        report,
        null);
  }

  private static Step selectDestination(Stubs stubs, MigrationContext ctx) {
    MigrationContext next =
        ctx.withDestination(stubs.of(AnalysisActivities.class).selectDestination(ctx));
    return new Step(next, "destination host " + next.destination().host(), null, null);
  }

  private static Step computeSpec(Stubs stubs, MigrationContext ctx) {
    MigrationSpec spec = stubs.of(AnalysisActivities.class).computeSpec(ctx);
    return new Step(ctx.withSpec(spec), spec.mode() + " migration", null, spec);
  }

  private static Step registerDestinationVm(Stubs stubs, MigrationContext ctx) {
    VmIdentity vm = stubs.of(DestinationActivities.class).registerDestinationVm(ctx);
    return new Step(ctx.withVm(vm), "registered as " + vm.id(), null, null);
  }

  private static Step reregisterSourceVm(Stubs stubs, MigrationContext ctx) {
    VmIdentity vm = stubs.of(SourceActivities.class).reregisterSourceVm(ctx);
    return new Step(ctx.withVm(vm), "re-registered as " + vm.id(), null, null);
  }

  // The calls that return an outcome, one helper per activity interface.

  private static Call analysis(BiFunction<AnalysisActivities, MigrationContext, ActionOutcome> m) {
    return outcome(AnalysisActivities.class, m);
  }

  private static Call preparation(
      BiFunction<PreparationActivities, MigrationContext, ActionOutcome> m) {
    return outcome(PreparationActivities.class, m);
  }

  private static Call source(BiFunction<SourceActivities, MigrationContext, ActionOutcome> m) {
    return outcome(SourceActivities.class, m);
  }

  private static Call destination(
      BiFunction<DestinationActivities, MigrationContext, ActionOutcome> m) {
    return outcome(DestinationActivities.class, m);
  }

  private static Hook hook(
      Function<PreparationActivities, BiFunction<MigrationContext, HookEvent, ActionOutcome>> m) {
    return (stubs, ctx, event) ->
        Step.of(ctx, m.apply(stubs.of(PreparationActivities.class)).apply(ctx, event));
  }

  private static <A> Call outcome(
      Class<A> activities, BiFunction<A, MigrationContext, ActionOutcome> method) {
    return (stubs, ctx) -> Step.of(ctx, method.apply(stubs.of(activities), ctx));
  }
}

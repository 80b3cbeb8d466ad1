package dev.vmigrate.workflow;

import dev.vmigrate.activity.ActivityNames;
import dev.vmigrate.model.ActionAttempt;
import dev.vmigrate.model.DiskProgress;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.HookEvent;
import dev.vmigrate.model.HookFailure;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationItinerary;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationSearchAttributes;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.MigrationStatus;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.PrecheckFinding;
import dev.vmigrate.model.Severity;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.DynamicSignalHandler;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Runs the action queue: dequeue, register the compensation, run the activity, repeat; pause
 * between actions, hold or roll back on failure, wait in VERIFYING for confirm or rollback.
 */
public class VmMigrationWorkflowImpl implements VmMigrationWorkflow, VmMigrationUpdates {
  private static final Logger log = Workflow.getLogger(VmMigrationWorkflowImpl.class);

  private final ActionRunner runner = new ActionRunner();
  // Replaced at the start by a network-only migration's queue (MigrationItinerary.start).
  private ActionQueue queue = new ActionQueue(MigrationItinerary.PREFIX);
  private final List<String> compensationsRun = new ArrayList<>();
  private final List<String> hookFailures = new ArrayList<>();

  /** Version markers of the post hooks, taken only by migrations whose plan has such hooks. */
  static final String POST_MIGRATION_HOOKS = "post-migration-hooks";

  static final String POST_ROLLBACK_HOOKS = "post-rollback-hooks";

  private MigrationState state = MigrationState.PENDING;
  private MigrationContext ctx;
  private MigrationAction current;
  private String currentStep;
  private String lastError;
  private List<DiskProgress> disks = List.of();
  private List<PrecheckFinding> warnings = List.of();
  private List<PrecheckFinding> blocking = List.of();

  private boolean searchable;
  private MigrationState indexedState;

  private boolean pauseRequested;
  private boolean resumeRequested;
  private boolean rollbackRequested;
  private boolean confirmRequested;

  /** The operator actions, in the order the details offer those that apply. */
  static final List<String> OPERATOR_ACTIONS = List.of("resume", "pause", "confirm", "rollback");

  /** How many ignored signals the details keep, the most recent. */
  static final int IGNORED_SHOWN = 5;

  // Undoing: from the first compensation to ROLLED_BACK, also while a compensation is held.
  private boolean rollingBack;
  // Confirmed and finalising (ConfirmMigration, ReleaseDirectory): past the point of rollback.
  private boolean finalising;
  // The last failed attempt of the running activity, as its worker reported it; null when none.
  private ActionAttempt retry;
  private final List<String> ignored = new ArrayList<>();

  @Override
  public MigrationResult migrate(MigrationRequest request) {
    validate(request);
    // Recorded histories never ask for NETWORK; the marker keeps the choice replayable anyway.
    if (request.options().type() == MigrationType.NETWORK
        && Workflow.getVersion("network-only-itinerary", Workflow.DEFAULT_VERSION, 1) == 1) {
      queue = new ActionQueue(MigrationItinerary.start(MigrationType.NETWORK));
    }
    ctx = MigrationContext.start(Workflow.getInfo().getWorkflowId(), request);
    // A misspelt signal name would otherwise be dropped without a word.
    Workflow.registerListener(
        (DynamicSignalHandler)
            (name, args) ->
                ignore(
                    "`"
                        + printable(name)
                        + "` ignored: no such signal (the migration takes "
                        + String.join(", ", OPERATOR_ACTIONS)
                        + ")"));
    // Started with vmigrate's search attributes means they are registered: keep them current.
    searchable =
        Workflow.getTypedSearchAttributes().containsKey(MigrationSearchAttributes.MIGRATION_STATE);
    state = MigrationState.RUNNING;
    publish();
    try {
      if (!runQueue()) {
        return rollBack();
      }
      if (request.options().verify() && !awaitConfirmation(request.options().autoConfirmAfter())) {
        return rollBack();
      }
      if (!runPostMigrationHooks()) {
        return rollBack();
      }
      finalising = true;
      currentStep = ActivityNames.CONFIRM_MIGRATION;
      holding(() -> runner.confirm(ctx));
      currentStep = ActivityNames.RELEASE_DIRECTORY;
      holding(() -> runner.releaseReservation(ctx));
      currentStep = null;
      current = null;
      state = MigrationState.COMPLETED;
      publish();
      return result();
    } catch (CanceledFailure cancelled) {
      // Cancelling the workflow rolls back; the detached scope lets compensations run to the end.
      Workflow.newDetachedCancellationScope(this::rollBack).run();
      throw cancelled;
    }
  }

  /** Runs actions until the queue is empty (true) or a rollback is due (false). */
  private boolean runQueue() {
    while (!queue.isEmpty()) {
      if (rollbackRequested) {
        return false;
      }
      MigrationAction action = queue.head();
      current = action;
      currentStep = action.activityName();
      if (pauseRequested) {
        state = MigrationState.PAUSED;
        publish();
        Workflow.await(() -> !pauseRequested || rollbackRequested);
        if (rollbackRequested) {
          return false;
        }
        state = MigrationState.RUNNING;
        publish();
      }
      queue.registerCompensationFor(action);
      publish();
      try {
        ActionRunner.Step step = runInterruptibly(action);
        apply(step);
        queue.completeHead();
        if (step.spec() != null) {
          queue.append(step.spec().itinerary());
        }
        disks = List.of();
        lastError = null;
        publish();
      } catch (ActivityFailure failure) {
        if (rollbackRequested && isCancellation(failure)) {
          return false;
        }
        lastError = action.activityName() + " failed: " + rootMessage(failure);
        blocking = blockingFindings(failure);
        log.warn("{} for {}", lastError, ctx.migrationId());
        if (action.isHook()) {
          if (!afterHookFailure()) {
            return false;
          }
          continue;
        }
        if (ctx.request().options().failurePolicy() == FailurePolicy.ROLLBACK) {
          return false;
        }
        if (!holdForOperator()) {
          return false;
        }
      }
    }
    current = null;
    currentStep = null;
    return true;
  }

  /**
   * Runs the action in its own cancellation scope so that a rollback signal can stop a long
   * relocate; activities use WAIT_CANCELLATION_COMPLETED, so when this returns nothing is still
   * running in vSphere on the action's behalf.
   */
  private ActionRunner.Step runInterruptibly(MigrationAction action) {
    MigrationContext input = ctx;
    // The one hook the queue runs (AFTER_MIGRATION): the migration is complete but not finalised.
    HookEvent event =
        action == MigrationAction.INVOKE_POST_MIGRATION_HOOKS
            ? hookEvent(HookEvent.POST_MIGRATION, MigrationState.COMPLETED, null)
            : null;
    List<Promise<ActionRunner.Step>> holder = new ArrayList<>(1);
    CancellationScope scope =
        Workflow.newCancellationScope(
            () -> holder.add(Async.function(() -> runner.run(action, input, event))));
    scope.run();
    Promise<ActionRunner.Step> promise = holder.get(0);
    retry = null;
    Workflow.await(() -> promise.isCompleted() || rollbackRequested);
    if (!promise.isCompleted()) {
      scope.cancel("rollback requested");
    }
    try {
      return promise.get();
    } finally {
      retry = null;
    }
  }

  private void apply(ActionRunner.Step step) {
    ctx = step.ctx();
    if (step.prechecks() != null) {
      warnings =
          step.prechecks().findings().stream()
              .filter(f -> f.severity() == Severity.WARNING)
              .toList();
      blocking = List.of();
    }
  }

  /** The findings a failed InvokePrechecks carries as its details; none for other failures. */
  private static List<PrecheckFinding> blockingFindings(ActivityFailure failure) {
    if (failure.getCause() instanceof ApplicationFailure af
        && FailureTypes.PRECHECK_FAILED.equals(af.getType())
        && af.getDetails().getSize() > 0) {
      PrecheckFinding[] found = af.getDetails().get(0, PrecheckFinding[].class);
      return found == null ? List.of() : List.of(found);
    }
    return List.of();
  }

  /**
   * Queues the post-migration hooks once the migration is confirmed, when the plan has any, and
   * runs them as the queue runs any action; false when a held hook is rolled back. Recorded
   * histories have no such hooks and never reach the version marker.
   */
  private boolean runPostMigrationHooks() {
    if (ctx.request().options().postMigrationHooks().isEmpty()
        || Workflow.getVersion(POST_MIGRATION_HOOKS, Workflow.DEFAULT_VERSION, 1)
            == Workflow.DEFAULT_VERSION) {
      return true;
    }
    state = MigrationState.RUNNING;
    queue.append(MigrationItinerary.AFTER_MIGRATION);
    return runQueue();
  }

  /**
   * A hook action at the head of the queue failed after its retries: under IGNORE it is recorded
   * and dequeued (true); under HOLD the migration holds, true to call it again, false to roll back.
   */
  private boolean afterHookFailure() {
    if (ctx.request().options().hookFailure() == HookFailure.IGNORE) {
      lastError = lastError + " (ignored: hookFailure IGNORE)";
      hookFailures.add(lastError);
      queue.completeHead();
      publish();
      return true;
    }
    return holdForOperator();
  }

  /**
   * Calls the post-rollback hooks once the rollback is recorded, when the plan has any: under HOLD
   * the workflow holds until resumed (the VM is back and unlocked meanwhile), under IGNORE a
   * failure is recorded in the result.
   */
  private void runPostRollbackHooks(String cause) {
    if (ctx.request().options().postRollbackHooks().isEmpty()
        || Workflow.getVersion(POST_ROLLBACK_HOOKS, Workflow.DEFAULT_VERSION, 1)
            == Workflow.DEFAULT_VERSION) {
      return;
    }
    HookEvent event = hookEvent(HookEvent.POST_ROLLBACK, MigrationState.ROLLED_BACK, cause);
    for (MigrationAction hook : MigrationItinerary.AFTER_ROLLBACK) {
      current = hook;
      currentStep = hook.activityName();
      publish();
      if (ctx.request().options().hookFailure() == HookFailure.IGNORE) {
        try {
          runner.run(hook, ctx, event);
        } catch (ActivityFailure failure) {
          String error =
              hook.activityName()
                  + " failed: "
                  + rootMessage(failure)
                  + " (ignored: hookFailure IGNORE)";
          log.warn("{} for {}", error, ctx.migrationId());
          hookFailures.add(error);
        }
      } else {
        holding(() -> runner.run(hook, ctx, event));
        lastError = cause;
      }
    }
  }

  /** The outcome a hook reports, keyed by the migration's first run so retries send one key. */
  private HookEvent hookEvent(String event, MigrationState result, String error) {
    String run = Workflow.getInfo().getFirstExecutionRunId();
    if (run == null || run.isEmpty()) {
      run = Workflow.getInfo().getRunId();
    }
    return HookEvent.of(event, ctx.migrationId(), run, result, error);
  }

  /** FAILED_WAITING: true to retry the action at the head of the queue, false to roll back. */
  private boolean holdForOperator() {
    state = MigrationState.FAILED_WAITING;
    resumeRequested = false;
    publish();
    Workflow.await(() -> resumeRequested || rollbackRequested);
    if (rollbackRequested) {
      return false;
    }
    resumeRequested = false;
    state = MigrationState.RUNNING;
    return true;
  }

  /** VERIFYING: true when confirmed (by signal or the auto-confirm window), false for rollback. */
  private boolean awaitConfirmation(Duration autoConfirmAfter) {
    state = MigrationState.VERIFYING;
    current = null;
    currentStep = null;
    publish();
    if (autoConfirmAfter != null) {
      Workflow.await(autoConfirmAfter, () -> confirmRequested || rollbackRequested);
    } else {
      Workflow.await(() -> confirmRequested || rollbackRequested);
    }
    return !rollbackRequested;
  }

  /** Pops the compensation stack to the bottom, then records the rollback on the VM. */
  private MigrationResult rollBack() {
    String cause = lastError;
    state = MigrationState.ROLLING_BACK;
    rollingBack = true;
    publish();
    MigrationAction action;
    while ((action = queue.nextCompensation()) != null) {
      MigrationAction undo = action;
      current = undo;
      currentStep = undo.compensationName();
      publish();
      ActionRunner.Step step = holding(() -> runner.compensate(undo, ctx));
      ctx = step.ctx();
      compensationsRun.add(undo.compensationName());
      queue.compensationDone();
    }
    current = null;
    currentStep = ActivityNames.RECORD_ROLLBACK;
    holding(() -> runner.recordRollback(ctx));
    runPostRollbackHooks(cause);
    current = null;
    currentStep = null;
    state = MigrationState.ROLLED_BACK;
    publish();
    return result();
  }

  /**
   * Runs a step that must not be abandoned (a compensation, a finalisation): when it still fails
   * after its retries, hold in FAILED_WAITING until an operator has fixed the cause and resumes.
   */
  private <T> T holding(Supplier<T> step) {
    while (true) {
      retry = null;
      try {
        return step.get();
      } catch (ActivityFailure failure) {
        retry = null;
        MigrationState was = state;
        lastError = currentStep + " failed: " + rootMessage(failure);
        log.warn("{} for {}; holding for an operator", lastError, ctx.migrationId());
        state = MigrationState.FAILED_WAITING;
        resumeRequested = false;
        publish();
        Workflow.await(() -> resumeRequested);
        resumeRequested = false;
        state = was;
        publish();
      }
    }
  }

  @Override
  public void pause() {
    signalled("pause", () -> pauseRequested = true);
  }

  @Override
  public void resume() {
    signalled("resume", this::applyResume);
  }

  @Override
  public void rollback() {
    signalled("rollback", this::applyRollback);
  }

  @Override
  public void confirm() {
    signalled("confirm", () -> confirmRequested = true);
  }

  @Override
  public String pauseUpdate() {
    pauseRequested = true;
    return accepted("pause", "pauses before the next action");
  }

  @Override
  public void validatePause() {
    refuseUnlessApplies("pause");
  }

  @Override
  public String resumeUpdate() {
    applyResume();
    return accepted("resume", "resumes");
  }

  @Override
  public void validateResume() {
    refuseUnlessApplies("resume");
  }

  @Override
  public String rollbackUpdate() {
    applyRollback();
    return accepted("rollback", "rolls back");
  }

  @Override
  public void validateRollback() {
    refuseUnlessApplies("rollback");
  }

  @Override
  public String confirmUpdate() {
    confirmRequested = true;
    return accepted("confirm", "is confirmed and finalises");
  }

  @Override
  public void validateConfirm() {
    refuseUnlessApplies("confirm");
  }

  @Override
  public void actionAttemptFailed(ActionAttempt attempt) {
    // Only about the activity running now: a report that arrives late names another one.
    if (attempt != null && currentStep != null && currentStep.equals(attempt.activity())) {
      retry = attempt;
      publishDetails();
    }
  }

  private void applyResume() {
    pauseRequested = false;
    if (state == MigrationState.FAILED_WAITING) {
      resumeRequested = true;
    }
  }

  private void applyRollback() {
    rollbackRequested = true;
    pauseRequested = false;
  }

  /** A signal applies as its Update would, or is recorded as ignored with the reason. */
  private void signalled(String action, Runnable apply) {
    String refusal = refusal(action);
    if (refusal == null) {
      apply.run();
    } else {
      ignore(action + " ignored: " + refusal);
    }
  }

  private void refuseUnlessApplies(String action) {
    String refusal = refusal(action);
    if (refusal != null) {
      throw new IllegalStateException(action + " refused: " + refusal);
    }
  }

  private String accepted(String action, String effect) {
    publishDetails();
    return action + " accepted: the migration (" + state + ") " + effect;
  }

  /** Why an operator action does not apply now, or null when it does. */
  String refusal(String action) {
    String is = "the migration is " + describeState();
    return switch (action) {
      case "pause" -> {
        if (rollingBack || finalising || state.terminal()) {
          yield is;
        }
        if (state != MigrationState.PENDING && state != MigrationState.RUNNING) {
          yield is + "; pause applies to a running migration";
        }
        yield pauseRequested ? "a pause is already requested" : null;
      }
      case "resume" ->
          state == MigrationState.PAUSED
                  || state == MigrationState.FAILED_WAITING
                  || (pauseRequested && !state.terminal())
              ? null
              : is + "; resume applies to a paused or held migration";
      case "rollback" -> {
        if (rollingBack || finalising || state.terminal()) {
          yield is;
        }
        yield rollbackRequested ? "a rollback is already requested" : null;
      }
      case "confirm" -> {
        if (state != MigrationState.VERIFYING || finalising || rollbackRequested) {
          yield is + "; confirm applies to a migration in VERIFYING";
        }
        yield confirmRequested ? "it is already confirmed" : null;
      }
      default -> "no such action";
    };
  }

  private String describeState() {
    if (finalising && !state.terminal()) {
      return state + ", confirmed and finalising";
    }
    if (rollingBack && state == MigrationState.FAILED_WAITING) {
      return "FAILED_WAITING while rolling back";
    }
    return state.toString();
  }

  private void ignore(String note) {
    ignored.add(note);
    if (ignored.size() > IGNORED_SHOWN) {
      ignored.remove(0);
    }
    log.info("{} for {}", note, Workflow.getInfo().getWorkflowId());
    publishDetails();
  }

  /** A name as the details may show it: bounded, and without what Markdown would interpret. */
  private static String printable(String name) {
    String bounded = name == null ? "" : name.length() > 64 ? name.substring(0, 64) + "..." : name;
    return bounded.replaceAll("[^A-Za-z0-9._\\-]", "?");
  }

  @Override
  public void diskProgress(List<DiskProgress> progress) {
    if (state == MigrationState.RUNNING && current != null && current.movesData()) {
      disks = List.copyOf(progress);
    }
  }

  @Override
  public MigrationStatus status() {
    return new MigrationStatus(
        ctx == null ? Workflow.getInfo().getWorkflowId() : ctx.migrationId(),
        state,
        ctx == null ? null : ctx.vm(),
        current,
        queue.done(),
        queue.queued(),
        percent(),
        disks,
        lastError,
        ctx == null ? null : ctx.origin(),
        ctx == null ? null : ctx.destination(),
        ctx == null || ctx.spec() == null ? null : ctx.spec().mode(),
        warnings,
        blocking);
  }

  private int percent() {
    if (state == MigrationState.COMPLETED || state == MigrationState.VERIFYING) {
      return 100;
    }
    long bytes = ctx == null || ctx.spec() == null ? 0 : ctx.spec().bytesToMove();
    return queue.percent(bytes, disks);
  }

  private MigrationResult result() {
    return new MigrationResult(
        state,
        ctx.vm(),
        ctx.origin(),
        ctx.destination(),
        queue.done(),
        List.copyOf(compensationsRun),
        lastError,
        List.copyOf(hookFailures));
  }

  private void publish() {
    if (searchable && state != indexedState) {
      indexedState = state;
      Workflow.upsertTypedSearchAttributes(
          MigrationSearchAttributes.MIGRATION_STATE.valueSet(state.name()));
    }
    publishDetails();
  }

  /** The details only; safe from a handler, as it records nothing in the history. */
  private void publishDetails() {
    if (ctx == null) {
      return;
    }
    Workflow.setCurrentDetails(
        CurrentDetails.markdown(
            new CurrentDetails.View(
                ctx,
                state,
                rollingBack,
                current,
                currentStep,
                percent(),
                lastError,
                queue.done(),
                queue.queued(),
                List.copyOf(compensationsRun),
                queue.pendingCompensations(),
                retry,
                List.copyOf(ignored),
                OPERATOR_ACTIONS.stream().filter(a -> refusal(a) == null).toList())));
  }

  private static void validate(MigrationRequest request) {
    List<String> problems = new ArrayList<>();
    if (request == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "request: is required", FailureTypes.INVALID_REQUEST);
    }
    if (request.vm() == null || request.vm().isBlank()) {
      problems.add("vm: is required (managed object id or instance UUID)");
    }
    if (request.mapping() == null) {
      problems.add("mapping: is required");
    } else {
      if (request.mapping().sourceVcenter() == null) {
        problems.add("mapping.sourceVcenter: is required");
      }
      if (request.mapping().destinationVcenter() == null) {
        problems.add("mapping.destinationVcenter: is required");
      }
      if (request.options() != null && request.options().type() == MigrationType.NETWORK) {
        problems.addAll(request.mapping().networkOnlyProblems());
      }
    }
    // Refused at start, before anything moves: an option Temporal cannot hold (an auto-confirm
    // window of a billion days) would otherwise fail every workflow task once the VM is moved.
    if (request.options() != null) {
      problems.addAll(request.options().problems());
    }
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          String.join("; ", problems), FailureTypes.INVALID_REQUEST);
    }
  }

  private static boolean isCancellation(ActivityFailure failure) {
    return failure.getCause() instanceof CanceledFailure;
  }

  /** The innermost failure's message, which is the activity's own words. */
  static String rootMessage(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof TemporalFailure tf && tf.getOriginalMessage() != null) {
      return tf.getOriginalMessage();
    }
    return t.getMessage();
  }
}

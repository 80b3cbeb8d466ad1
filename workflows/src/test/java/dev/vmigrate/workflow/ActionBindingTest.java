package dev.vmigrate.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.activity.AnalysisActivities;
import dev.vmigrate.activity.DestinationActivities;
import dev.vmigrate.activity.FinalizationActivities;
import dev.vmigrate.activity.PreparationActivities;
import dev.vmigrate.activity.SourceActivities;
import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.Destination;
import dev.vmigrate.model.HookEvent;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationSpec;
import dev.vmigrate.model.PrecheckReport;
import dev.vmigrate.model.VmIdentity;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The table that binds each action to its activity: complete, and each call reaches the activity
 * type its action names, on one of the interfaces the migration worker registers.
 */
class ActionBindingTest {

  /** The activity interfaces whose implementations the migration worker registers. */
  static final Set<Class<?>> REGISTERED =
      Set.of(
          AnalysisActivities.class,
          PreparationActivities.class,
          SourceActivities.class,
          DestinationActivities.class,
          FinalizationActivities.class);

  private final MigrationContext ctx =
      MigrationContext.start("wf-1", MigrationFixtures.request(MigrationOptions.defaults()));

  /** Stubs that record which activity methods a call invokes and answer with fixtures. */
  private static final class RecordingStubs implements ActionBinding.Stubs {
    final List<Method> invoked = new ArrayList<>();

    @Override
    public <T> T of(Class<T> activities) {
      assertTrue(REGISTERED.contains(activities), activities + " is not registered by the worker");
      return activities.cast(
          Proxy.newProxyInstance(
              activities.getClassLoader(),
              new Class<?>[] {activities},
              (proxy, method, args) -> {
                invoked.add(method);
                return answer(method.getReturnType());
              }));
    }

    private static Object answer(Class<?> type) {
      if (type == PrecheckReport.class) {
        return MigrationFixtures.prechecks();
      } else if (type == Destination.class) {
        return MigrationFixtures.destination();
      } else if (type == MigrationSpec.class) {
        return MigrationFixtures.hotSpec();
      } else if (type == VmIdentity.class) {
        return MigrationFixtures.VM;
      }
      return ActionOutcome.done("ok");
    }

    /** The activity type of the one method the call invoked. */
    String onlyActivityType() {
      assertEquals(1, invoked.size(), "one activity per call: " + invoked);
      ActivityMethod a = invoked.get(0).getAnnotation(ActivityMethod.class);
      assertNotNull(a, invoked.get(0) + " declares no activity type");
      return a.name();
    }
  }

  @Test
  void everyActionIsBound() {
    assertEquals(EnumSet.allOf(MigrationAction.class), ActionBinding.TABLE.keySet());
  }

  @Test
  void everyActionCallsTheActivityItIsNamedAfter() {
    for (MigrationAction action : MigrationAction.values()) {
      RecordingStubs stubs = new RecordingStubs();
      ActionBinding b = ActionBinding.TABLE.get(action);
      ActionRunner.Step step =
          action.isHook()
              ? b.hook().run(stubs, ctx, HookEvent.of("test", "wf-1", "run-1", null, null))
              : b.action().run(stubs, ctx);
      assertEquals(action.activityName(), stubs.onlyActivityType(), action.name());
      assertEquals(action.isHook(), b.hook() != null, action + ": bound as a hook or an action");
      assertNotNull(step.ctx(), action.name());
    }
  }

  @Test
  void everyCompensationIsBoundAndCallsTheActivityItIsNamedAfter() {
    for (MigrationAction action : MigrationAction.values()) {
      ActionBinding.Call undo = ActionBinding.TABLE.get(action).compensation();
      if (!action.hasCompensation()) {
        assertNull(undo, action + " changes nothing, so nothing undoes it");
        continue;
      }
      assertNotNull(undo, action + " names " + action.compensationName() + " but binds none");
      RecordingStubs stubs = new RecordingStubs();
      undo.run(stubs, ctx);
      assertEquals(action.compensationName(), stubs.onlyActivityType(), action.name());
    }
  }

  @Test
  void dataMovingActionsAndOnlyThoseFollowTheirTaskForHours() {
    for (MigrationAction action : MigrationAction.values()) {
      ActionOptions.Profile p = ActionBinding.TABLE.get(action).options();
      assertNotNull(p, action.name());
      assertEquals(action.movesData(), p == ActionOptions.DATA_MOVER, action.name());
    }
  }

  @Test
  void theBoundOptionsAreTheOnesEachKindOfActionHadBefore() {
    MigrationOptions plan = MigrationOptions.defaults();
    assertEquals(
        Duration.ofMinutes(2),
        options(MigrationAction.COMPUTE_SPEC, plan).getStartToCloseTimeout());
    assertEquals(
        Duration.ofMinutes(10),
        options(MigrationAction.SWITCH_HOST_AND_POOL, plan).getStartToCloseTimeout());
    assertEquals(
        Duration.ofHours(24),
        options(MigrationAction.CREATE_DESTINATION_VM, plan).getStartToCloseTimeout());
    assertEquals(
        plan.guestShutdownTimeout().plus(Duration.ofMinutes(5)),
        options(MigrationAction.POWER_OFF_SOURCE, plan).getStartToCloseTimeout());
    assertEquals(
        6, options(MigrationAction.PREPARE_SOURCE, plan).getRetryOptions().getMaximumAttempts());
    assertEquals(
        5, options(MigrationAction.RELAYOUT_SNAPSHOT, plan).getRetryOptions().getMaximumAttempts());
  }

  private static ActivityOptions options(MigrationAction action, MigrationOptions plan) {
    return ActionOptions.forAction(ActionBinding.TABLE.get(action).options(), plan, "test");
  }
}

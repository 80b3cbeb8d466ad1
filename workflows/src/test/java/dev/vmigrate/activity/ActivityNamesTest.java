package dev.vmigrate.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.request.LedgerActivities;
import dev.vmigrate.request.MigrationWatchActivities;
import io.temporal.activity.ActivityMethod;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every activity method names its type with a constant, and every constant names one method. */
class ActivityNamesTest {

  static final List<Class<?>> INTERFACES =
      List.of(
          AnalysisActivities.class,
          PreparationActivities.class,
          SourceActivities.class,
          DestinationActivities.class,
          FinalizationActivities.class,
          MigrationWatchActivities.class,
          LedgerActivities.class);

  /** The activity types the interfaces declare, each read from its annotation. */
  static Set<String> declaredTypes() {
    Set<String> types = new HashSet<>();
    for (Class<?> type : INTERFACES) {
      for (Method m : type.getDeclaredMethods()) {
        ActivityMethod a = m.getAnnotation(ActivityMethod.class);
        assertNotNull(a, type.getSimpleName() + "." + m.getName() + " has no @ActivityMethod");
        assertFalse(a.name().isEmpty(), m.getName() + " leaves its type to the method name");
        assertTrue(types.add(a.name()), a.name() + " is declared twice");
      }
    }
    return types;
  }

  static List<String> constants() throws IllegalAccessException {
    List<String> names = new ArrayList<>();
    for (Field f : ActivityNames.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        names.add((String) f.get(null));
      }
    }
    return names;
  }

  @Test
  void everyActivityMethodIsNamedByAConstantAndEveryConstantByAMethod() throws Exception {
    assertEquals(Set.copyOf(constants()), declaredTypes());
    assertEquals(constants().size(), Set.copyOf(constants()).size(), "a constant is repeated");
  }

  @Test
  void theTypesAreTheOnesRecordedHistoriesName() {
    // Spelled out, not derived: a renamed method or constant must not slip through.
    assertEquals("InvokePrechecks", ActivityNames.INVOKE_PRECHECKS);
    assertEquals("ReregisterSourceVm", ActivityNames.REREGISTER_SOURCE_VM);
    assertEquals("SwitchBackHostAndPool", ActivityNames.SWITCH_BACK_HOST_AND_POOL);
    assertEquals("InvokeRollbackCallbacks", ActivityNames.INVOKE_ROLLBACK_CALLBACKS);
    assertEquals("AwaitMigration", ActivityNames.AWAIT_MIGRATION);
    assertEquals("RecordRequestState", ActivityNames.RECORD_REQUEST_STATE);
  }

  @Test
  void everyActionAndCompensationIsADeclaredType() {
    Set<String> declared = declaredTypes();
    for (MigrationAction a : MigrationAction.values()) {
      assertTrue(declared.contains(a.activityName()), a.activityName());
      if (a.hasCompensation()) {
        assertTrue(declared.contains(a.compensationName()), a.compensationName());
      }
    }
  }
}

package dev.vmigrate.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.activity.ActivityNames;
import dev.vmigrate.activity.impl.ActivitySettings;
import dev.vmigrate.model.MigrationAction;
import io.temporal.common.metadata.POJOActivityImplMetadata;
import io.temporal.common.metadata.POJOActivityMethodMetadata;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every activity type the migration workflow schedules is one the worker registers, as Temporal
 * itself reads the types from the registered implementations.
 */
class RegisteredActivityTypesTest {

  @Test
  void theWorkerRegistersEveryActionCompensationAndFinalisation() {
    Set<String> registered = new HashSet<>();
    ActivityBundle bundle =
        ActivityBundle.create(
            id -> {
              throw new AssertionError("no vCenter is reached while registering");
            },
            ActivitySettings.defaults());
    for (Object impl : bundle.all()) {
      POJOActivityImplMetadata.newInstance(impl.getClass()).getActivityMethods().stream()
          .map(POJOActivityMethodMetadata::getActivityTypeName)
          .forEach(registered::add);
    }

    Set<String> scheduled = new HashSet<>();
    for (MigrationAction a : MigrationAction.values()) {
      scheduled.add(a.activityName());
      if (a.hasCompensation()) {
        scheduled.add(a.compensationName());
      }
    }
    scheduled.add(ActivityNames.CONFIRM_MIGRATION);
    scheduled.add(ActivityNames.RECORD_ROLLBACK);
    for (String type : scheduled) {
      assertTrue(registered.contains(type), type + " is scheduled but not registered");
    }
  }
}

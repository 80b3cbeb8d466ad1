package dev.vmigrate.worker;

import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.recovery.VmRecoveryWorkflowImpl;
import dev.vmigrate.request.MigrationWatchActivitiesImpl;
import dev.vmigrate.request.PlanRequestWorkflowImpl;
import dev.vmigrate.workflow.VmMigrationWorkflowImpl;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the migration workflow and activities on one task queue per vCenter, so that limits and
 * credentials stay per vCenter.
 */
public final class MigrationWorker {
  private static final Logger log = LoggerFactory.getLogger(MigrationWorker.class);

  private MigrationWorker() {}

  /** Creates a worker per vCenter task queue on the factory; the caller starts the factory. */
  public static void addTo(
      WorkerFactory factory,
      Collection<String> vcenterIds,
      ActivityBundle activities,
      WorkerProperties props) {
    WorkerOptions options = workerOptions(props);
    for (String id : vcenterIds) {
      Worker worker = factory.newWorker(MigrationIds.taskQueue(id), options);
      register(worker, activities);
      // Requests run on their source vCenter's queue (the API starts them there); the watcher
      // follows migrations a request run inherited across continue-as-new.
      worker.registerWorkflowImplementationTypes(PlanRequestWorkflowImpl.class);
      worker.registerActivitiesImplementations(
          new MigrationWatchActivitiesImpl(factory.getWorkflowClient()));
      log.info("worker registered on task queue {}", MigrationIds.taskQueue(id));
    }
  }

  /**
   * How long at most between two heartbeats that reach the server. A rollback or cancel reaches a
   * running relocate through the answer to a heartbeat, so this bounds how long the relocate goes
   * on after the operator's signal (the SDK's default allows up to a minute).
   */
  public static final Duration HEARTBEAT_THROTTLE = Duration.ofSeconds(5);

  /** The options of every migration worker; shared with the tests. */
  public static WorkerOptions workerOptions(WorkerProperties props) {
    return WorkerOptions.newBuilder()
        .setMaxConcurrentActivityExecutionSize(props.maxConcurrentActivities())
        .setMaxConcurrentWorkflowTaskExecutionSize(props.maxConcurrentWorkflowTasks())
        .setMaxHeartbeatThrottleInterval(HEARTBEAT_THROTTLE)
        .build();
  }

  /**
   * Registers everything a VM migration (and a recovery after lost state) needs on one worker;
   * shared with the tests.
   */
  public static void register(Worker worker, ActivityBundle activities) {
    worker.registerWorkflowImplementationTypes(VmMigrationWorkflowImpl.class);
    // vmigrate recover's cleanups run beside the migrations, on the same queue and activities.
    worker.registerWorkflowImplementationTypes(VmRecoveryWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities.all());
  }
}

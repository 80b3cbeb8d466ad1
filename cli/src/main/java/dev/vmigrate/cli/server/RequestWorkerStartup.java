package dev.vmigrate.cli.server;

import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.request.MigrationWatchActivitiesImpl;
import dev.vmigrate.request.PlanRequestWorkflowImpl;
import dev.vmigrate.worker.ConfiguredGateways;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.order.Ordered;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import jakarta.inject.Singleton;

/**
 * Adds the plan requests to each vCenter's worker: the API starts a request's workflow on the
 * source vCenter's task queue, and the request watches its VM migrations from there. Runs after the
 * worker module has created those workers and before the factory starts ({@link AllInOneServer}
 * starts it once every part has registered).
 */
@Singleton
@Requires(property = "vmigrate.worker.enabled", notEquals = "false")
public class RequestWorkerStartup implements ApplicationEventListener<StartupEvent>, Ordered {
  private final WorkerFactory factory;
  private final WorkflowClient client;
  private final ConfiguredGateways vcenters;

  public RequestWorkerStartup(
      WorkerFactory factory, WorkflowClient client, ConfiguredGateways vcenters) {
    this.factory = factory;
    this.client = client;
    this.vcenters = vcenters;
  }

  @Override
  public void onApplicationEvent(StartupEvent event) {
    MigrationWatchActivitiesImpl watch = new MigrationWatchActivitiesImpl(client);
    for (String id : vcenters.ids()) {
      var worker = factory.getWorker(MigrationIds.taskQueue(id));
      worker.registerWorkflowImplementationTypes(PlanRequestWorkflowImpl.class);
      worker.registerActivitiesImplementations(watch);
    }
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE; // after the worker module's WorkerStarter created the workers
  }
}

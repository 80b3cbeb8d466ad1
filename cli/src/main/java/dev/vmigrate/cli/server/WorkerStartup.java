package dev.vmigrate.cli.server;

import dev.vmigrate.activity.impl.ActivitySettings;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.request.MigrationWatchActivitiesImpl;
import dev.vmigrate.request.PlanRequestWorkflowImpl;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.worker.ActivityBundle;
import dev.vmigrate.worker.MigrationWorker;
import dev.vmigrate.worker.VcenterProperties;
import dev.vmigrate.worker.WorkerProperties;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;

/**
 * Adds the migration workers to the process's {@link WorkerFactory} when the context starts: one
 * task queue per configured vCenter, carrying the VM migrations and the plan requests whose source
 * is that vCenter. Workers must exist before the factory starts, and the API's ledger worker starts
 * it on server start-up, which comes after this; {@link AllInOneServer} starts it otherwise.
 */
@Singleton
@Requires(property = "vmigrate.worker.enabled", notEquals = "false")
public class WorkerStartup implements ApplicationEventListener<StartupEvent> {
  private final WorkerFactory factory;
  private final WorkflowClient client;
  private final GatewayRegistry gateways;
  private final Collection<VcenterProperties> vcenters;
  private final WorkerProperties props;

  public WorkerStartup(
      WorkerFactory factory,
      WorkflowClient client,
      GatewayRegistry gateways,
      Collection<VcenterProperties> vcenters,
      WorkerProperties props) {
    this.factory = factory;
    this.client = client;
    this.gateways = gateways;
    this.vcenters = vcenters;
    this.props = props;
  }

  @Override
  public void onApplicationEvent(StartupEvent event) {
    List<String> ids = vcenters.stream().map(VcenterProperties::id).toList();
    MigrationWorker.addTo(
        factory, ids, ActivityBundle.create(gateways, ActivitySettings.defaults()), props);
    MigrationWatchActivitiesImpl watch = new MigrationWatchActivitiesImpl(client);
    for (String id : ids) {
      Worker worker = factory.getWorker(MigrationIds.taskQueue(id));
      worker.registerWorkflowImplementationTypes(PlanRequestWorkflowImpl.class);
      worker.registerActivitiesImplementations(watch);
    }
  }
}

package dev.vmigrate.worker;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.temporal.worker.WorkerFactory;
import jakarta.inject.Singleton;

/**
 * On start-up, registers the migration workers, one task queue per configured vCenter, and starts
 * polling unless another component starts the shared factory later.
 */
@Singleton
@Requires(property = "vmigrate.worker.enabled", notEquals = "false")
public class WorkerStarter implements ApplicationEventListener<StartupEvent> {
  private final WorkerFactory factory;
  private final ConfiguredGateways vcenters;
  private final ActivityBundle activities;
  private final WorkerProperties props;

  public WorkerStarter(
      WorkerFactory factory,
      ConfiguredGateways vcenters,
      ActivityBundle activities,
      WorkerProperties props) {
    this.factory = factory;
    this.vcenters = vcenters;
    this.activities = activities;
    this.props = props;
  }

  @Override
  public void onApplicationEvent(StartupEvent event) {
    MigrationWorker.addTo(factory, vcenters.ids(), activities, props);
    if (props.startFactory()) {
      factory.start();
    }
  }
}

package dev.vmigrate.worker;

import io.micronaut.context.annotation.Requires;
import io.temporal.worker.WorkerFactory;
import jakarta.inject.Singleton;

/**
 * The migration workers of this process, one task queue per configured vCenter; the process that
 * owns the worker factory registers them on it before starting it.
 */
@Singleton
@Requires(property = "vmigrate.worker.enabled", notEquals = "false")
public class MigrationWorkers {
  private final ConfiguredGateways vcenters;
  private final ActivityBundle activities;
  private final WorkerProperties props;

  public MigrationWorkers(
      ConfiguredGateways vcenters, ActivityBundle activities, WorkerProperties props) {
    this.vcenters = vcenters;
    this.activities = activities;
    this.props = props;
  }

  /** Adds one worker per vCenter task queue to a factory that has not started yet. */
  public void registerOn(WorkerFactory factory) {
    MigrationWorker.addTo(factory, vcenters.ids(), activities, props);
  }
}

package dev.vmigrate.api.support;

import dev.vmigrate.api.temporal.TemporalFactory;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.vsphere.GatewayRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import jakarta.inject.Singleton;

/**
 * Test wiring: the fake inventories and Temporal's in-process test server in place of real ones.
 */
@Factory
public class TestBeans {

  /** Both fake vCenters, so that tests can change the inventory (e.g. mark a VM migrated). */
  public record Vcenters(FakeVsphere src, FakeVsphere dst) {}

  @Singleton
  Vcenters vcenters() {
    return new Vcenters(FakeVsphere.source(), FakeVsphere.destination());
  }

  @Singleton
  GatewayRegistry gatewayRegistry(Vcenters v) {
    return FakeVsphere.registry(v.src(), v.dst());
  }

  @Singleton
  @Bean(preDestroy = "close")
  TestWorkflowEnvironment testEnvironment() {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    Worker w = env.newWorker(MigrationIds.taskQueue("src"));
    w.registerWorkflowImplementationTypes(FakeRequestWorkflow.class, FakeVmMigration.class);
    return env;
  }

  @Singleton
  @Replaces(bean = WorkflowClient.class, factory = TemporalFactory.class)
  WorkflowClient workflowClient(TestWorkflowEnvironment env) {
    return env.getWorkflowClient();
  }

  @Singleton
  @Replaces(bean = WorkerFactory.class, factory = TemporalFactory.class)
  WorkerFactory workerFactory(TestWorkflowEnvironment env) {
    return env.getWorkerFactory();
  }
}

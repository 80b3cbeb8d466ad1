package dev.vmigrate.api.support;

import dev.vmigrate.api.temporal.TemporalFactory;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
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

  /** Both simulated vCenters, so that tests can look up ids and change the inventory. */
  public record Vcenters(SimulatedVsphere src, SimulatedVsphere dst) {}

  @Singleton
  Vcenters vcenters() {
    return new Vcenters(TestVcenters.source(), TestVcenters.destination());
  }

  @Singleton
  GatewayRegistry gatewayRegistry(Vcenters v) {
    return TestVcenters.registry(v.src(), v.dst());
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

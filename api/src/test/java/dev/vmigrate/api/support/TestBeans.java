package dev.vmigrate.api.support;

import dev.vmigrate.api.temporal.LedgerWorker;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import jakarta.inject.Singleton;
import java.util.Optional;

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
  WorkflowClient workflowClient(TestWorkflowEnvironment env) {
    return env.getWorkflowClient();
  }

  @Singleton
  WorkerFactory workerFactory(TestWorkflowEnvironment env) {
    return env.getWorkerFactory();
  }

  /** What the server module's TemporalWorkers does in a real process: register, then start. */
  @Singleton
  static class StartWorkers implements ApplicationEventListener<ServerStartupEvent> {
    private final TestWorkflowEnvironment env;
    private final Optional<LedgerWorker> ledger;

    StartWorkers(TestWorkflowEnvironment env, Optional<LedgerWorker> ledger) {
      this.env = env;
      this.ledger = ledger;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
      ledger.ifPresent(l -> l.registerOn(env.getWorkerFactory()));
      env.start();
    }
  }
}

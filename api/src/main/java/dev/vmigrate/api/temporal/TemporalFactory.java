package dev.vmigrate.api.temporal;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import jakarta.inject.Singleton;

/**
 * The API's Temporal client and the worker factory its ledger worker runs in, for an API process of
 * its own. Stubs connect lazily, so the API starts even while the Temporal server is still coming
 * up. When the worker module is on the classpath (one process for both), its factory's beans are
 * used instead, configured by the same {@code vmigrate.temporal.*} keys.
 */
@Factory
@Requires(missingClasses = "dev.vmigrate.worker.TemporalFactory")
public class TemporalFactory {

  @Singleton
  @Bean(preDestroy = "shutdown")
  WorkflowServiceStubs serviceStubs(
      @Value("${vmigrate.temporal.address:127.0.0.1:7233}") String target) {
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
  }

  @Singleton
  WorkflowClient workflowClient(
      WorkflowServiceStubs stubs, @Value("${vmigrate.temporal.namespace:default}") String ns) {
    return WorkflowClient.newInstance(
        stubs, WorkflowClientOptions.newBuilder().setNamespace(ns).build());
  }

  @Singleton
  @Bean(preDestroy = "shutdown")
  WorkerFactory workerFactory(WorkflowClient client) {
    return WorkerFactory.newInstance(client);
  }
}

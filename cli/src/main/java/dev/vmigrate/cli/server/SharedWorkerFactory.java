package dev.vmigrate.cli.server;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import jakarta.inject.Singleton;

/**
 * One Temporal {@link WorkerFactory} for the whole process. The API (for its ledger worker) and the
 * worker module each declare one; when both run in {@code vmigrate server}, their workers must
 * share a factory so that one {@code start()} starts them all.
 */
@Factory
public class SharedWorkerFactory {

  @Singleton
  @Replaces(WorkerFactory.class)
  @Bean(preDestroy = "shutdown")
  WorkerFactory workerFactory(WorkflowClient client) {
    return WorkerFactory.newInstance(client);
  }
}

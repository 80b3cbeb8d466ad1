package dev.vmigrate.server;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import dev.vmigrate.worker.AttemptReports;
import dev.vmigrate.worker.LivenessHeartbeats;
import dev.vmigrate.worker.metrics.ActionMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The one place a vmigrate process builds its Temporal connection: the service stubs, the client
 * the API and the watch activity use, and the worker factory every worker of the process is
 * registered on ({@link TemporalWorkers} starts it once), all with one {@link TemporalConnection}
 * (address, namespace, TLS, API key). Stubs connect lazily; {@link TemporalSetup} has checked the
 * namespace of an external server before the context starts.
 */
@Factory
public class TemporalFactory {

  /**
   * The connection {@code vmigrate server} and {@code vmigrate worker} resolved before the context
   * started (registered as a singleton), else one resolved here from {@code vmigrate.temporal.*}
   * over Temporal's environment configuration.
   */
  @Singleton
  @Requires(missingProperty = "vmigrate.temporal.resolved")
  TemporalConnection temporalConnection(TemporalProperties props) {
    return TemporalConnection.resolve(props.settings());
  }

  @Singleton
  @Bean(preDestroy = "shutdown")
  WorkflowServiceStubs serviceStubs(TemporalConnection connection, @Nullable Scope metrics) {
    return WorkflowServiceStubs.newServiceStubs(connection.workflowStubsOptions(metrics));
  }

  /**
   * The Temporal SDK's metrics (client requests, workers' polls, task latencies, and the metrics
   * activities add to their scope) reported into the process's Micrometer registry, which {@code
   * /metrics} serves. The scope buffers and reports every {@code
   * vmigrate.metrics.temporal-report-every} (default 10 s); closing it reports what is left.
   */
  @Singleton
  @Bean(preDestroy = "close")
  @Requires(beans = MeterRegistry.class)
  Scope temporalMetricsScope(
      MeterRegistry registry,
      @Value("${vmigrate.metrics.temporal-report-every:10s}") Duration reportEvery) {
    return new RootScopeBuilder()
        .reporter(new MicrometerClientStatsReporter(registry))
        .reportEvery(com.uber.m3.util.Duration.ofMillis(reportEvery.toMillis()));
  }

  @Singleton
  WorkflowClient workflowClient(WorkflowServiceStubs stubs, TemporalConnection connection) {
    return WorkflowClient.newInstance(
        stubs, WorkflowClientOptions.newBuilder().setNamespace(connection.namespace()).build());
  }

  @Singleton
  @Bean(preDestroy = "shutdown")
  WorkerFactory workerFactory(WorkflowClient client, @Nullable MeterRegistry metrics) {
    WorkerInterceptor[] interceptors =
        metrics == null
            ? new WorkerInterceptor[] {new LivenessHeartbeats(), new AttemptReports()}
            : new WorkerInterceptor[] {
              new LivenessHeartbeats(), new AttemptReports(), new ActionMetrics(metrics)
            };
    return WorkerFactory.newInstance(
        client, WorkerFactoryOptions.newBuilder().setWorkerInterceptors(interceptors).build());
  }
}

package dev.vmigrate.api.support;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;

/**
 * For tests that need Temporal to stop answering: the test server's client, except that while
 * {@link #down} is set, its service stubs are ones that point at a port nobody listens on, so that
 * calls made through them fail as they do against a Temporal that is down (UNAVAILABLE). Only in a
 * context with {@code vmigrate.test.switchable-temporal=true}.
 */
@Factory
@Requires(property = "vmigrate.test.switchable-temporal", value = "true")
public class SwitchableTemporal {
  /** Whether Temporal "is down". */
  public static volatile boolean down;

  private static WorkflowServiceStubs dead;

  @Singleton
  @Replaces(bean = WorkflowClient.class, factory = TestBeans.class)
  WorkflowClient workflowClient(TestWorkflowEnvironment env) {
    WorkflowClient real = env.getWorkflowClient();
    return (WorkflowClient)
        Proxy.newProxyInstance(
            WorkflowClient.class.getClassLoader(),
            new Class<?>[] {WorkflowClient.class},
            (proxy, method, args) -> {
              if (down && method.getName().equals("getWorkflowServiceStubs")) {
                return deadStubs();
              }
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static synchronized WorkflowServiceStubs deadStubs() throws IOException {
    if (dead == null) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      dead =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build());
    }
    return dead;
  }
}

package dev.vmigrate.cli.server;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.io.Closeable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Temporal's Java test server bound to a real gRPC port, so the worker, the API and the stock
 * Temporal CLI all talk to it as to a real frontend. Time is not skipped: timers run in real time.
 * It keeps everything in memory and has no visibility (list) API beyond what it implements itself.
 */
public final class EmbeddedTemporal implements Closeable {
  /** The search attributes vmigrate sets on its workflows, all Keyword. */
  public static final List<String> SEARCH_ATTRIBUTES =
      List.of("VmName", "PlanName", "RequestId", "MigrationState");

  private final TestServer.PortBoundTestServer server;
  private final int port;

  private EmbeddedTemporal(TestServer.PortBoundTestServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Starts the server on {@code port} and registers the search attributes in {@code namespace}. */
  public static EmbeddedTemporal start(int port, String namespace) {
    EmbeddedTemporal t = new EmbeddedTemporal(TestServer.createPortBoundServer(port, true), port);
    try {
      t.registerSearchAttributes(namespace);
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
    return t;
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  private void registerSearchAttributes(String namespace) {
    OperatorServiceStubs stubs =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setTarget(address())
                .validateAndBuildWithDefaults());
    try {
      Map<String, IndexedValueType> attrs = new LinkedHashMap<>();
      SEARCH_ATTRIBUTES.forEach(a -> attrs.put(a, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
      stubs
          .blockingStub()
          .addSearchAttributes(
              AddSearchAttributesRequest.newBuilder()
                  .setNamespace(namespace)
                  .putAllSearchAttributes(attrs)
                  .build());
    } finally {
      stubs.shutdownNow();
    }
  }

  @Override
  public void close() {
    server.close();
  }
}

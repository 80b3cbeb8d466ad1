package dev.vmigrate.server;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.namespace.v1.NamespaceConfig;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.api.workflowservice.v1.UpdateNamespaceRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What vmigrate needs of a Temporal namespace on a server it runs itself: the namespace, its search
 * attributes and its retention. Each step reads first and changes only what differs, so it runs on
 * every start, on a new database as on one that an older vmigrate created.
 */
final class NamespaceSetup {
  /** The search attributes vmigrate sets on its workflows, all Keyword. */
  static final List<String> SEARCH_ATTRIBUTES =
      List.of("VmName", "PlanName", "RequestId", "MigrationState");

  private NamespaceSetup() {}

  /**
   * Registers the namespace with {@code retention} unless it exists, and sets an existing one's
   * retention (how long closed workflows stay readable) when it differs.
   */
  static void ensureNamespace(WorkflowServiceStubs stubs, String namespace, Duration retention) {
    com.google.protobuf.Duration current;
    try {
      current =
          stubs
              .blockingStub()
              .describeNamespace(
                  DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build())
              .getConfig()
              .getWorkflowExecutionRetentionTtl();
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() != io.grpc.Status.Code.NOT_FOUND) {
        throw e;
      }
      stubs
          .blockingStub()
          .registerNamespace(
              RegisterNamespaceRequest.newBuilder()
                  .setNamespace(namespace)
                  .setWorkflowExecutionRetentionPeriod(protoDuration(retention))
                  .build());
      return;
    }
    if (current.getSeconds() == retention.getSeconds()) {
      return;
    }
    stubs
        .blockingStub()
        .updateNamespace(
            UpdateNamespaceRequest.newBuilder()
                .setNamespace(namespace)
                .setConfig(
                    NamespaceConfig.newBuilder()
                        .setWorkflowExecutionRetentionTtl(protoDuration(retention)))
                .build());
  }

  /** Adds those of vmigrate's search attributes the namespace does not have yet. */
  static void registerSearchAttributes(String address, String namespace) {
    OperatorServiceStubs stubs =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setTarget(address)
                .validateAndBuildWithDefaults());
    try {
      Set<String> present = present(stubs, namespace);
      Map<String, IndexedValueType> missing = new LinkedHashMap<>();
      for (String name : SEARCH_ATTRIBUTES) {
        if (!present.contains(name)) {
          missing.put(name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      stubs
          .blockingStub()
          .addSearchAttributes(
              AddSearchAttributesRequest.newBuilder()
                  .setNamespace(namespace)
                  .putAllSearchAttributes(missing)
                  .build());
    } finally {
      stubs.shutdownNow();
    }
  }

  // The in-memory test server cannot list: there every attribute is added on each (fresh) start.
  private static Set<String> present(OperatorServiceStubs stubs, String namespace) {
    try {
      return stubs
          .blockingStub()
          .listSearchAttributes(
              ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
          .getCustomAttributesMap()
          .keySet();
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.UNIMPLEMENTED) {
        return Set.of();
      }
      throw e;
    }
  }

  private static com.google.protobuf.Duration protoDuration(Duration d) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).build();
  }
}

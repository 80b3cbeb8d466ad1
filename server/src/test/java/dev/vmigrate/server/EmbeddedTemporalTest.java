package dev.vmigrate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The embedded Temporal server is reachable on its gRPC port like any frontend, and knows
 * vmigrate's search attributes: a workflow may be started with them, not with an unknown one.
 */
class EmbeddedTemporalTest {

  @Test
  void acceptsWorkflowsWithTheRegisteredSearchAttributesOnly() throws Exception {
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(TestPorts.free(), "default")) {
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
      try {
        WorkflowClient client =
            WorkflowClient.newInstance(
                stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
        SearchAttributes.Builder known = SearchAttributes.newBuilder();
        for (String name : EmbeddedTemporal.SEARCH_ATTRIBUTES) {
          known.set(SearchAttributeKey.forKeyword(name), "x");
        }
        client
            .newUntypedWorkflowStub(
                "VmMigration",
                options("with-known").setTypedSearchAttributes(known.build()).build())
            .start();
        assertEquals(
            "with-known",
            client.newUntypedWorkflowStub("with-known").getExecution().getWorkflowId());

        SearchAttributes unknown =
            SearchAttributes.newBuilder()
                .set(SearchAttributeKey.forKeyword("NotRegistered"), "x")
                .build();
        assertThrows(
            WorkflowServiceException.class,
            () ->
                client
                    .newUntypedWorkflowStub(
                        "VmMigration",
                        options("with-unknown").setTypedSearchAttributes(unknown).build())
                    .start());
      } finally {
        stubs.shutdownNow();
      }
    }
  }

  private static WorkflowOptions.Builder options(String id) {
    return WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue("nobody-polls");
  }

  @Test
  void listensOnLoopbackOnly() throws Exception {
    InetAddress other = nonLoopbackAddress();
    Assumptions.assumeTrue(other != null, "this machine has no other interface");
    int port = TestPorts.free();
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(port, "default")) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      }
      assertThrows(
          ConnectException.class,
          () -> {
            try (Socket s = new Socket()) {
              s.connect(new InetSocketAddress(other, port), 2000);
            }
          });
    }
  }

  private static InetAddress nonLoopbackAddress() throws Exception {
    for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!n.isUp() || n.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(n.getInetAddresses())) {
        if (a instanceof Inet4Address) {
          return a;
        }
      }
    }
    return null;
  }
}

package dev.vmigrate.server;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Temporal frontend on loopback that knows no namespace and refuses to create one with
 * PERMISSION_DENIED, as a cluster does for credentials without the admin right (the dev server
 * allows everything). Counts the create attempts.
 */
public final class RefusingFrontend implements AutoCloseable {
  private final Server server;
  private final AtomicInteger registerCalls = new AtomicInteger();

  public RefusingFrontend() throws IOException {
    WorkflowServiceGrpc.WorkflowServiceImplBase frontend =
        new WorkflowServiceGrpc.WorkflowServiceImplBase() {
          @Override
          public void getSystemInfo(
              GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> response) {
            response.onNext(GetSystemInfoResponse.getDefaultInstance());
            response.onCompleted();
          }

          @Override
          public void describeNamespace(
              DescribeNamespaceRequest request,
              StreamObserver<DescribeNamespaceResponse> response) {
            response.onError(
                Status.NOT_FOUND
                    .withDescription("Namespace " + request.getNamespace() + " is not found.")
                    .asRuntimeException());
          }

          @Override
          public void registerNamespace(
              RegisterNamespaceRequest request,
              StreamObserver<RegisterNamespaceResponse> response) {
            registerCalls.incrementAndGet();
            response.onError(
                Status.PERMISSION_DENIED
                    .withDescription("Request unauthorized.")
                    .asRuntimeException());
          }
        };
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(frontend)
            .build()
            .start();
  }

  public String address() {
    return "127.0.0.1:" + server.getPort();
  }

  public int registerCalls() {
    return registerCalls.get();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(10, TimeUnit.SECONDS);
  }
}

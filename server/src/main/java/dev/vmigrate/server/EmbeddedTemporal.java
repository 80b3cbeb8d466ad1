package dev.vmigrate.server;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal's Java test server bound to a real gRPC port, so the worker, the API and the stock
 * Temporal CLI all talk to it as to a real frontend. For unit tests, and as a runtime only when
 * asked for ({@code --temporal-in-memory}): nothing survives the process. Time is not skipped:
 * timers run in real time. It keeps everything in memory and has no visibility (list) API beyond
 * what it implements itself. It has no authentication, so it listens on loopback unless told
 * otherwise; this is why it is assembled here rather than with {@code
 * TestServer.createPortBoundServer}, which binds every interface.
 */
public final class EmbeddedTemporal implements TemporalRuntime {
  /** The search attributes vmigrate sets on its workflows, all Keyword. */
  public static final List<String> SEARCH_ATTRIBUTES = NamespaceSetup.SEARCH_ATTRIBUTES;

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedTemporal.class);

  private final TestServicesStarter services;
  private final Server server;
  private final ExecutorService calls;
  private final String host;
  private final int port;

  private EmbeddedTemporal(
      TestServicesStarter services, Server server, ExecutorService calls, String host, int port) {
    this.services = services;
    this.server = server;
    this.calls = calls;
    this.host = host;
    this.port = port;
  }

  /** Starts the server on loopback {@code port}; see {@link #start(String, int, String)}. */
  public static EmbeddedTemporal start(int port, String namespace) {
    return start("127.0.0.1", port, namespace);
  }

  /**
   * Starts the server on {@code host:port} and registers the search attributes in {@code
   * namespace}.
   */
  public static EmbeddedTemporal start(String host, int port, String namespace) {
    return start(host, port, namespace, TimerLockLog.KEEP);
  }

  /**
   * As {@link #start(String, int, String)}, keeping the newest {@code lockLogKeep} entries of the
   * test server's time-skipping lock log (see {@link TimerLockLog}); a negative value leaves the
   * server's own, ever-growing log in place, for comparison.
   */
  static EmbeddedTemporal start(String host, int port, String namespace, int lockLogKeep) {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    if (lockLogKeep >= 0) {
      try {
        TimerLockLog.install(services, lockLogKeep);
      } catch (IllegalStateException e) {
        LOG.warn("{}; long runs on this server will slow down", e.getMessage());
      }
    }
    Server server;
    // The server's calls, and the closing of their contexts, run here, so that closing can wait
    // for them before the test server's own executors stop.
    ExecutorService calls =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "embedded-temporal-call");
              t.setDaemon(true);
              return t;
            });
    try {
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(
                  new InetSocketAddress(host, port), InsecureServerCredentials.create())
              .executor(calls);
      GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
      server = builder.build().start();
    } catch (IOException e) {
      calls.shutdown();
      services.close();
      throw new UncheckedIOException(
          "cannot start the embedded Temporal server on " + host + ":" + port, e);
    }
    EmbeddedTemporal t = new EmbeddedTemporal(services, server, calls, host, port);
    try {
      t.registerSearchAttributes(namespace);
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
    return t;
  }

  /** How many entries the test server's time-skipping lock log holds now. */
  int lockLogSize() {
    return TimerLockLog.size(services);
  }

  /** Where clients connect: loopback when bound to every interface. */
  public String address() {
    return TemporalRuntime.clientHost(host) + ":" + port;
  }

  private void registerSearchAttributes(String namespace) {
    NamespaceSetup.registerSearchAttributes(address(), namespace);
  }

  @Override
  public URI uiUrl() {
    return null;
  }

  @Override
  public String describe() {
    return "Temporal in memory, not durable: every workflow is lost when this process stops";
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      // Workers' task polls stay open for up to a minute: cancel what is still open, and let the
      // calls' contexts close (which notifies the test server's poll listeners) before the test
      // server's own executors stop; otherwise gRPC prints a rejected listener after the demo.
      if (!server.awaitTermination(1, TimeUnit.SECONDS)) {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
      calls.shutdown();
      calls.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      services.close();
    }
  }
}

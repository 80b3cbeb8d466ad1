package dev.vmigrate.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vmigrate.api.auth.BearerTokenFilter;
import dev.vmigrate.api.metrics.MetricsScrape;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port of its own that serves only {@code GET /metrics}, for a process without the API (a {@code
 * vmigrate worker}): set {@code vmigrate.metrics.port} (and {@code vmigrate.metrics.host},
 * 127.0.0.1 by default). The same bearer tokens as the API's apply, with the same loopback
 * exception when the process allows unauthenticated local clients.
 */
@Context
@Requires(property = "vmigrate.metrics.port")
public class MetricsPort implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsPort.class);

  private final HttpServer server;
  private final String host;

  public MetricsPort(
      MetricsScrape scrape,
      BearerTokenFilter auth,
      @Value("${vmigrate.metrics.host:127.0.0.1}") String host,
      @Value("${vmigrate.metrics.port}") int port) {
    this.host = host;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "vmigrate.metrics.port: cannot listen on " + host + ":" + port + ": " + e.getMessage(),
          e);
    }
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "metrics-port");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/metrics", exchange -> serve(exchange, scrape, auth));
    server.start();
    log.info("metrics served on {}", url());
  }

  private static void serve(HttpExchange exchange, MetricsScrape scrape, BearerTokenFilter auth)
      throws IOException {
    try {
      if (!exchange.getRequestMethod().equals("GET")
          || !exchange.getRequestURI().getPath().equals("/metrics")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String problem =
          auth.decide(
              exchange.getRequestHeaders().getFirst("Authorization"),
              exchange.getRemoteAddress().getAddress());
      if (problem != null) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
        send(exchange, 401, "text/plain; charset=utf-8", problem + "\n");
        return;
      }
      send(exchange, 200, MetricsScrape.CONTENT_TYPE, scrape.scrape());
    } finally {
      exchange.close();
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Where the metrics are, e.g. {@code http://127.0.0.1:9464/metrics}. */
  public URI url() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + h + ":" + server.getAddress().getPort() + "/metrics");
  }

  @Override
  @PreDestroy
  public void close() {
    server.stop(0);
  }
}

package dev.vmigrate.api.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs request events (created, approved, denied, started, finished) to the configured webhooks.
 * Fire and forget: a dead receiver never blocks a request, and an event it missed is not sent
 * again. A plan's per-VM post-migration and post-rollback hooks are not sent from here: each VM's
 * migration workflow calls them as durable actions (retried, with an idempotency key).
 */
@Singleton
public class Webhooks {
  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

  private final List<String> urls;
  private final ObjectMapper json;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public Webhooks(@Value("${vmigrate.webhooks.urls:}") List<String> urls, ObjectMapper json) {
    this.urls = urls == null ? List.of() : urls.stream().filter(u -> !u.isBlank()).toList();
    this.json = json;
  }

  /** Sends an event to the configured webhooks plus {@code extra}. */
  public void publish(String event, Map<String, Object> fields, List<String> extra) {
    List<String> targets = new ArrayList<>(urls);
    if (extra != null) {
      targets.addAll(extra);
    }
    send(event, fields, targets);
  }

  private void send(String event, Map<String, Object> fields, List<String> targets) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", event);
    body.put("at", Instant.now().toString());
    body.putAll(fields);
    byte[] payload;
    try {
      payload = json.writeValueAsBytes(body);
    } catch (Exception e) {
      LOG.warn("cannot encode webhook event {}", event, e);
      return;
    }
    for (String url : targets) {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
              .build();
      http.sendAsync(req, HttpResponse.BodyHandlers.discarding())
          .whenComplete(
              (resp, err) -> {
                // Only the host is logged: a webhook URL may carry a token in its query.
                String host = URI.create(url).getHost();
                if (err != null) {
                  LOG.warn("webhook {} to host {} failed: {}", event, host, err.toString());
                } else if (resp.statusCode() >= 300) {
                  LOG.warn("webhook {} to host {} answered {}", event, host, resp.statusCode());
                }
              });
    }
  }
}

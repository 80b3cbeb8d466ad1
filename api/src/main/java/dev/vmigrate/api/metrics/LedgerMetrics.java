package dev.vmigrate.api.metrics;

import dev.vmigrate.admission.ResourceLoad;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.temporal.client.WorkflowClient;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges read from the ledger and the running request workflows when Prometheus scrapes, at most
 * once per {@code vmigrate.metrics.refresh-interval} (default 5 s):
 *
 * <ul>
 *   <li>{@code vmigrate_migrations{vcenter,state}}: the ledger's VM rows by source vCenter and
 *       state (planned, approved, started, completed, failed, rolled_back, skipped), over every
 *       request; neither plan nor VM names are labels (free text, one series per name, for ever);
 *   <li>{@code vmigrate_requests{state}}: requests by state;
 *   <li>{@code vmigrate_admission_queued}, {@code _running}, {@code _cost_used}, {@code
 *       _cost_limit} {@code {vcenter,kind,resource}}: admission control's load per host, vMotion
 *       network, datastore, vCenter and request (a plan's own ceiling, labelled with the request's
 *       workflow id: at most {@link #MAX_REQUESTS} series, each gone when its request ends), summed
 *       over the requests that run, from each request workflow's {@code admission} query (a query
 *       adds nothing to a workflow's history).
 * </ul>
 *
 * The process that owns the database serves them (the one with the ledger worker); a request that
 * does not answer within the status query timeout is left out of that scrape.
 */
@Singleton
@Requires(property = "vmigrate.ledger-worker.enabled", notEquals = "false")
public class LedgerMetrics implements ScrapeRefresh {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerMetrics.class);

  /** At most this many running requests are asked per scrape (oldest first). */
  static final int MAX_REQUESTS = 200;

  private static final ExecutorService QUERIES =
      Executors.newFixedThreadPool(
          4,
          r -> {
            Thread t = new Thread(r, "metrics-admission-query");
            t.setDaemon(true);
            return t;
          });

  private final DataSource dataSource;
  private final WorkflowClient temporal;
  private final long refreshNanos;
  private final long queryTimeoutMillis;
  private final MultiGauge migrations;
  private final MultiGauge requests;
  private final MultiGauge queued;
  private final MultiGauge running;
  private final MultiGauge used;
  private final MultiGauge limit;
  private long refreshedAt;
  private boolean refreshed;

  public LedgerMetrics(
      DataSource dataSource,
      WorkflowClient temporal,
      MeterRegistry registry,
      @Value("${vmigrate.metrics.refresh-interval:5s}") Duration refreshInterval,
      @Value("${vmigrate.status.query-timeout-millis:2000}") long queryTimeoutMillis) {
    this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    this.temporal = temporal;
    this.refreshNanos = refreshInterval.toNanos();
    this.queryTimeoutMillis = queryTimeoutMillis;
    this.migrations =
        MultiGauge.builder("vmigrate.migrations")
            .description("VM migrations in the ledger by source vCenter and state")
            .register(registry);
    this.requests =
        MultiGauge.builder("vmigrate.requests")
            .description("Requests (orders of a plan) by state")
            .register(registry);
    this.queued =
        MultiGauge.builder("vmigrate.admission.queued")
            .description("VM migrations waiting for admission that need the resource")
            .register(registry);
    this.running =
        MultiGauge.builder("vmigrate.admission.running")
            .description("Admitted VM migrations running on the resource")
            .register(registry);
    this.used =
        MultiGauge.builder("vmigrate.admission.cost.used")
            .description("Cost the running migrations charge against the resource")
            .register(registry);
    this.limit =
        MultiGauge.builder("vmigrate.admission.cost.limit")
            .description("The resource's cost limit in vCenter's cost model")
            .register(registry);
  }

  @Override
  public synchronized void refresh() {
    long now = System.nanoTime();
    if (refreshed && now - refreshedAt < refreshNanos) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      migrations.register(migrationRows(c), true);
      requests.register(requestRows(c), true);
      admission(activeRequests(c));
    } catch (SQLException | RuntimeException e) {
      LOG.warn("metrics not refreshed from the ledger: {}", e.toString());
    }
    refreshed = true;
    refreshedAt = now;
  }

  private static List<MultiGauge.Row<?>> migrationRows(Connection c) throws SQLException {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    try (PreparedStatement s =
            c.prepareStatement(
                "SELECT r.source_vcenter, v.state, COUNT(*) FROM request_vm v"
                    + " JOIN migration_request r ON r.id = v.request_id"
                    + " GROUP BY r.source_vcenter, v.state");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        rows.add(
            MultiGauge.Row.of(
                Tags.of(
                    "vcenter", rs.getString(1), "state", rs.getString(2).toLowerCase(Locale.ROOT)),
                rs.getLong(3)));
      }
    }
    return rows;
  }

  private static List<MultiGauge.Row<?>> requestRows(Connection c) throws SQLException {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    try (PreparedStatement s =
            c.prepareStatement(
                "SELECT request_state, COUNT(*) FROM migration_request GROUP BY request_state");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        rows.add(MultiGauge.Row.of(Tags.of("state", rs.getString(1)), rs.getLong(2)));
      }
    }
    return rows;
  }

  /** A request whose workflow runs: its workflow id and source vCenter. */
  private record Active(String workflowId, String vcenter) {}

  private static List<Active> activeRequests(Connection c) throws SQLException {
    List<Active> out = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT workflow_id, source_vcenter FROM migration_request"
                + " WHERE request_state IN ('active', 'paused', 'cancelling')"
                + " AND workflow_id IS NOT NULL ORDER BY created_at")) {
      s.setMaxRows(MAX_REQUESTS);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new Active(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return out;
  }

  /** One resource's load summed over the requests, keyed by its labels. */
  private static final class Sum {
    int queued;
    int running;
    int used;
    int limit;
  }

  private void admission(List<Active> active) {
    List<CompletableFuture<List<ResourceLoad>>> answers = new ArrayList<>();
    for (Active a : active) {
      answers.add(
          CompletableFuture.supplyAsync(
              () ->
                  List.of(
                      temporal
                          .newUntypedWorkflowStub(a.workflowId())
                          .query("admission", ResourceLoad[].class)),
              QUERIES));
    }
    Map<Tags, Sum> sums = new LinkedHashMap<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(queryTimeoutMillis);
    for (int i = 0; i < active.size(); i++) {
      Active a = active.get(i);
      List<ResourceLoad> loads;
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        loads = answers.get(i).get(left, TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        answers.get(i).cancel(true);
        LOG.debug("admission of {} not read: {}", a.workflowId(), e.toString());
        continue;
      }
      for (ResourceLoad l : loads) {
        Sum s = sums.computeIfAbsent(labels(a, l.resource()), k -> new Sum());
        s.queued += l.queued();
        s.running += l.running();
        s.used += l.used();
        s.limit = Math.max(s.limit, l.limit());
      }
    }
    List<MultiGauge.Row<?>> q = new ArrayList<>();
    List<MultiGauge.Row<?>> r = new ArrayList<>();
    List<MultiGauge.Row<?>> u = new ArrayList<>();
    List<MultiGauge.Row<?>> l = new ArrayList<>();
    sums.forEach(
        (tags, s) -> {
          q.add(MultiGauge.Row.of(tags, s.queued));
          r.add(MultiGauge.Row.of(tags, s.running));
          u.add(MultiGauge.Row.of(tags, s.used));
          l.add(MultiGauge.Row.of(tags, s.limit));
        });
    queued.register(q, true);
    running.register(r, true);
    used.register(u, true);
    limit.register(l, true);
  }

  /**
   * The labels of a resource key of vCenter's cost model: {@code host:ID} is a host, {@code net:ID}
   * the vMotion network of host ID, {@code ds:ID} a datastore, {@code vc:ID} the vCenter's ceiling
   * and {@code request} the plan's own ceiling, labelled with the request's workflow id (not the
   * plan's name: free text would make a series per name).
   */
  static Tags labels(String vcenter, String workflowId, String resource) {
    int colon = resource.indexOf(':');
    String prefix = colon < 0 ? resource : resource.substring(0, colon);
    String id = colon < 0 ? "" : resource.substring(colon + 1);
    String kind =
        switch (prefix) {
          case "host" -> "host";
          case "net" -> "network";
          case "ds" -> "datastore";
          case "vc" -> "vcenter";
          case "request" -> "plan";
          default -> prefix;
        };
    if (kind.equals("plan")) {
      id = workflowId;
    }
    return Tags.of("vcenter", vcenter, "kind", kind, "resource", id);
  }

  private static Tags labels(Active a, String resource) {
    return labels(a.vcenter(), a.workflowId(), resource);
  }
}

package dev.vmigrate.api.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * One scrape of the process's metrics in Prometheus' text format: the on-demand gauges are brought
 * up to date, then the Prometheus registry is written out. Served by {@code GET /metrics} on the
 * API and by the worker's own metrics port.
 */
@Singleton
public class MetricsScrape {
  /** The text format's content type, version 0.0.4, which every Prometheus reads. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final List<ScrapeRefresh> refreshes;

  public MetricsScrape(PrometheusMeterRegistry registry, List<ScrapeRefresh> refreshes) {
    this.registry = registry;
    this.refreshes = refreshes;
  }

  public String scrape() {
    refreshes.forEach(ScrapeRefresh::refresh);
    return registry.scrape();
  }
}

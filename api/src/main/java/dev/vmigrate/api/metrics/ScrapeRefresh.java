package dev.vmigrate.api.metrics;

/**
 * Metrics read on demand rather than recorded as they happen (the ledger's counts, the request
 * workflows' admission state): brought up to date just before a scrape.
 */
public interface ScrapeRefresh {

  /** Updates the gauges; may keep what it read for a short while. Must not throw. */
  void refresh();
}

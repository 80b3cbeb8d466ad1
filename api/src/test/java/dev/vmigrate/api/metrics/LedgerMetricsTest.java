package dev.vmigrate.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Tags;
import org.junit.jupiter.api.Test;

class LedgerMetricsTest {

  @Test
  void resourceKeysOfTheCostModelBecomeKindAndResourceLabels() {
    assertEquals(
        Tags.of("vcenter", "vc1", "kind", "host", "resource", "host-12"),
        LedgerMetrics.labels("vc1", "p", "host:host-12"));
    assertEquals(
        Tags.of("vcenter", "vc1", "kind", "network", "resource", "host-12"),
        LedgerMetrics.labels("vc1", "p", "net:host-12"));
    assertEquals(
        Tags.of("vcenter", "vc1", "kind", "datastore", "resource", "ds-3"),
        LedgerMetrics.labels("vc1", "p", "ds:ds-3"));
    assertEquals(
        Tags.of("vcenter", "vc1", "kind", "vcenter", "resource", "vc1"),
        LedgerMetrics.labels("vc1", "p", "vc:vc1"));
    // The request's own ceiling is the plan's limit: labelled with the plan, not the request.
    assertEquals(
        Tags.of("vcenter", "vc1", "kind", "plan", "resource", "nightly"),
        LedgerMetrics.labels("vc1", "nightly", "request"));
  }
}

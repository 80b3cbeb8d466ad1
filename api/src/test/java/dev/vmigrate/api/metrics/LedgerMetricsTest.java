package dev.vmigrate.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Tags;
import org.junit.jupiter.api.Test;

class LedgerMetricsTest {

  @Test
  void resourceKeysOfTheCostModelBecomeKindAndResourceLabels() {
    assertEquals(
        Tags.of("vcenter", "vc1", "kind", "host", "resource", "host-12"),
        LedgerMetrics.labels("vc1", "request-42", "host:host-12"));
    assertEquals(
        Tags.of("vcenter", "vc1", "kind", "network", "resource", "host-12"),
        LedgerMetrics.labels("vc1", "request-42", "net:host-12"));
    assertEquals(
        Tags.of("vcenter", "vc1", "kind", "datastore", "resource", "ds-3"),
        LedgerMetrics.labels("vc1", "request-42", "ds:ds-3"));
    assertEquals(
        Tags.of("vcenter", "vc1", "kind", "vcenter", "resource", "vc1"),
        LedgerMetrics.labels("vc1", "request-42", "vc:vc1"));
    // The request's own ceiling is the plan's limit: labelled with the request's workflow id, a
    // series that ends with the request, never with the plan's free-text name.
    assertEquals(
        Tags.of("vcenter", "vc1", "kind", "plan", "resource", "request-42"),
        LedgerMetrics.labels("vc1", "request-42", "request"));
  }

  @Test
  void controlAndFormattingCharactersInLabelValuesBecomePrintable() {
    assertEquals("plain-value", PrintableLabels.printable("plain-value"));
    assertEquals("a\\u0000b\\u202ec", PrintableLabels.printable("a\u0000b\u202Ec"));
    assertEquals("x\\u001b[31m", PrintableLabels.printable("x\u001b[31m"));
    assertEquals("\u00e9t\u00e9", PrintableLabels.printable("\u00e9t\u00e9"), "letters stay");
  }
}

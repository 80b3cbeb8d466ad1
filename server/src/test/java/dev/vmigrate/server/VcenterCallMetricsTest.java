package dev.vmigrate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.api.metrics.MetricsScrape;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.vcsim.VcsimExtension;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * vCenter call latency and faults by SOAP method, as {@code /metrics} shows them, when the
 * process's configured vCenter is a vim25 endpoint (vcsim) and one call meets an injected fault.
 */
class VcenterCallMetricsTest {

  @RegisterExtension static final VcsimExtension vcsim = VcsimExtension.perClass();

  @TempDir Path dir;

  @Test
  void everySoapCallIsTimedByMethodAndFaultsAreCountedByType() throws Exception {
    Map<String, Object> p = VcsimConnection.properties(vcsim, dir);
    p.put("datasources.default.url", "jdbc:h2:mem:vcenter-call-metrics;DB_CLOSE_DELAY=-1");
    p.put("flyway.datasources.default.enabled", false);
    try (ApplicationContext context =
        ApplicationContext.builder().deduceEnvironment(false).properties(p).start()) {
      VsphereGateway gw = context.getBean(GatewayRegistry.class).forVcenter("vc-sim");
      String vm = gw.inventory().vmByName("DC0_H0_VM0").orElseThrow().id();
      vcsim.injectFault("PowerOffVM_Task", "NoPermission", 1, 0);
      try {
        assertThrows(VsphereException.NoPermission.class, () -> gw.powerOff(vm));
      } finally {
        vcsim.clearFaults();
      }

      String scrape = context.getBean(MetricsScrape.class).scrape();
      String vc = "vcenter=\"vc-sim\"";
      assertEquals(
          1,
          value(
              scrape,
              "vmigrate_vcenter_call_seconds_count",
              "method=\"Login\"",
              "outcome=\"ok\"",
              vc),
          scrape);
      assertTrue(
          value(
                  scrape,
                  "vmigrate_vcenter_call_seconds_count",
                  "method=\"RetrievePropertiesEx\"",
                  "outcome=\"ok\"",
                  vc)
              >= 1,
          scrape);
      assertTrue(
          value(
                  scrape,
                  "vmigrate_vcenter_call_seconds_sum",
                  "method=\"RetrievePropertiesEx\"",
                  "outcome=\"ok\"",
                  vc)
              > 0,
          scrape);
      assertEquals(
          1,
          value(
              scrape,
              "vmigrate_vcenter_call_seconds_count",
              "method=\"PowerOffVM_Task\"",
              "outcome=\"fault\"",
              vc),
          scrape);
      assertEquals(
          1,
          value(
              scrape,
              "vmigrate_vcenter_call_faults_total",
              "method=\"PowerOffVM_Task\"",
              "fault=\"NoPermission\"",
              vc),
          scrape);
      assertTrue(
          scrape.contains("vmigrate_vcenter_call_seconds_bucket{method=\"RetrievePropertiesEx\""),
          scrape);
      // The sample dashboard's vCenter panels ask for what this scrape has.
      Matcher names =
          Pattern.compile("vmigrate_vcenter_[a-z_]+")
              .matcher(
                  Files.readString(Path.of("..", "docs", "grafana", "vmigrate-dashboard.json")));
      int asked = 0;
      while (names.find()) {
        String name = names.group();
        assertTrue(scrape.lines().anyMatch(l -> l.startsWith(name)), name + ":\n" + scrape);
        asked++;
      }
      assertTrue(asked >= 2, "the dashboard shows vCenter calls");
      Path sample = Path.of("target", "vcenter-call-metrics-sample.txt");
      Files.createDirectories(sample.getParent());
      Files.writeString(sample, scrape);
    }
  }

  /** The sample of {@code metric} whose labels contain every fragment, or NaN when none does. */
  private static double value(String scrape, String metric, String... labels) {
    Pattern line = Pattern.compile("^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$");
    for (String l : scrape.lines().toList()) {
      Matcher m = line.matcher(l);
      if (!m.matches()) {
        continue;
      }
      boolean all = true;
      for (String want : labels) {
        all &= m.group(1).contains(want);
      }
      if (all) {
        return Double.parseDouble(m.group(2));
      }
    }
    return Double.NaN;
  }
}

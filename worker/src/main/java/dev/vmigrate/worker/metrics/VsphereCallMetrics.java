package dev.vmigrate.worker.metrics;

import dev.vmigrate.vsphere.vim25.SoapCallObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * vCenter call latency and faults per SOAP method: {@code vmigrate_vcenter_call_seconds} (a
 * histogram tagged {@code vcenter}, {@code method}, {@code outcome} = ok or fault) and {@code
 * vmigrate_vcenter_call_faults_total} (tagged {@code vcenter}, {@code method}, {@code fault}). The
 * methods are the fixed set the vim25 client sends and the vCenters are the configured ones, so the
 * label values stay few.
 */
public final class VsphereCallMetrics implements SoapCallObserver {
  static final String CALLS = "vmigrate.vcenter.call";
  static final String FAULTS = "vmigrate.vcenter.call.faults";

  private final MeterRegistry registry;

  public VsphereCallMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void called(String vcenterId, String method, long nanos, String fault) {
    Timer.builder(CALLS)
        .description("vCenter SOAP calls by method, from sending to the answer")
        .tags("vcenter", vcenterId, "method", method, "outcome", fault == null ? "ok" : "fault")
        .serviceLevelObjectives(
            Duration.ofMillis(10),
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            Duration.ofSeconds(15),
            Duration.ofSeconds(60))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
    if (fault != null) {
      Counter.builder(FAULTS)
          .description("vCenter SOAP calls that ended in a fault, by method and fault type")
          .tags("vcenter", vcenterId, "method", method, "fault", fault)
          .register(registry)
          .increment();
    }
  }
}

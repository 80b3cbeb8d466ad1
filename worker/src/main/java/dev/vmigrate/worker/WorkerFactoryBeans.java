package dev.vmigrate.worker;

import dev.vmigrate.activity.impl.ActivitySettings;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.worker.metrics.VsphereCallMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.List;

/** The gateway registry and the activities built on it. */
@Factory
public class WorkerFactoryBeans {

  @Singleton
  ConfiguredGateways configuredGateways(
      List<VcenterProperties> vcenters, @Nullable MeterRegistry metrics) {
    return metrics == null
        ? new ConfiguredGateways(vcenters)
        : new ConfiguredGateways(vcenters, new VsphereCallMetrics(metrics));
  }

  @Singleton
  @Requires(missingBeans = GatewayRegistry.class)
  GatewayRegistry gatewayRegistry(ConfiguredGateways configured) {
    return configured;
  }

  @Singleton
  ActivityBundle activityBundle(GatewayRegistry gateways) {
    return ActivityBundle.create(gateways, ActivitySettings.defaults());
  }
}

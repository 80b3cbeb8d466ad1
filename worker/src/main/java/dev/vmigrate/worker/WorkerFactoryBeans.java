package dev.vmigrate.worker;

import dev.vmigrate.activity.impl.ActivitySettings;
import dev.vmigrate.activity.impl.HookCalls;
import dev.vmigrate.activity.impl.HookSecrets;
import dev.vmigrate.model.HookDestinationPolicy;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.worker.metrics.VsphereCallMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.function.UnaryOperator;

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

  /**
   * The activities, their hooks going only where {@code vmigrate.hooks.allowed-destinations} allows
   * beyond public addresses, with the secrets of {@code vmigrate.hooks.secrets}.
   */
  @Singleton
  ActivityBundle activityBundle(
      GatewayRegistry gateways,
      Environment environment,
      @Value("${vmigrate.hooks.allowed-destinations:}") List<String> allowedHookDestinations) {
    ActivitySettings settings = ActivitySettings.defaults();
    HookCalls hooks =
        new HookCalls(
            HookDestinationPolicy.allowing(allowedHookDestinations),
            new HookSecrets(key -> environment.getProperty(key, String.class)),
            settings.webhookTimeout());
    return ActivityBundle.create(gateways, settings, hooks, UnaryOperator.identity());
  }
}

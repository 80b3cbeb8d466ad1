package dev.vmigrate.worker;

import dev.vmigrate.activity.impl.ActivitySettings;
import dev.vmigrate.activity.impl.AnalysisActivitiesImpl;
import dev.vmigrate.activity.impl.DestinationActivitiesImpl;
import dev.vmigrate.activity.impl.FinalizationActivitiesImpl;
import dev.vmigrate.activity.impl.HookCalls;
import dev.vmigrate.activity.impl.PreparationActivitiesImpl;
import dev.vmigrate.activity.impl.RecoveryActivitiesImpl;
import dev.vmigrate.activity.impl.SourceActivitiesImpl;
import dev.vmigrate.vsphere.GatewayRegistry;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The activity implementations of one worker, all resolving vCenters through the same registry.
 *
 * @param gateways the registry every activity uses
 * @param implementations the activity objects, in registration order
 */
public record ActivityBundle(GatewayRegistry gateways, List<Object> implementations) {

  /** The bundle whose hooks go to public destinations only, without secrets. */
  public static ActivityBundle create(GatewayRegistry gateways, ActivitySettings settings) {
    return create(
        gateways, settings, HookCalls.strict(settings.webhookTimeout()), UnaryOperator.identity());
  }

  /**
   * Builds the bundle, letting the caller decorate each implementation (tests wrap them to inject
   * faults).
   *
   * @param hooks where hooks may go and the secrets they may carry
   */
  public static ActivityBundle create(
      GatewayRegistry gateways,
      ActivitySettings settings,
      HookCalls hooks,
      UnaryOperator<Object> decorate) {
    return new ActivityBundle(
        gateways,
        List.of(
            decorate.apply(new AnalysisActivitiesImpl(gateways)),
            decorate.apply(new PreparationActivitiesImpl(gateways, settings, hooks)),
            decorate.apply(new SourceActivitiesImpl(gateways, settings)),
            decorate.apply(new DestinationActivitiesImpl(gateways, settings)),
            decorate.apply(new FinalizationActivitiesImpl(gateways, settings)),
            decorate.apply(new RecoveryActivitiesImpl(gateways, settings))));
  }

  public Object[] all() {
    return implementations.toArray();
  }
}

package dev.vmigrate.activity.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.activity.AnalysisActivities;
import dev.vmigrate.activity.DestinationActivities;
import dev.vmigrate.activity.FinalizationActivities;
import dev.vmigrate.activity.PreparationActivities;
import dev.vmigrate.activity.SourceActivities;
import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.HookDestinationPolicy;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.simulated.ManualClock;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

/**
 * Two clusters in one simulated vCenter ("prod" and "dr"), plus the activity stubs running in a
 * {@link TestActivityEnvironment} against it.
 */
final class ActivityFixture implements AutoCloseable {
  static final long GIB = 1L << 30;
  static final ActivitySettings FAST =
      new ActivitySettings(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(2));

  final ManualClock clock = new ManualClock();
  final Map<String, VsphereGateway> gateways = new HashMap<>();
  final GatewayRegistry registry =
      id -> {
        VsphereGateway g = gateways.get(id);
        if (g == null) {
          throw new VsphereException.InvalidRequest("InvalidArgument", "no vCenter " + id);
        }
        return g;
      };
  final SimulatedVsphere vc;
  TestActivityEnvironment env;

  /**
   * How the preparation activities call hooks: to the tests' receivers on loopback, which the
   * product refuses unless allowed, so allowed here explicitly. A test may set another and call
   * {@link #newEnvironment()}.
   */
  HookCalls hooks =
      new HookCalls(
          HookDestinationPolicy.allowing(List.of("127.0.0.0/8", "::1/128")),
          HookSecrets.NONE,
          FAST.webhookTimeout());

  AnalysisActivities analysis;
  PreparationActivities preparation;
  SourceActivities source;
  DestinationActivities destination;
  FinalizationActivities finalization;

  ActivityFixture() {
    this(standard());
  }

  ActivityFixture(SimulatedVsphere.Builder builder) {
    vc = builder.clock(clock).build();
    gateways.put(vc.vcenterId(), vc);
    newEnvironment();
  }

  static SimulatedVsphere.Builder standard() {
    return SimulatedVsphere.builder("vc1")
        .datacenter("dc1")
        .datastore("ds-a", 500 * GIB)
        .datastore("ds-b", 500 * GIB)
        .datastore("ds-small", 20 * GIB)
        .network("VM Network")
        .portGroup("pg-app", "dvs-1")
        .cluster("prod")
        .host("esx-01")
        .host("esx-02")
        .cluster("dr")
        .host("esx-11")
        .host("esx-12")
        .host("esx-13", h -> h.datastores("ds-a").networks("VM Network"))
        .resourcePool("migrated")
        .folder("web")
        .folder("landing")
        .vm(
            "web01",
            v ->
                v.host("esx-01")
                    .folder("web")
                    .disk("ds-a", 40 * GIB)
                    .disk("ds-a", 10 * GIB)
                    .nic("VM Network")
                    .snapshots("base"))
        .vm("db01", v -> v.host("esx-02").disk("ds-a", 30 * GIB).nic("VM Network").poweredOff());
  }

  /** A fresh environment, e.g. to carry heartbeat details into a second attempt. */
  void newEnvironment() {
    if (env != null) {
      env.close();
    }
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new AnalysisActivitiesImpl(registry),
        new PreparationActivitiesImpl(registry, FAST, hooks),
        new SourceActivitiesImpl(registry, FAST),
        new DestinationActivitiesImpl(registry, FAST),
        new FinalizationActivitiesImpl(registry, FAST));
    ActivityOptions options =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(20))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();
    analysis = env.newActivityStub(AnalysisActivities.class, options);
    preparation = env.newActivityStub(PreparationActivities.class, options);
    source = env.newActivityStub(SourceActivities.class, options);
    destination = env.newActivityStub(DestinationActivities.class, options);
    finalization = env.newActivityStub(FinalizationActivities.class, options);
  }

  static InfrastructureMapping mapping(
      String vcenter, String from, String to, Map<String, String> datastores) {
    return new InfrastructureMapping(
        vcenter,
        vcenter,
        List.of(new ClusterMapping(from, to, null, null)),
        datastores,
        Map.of("VM Network", "VM Network", "pg-app", "pg-app"));
  }

  static MigrationRequest request(String vm, InfrastructureMapping mapping, MigrationType type) {
    return new MigrationRequest(
        vm, mapping, MigrationOptions.defaults().withType(type), null, null);
  }

  /** Runs the analysis head of the queue as the workflow would and returns the context. */
  MigrationContext analysed(String migrationId, MigrationRequest request) {
    MigrationContext ctx = MigrationContext.start(migrationId, request);
    ctx = ctx.withPrechecks(analysis.invokePrechecks(ctx));
    ctx = ctx.withDestination(analysis.selectDestination(ctx));
    analysis.checkPermission(ctx);
    analysis.checkCompatibility(ctx);
    return ctx.withSpec(analysis.computeSpec(ctx));
  }

  /** The application failure behind an activity stub's failure. */
  static ApplicationFailure failure(Executable call) {
    ActivityFailure f = assertThrows(ActivityFailure.class, call);
    assertTrue(f.getCause() instanceof ApplicationFailure, () -> "cause: " + f.getCause());
    return (ApplicationFailure) f.getCause();
  }

  static void assertFailure(
      ApplicationFailure f, String type, boolean nonRetryable, String... words) {
    assertEquals(type, f.getType(), f::getOriginalMessage);
    assertEquals(nonRetryable, f.isNonRetryable(), f::getOriginalMessage);
    for (String w : words) {
      assertTrue(
          f.getOriginalMessage().contains(w),
          () -> "'" + f.getOriginalMessage() + "' does not mention " + w);
    }
  }

  @Override
  public void close() {
    env.close();
  }
}

package dev.vmigrate.api.web;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * The body of a plan simulation ({@code POST /plans/{id}/simulate}); the answer is the simulation
 * report ({@code dev.vmigrate.simulation.SimulationReport}) itself. The bounds here cap how long
 * one simulation can run: at most {@value #MAX_COMPARE} alternatives besides the plan as it is, and
 * a physical model within realistic ranges (no near-zero link or datastore throughput, which would
 * stretch a plan over simulated months).
 */
public final class SimulationDtos {
  private SimulationDtos() {}

  /** The most alternatives one simulation compares with the plan as it is. */
  public static final int MAX_COMPARE = Bounds.COMPARE;

  /**
   * What to simulate besides the plan as it is; an empty body (or {@code {}}) simulates the plan as
   * it is only.
   *
   * @param compare alternative admission settings, each run after the plan as it is, in this order
   * @param model the physical model's parameters that differ from its defaults
   */
  @Introspected
  public record SimulateBody(
      @Nullable @Size(max = MAX_COMPARE) List<@Valid CompareBody> compare,
      @Nullable @Valid ModelBody model) {}

  /**
   * One alternative to compare: the plan with other admission settings.
   *
   * @param label what the report calls this run; absent: "plan limit 16", "no plan limit", "fifo 8"
   * @param planLimit the plan concurrency limit of this run (0: none); absent: the plan's own for
   *     the vmigrate policy, none for fifo (its throttle is its limit)
   * @param policy vmigrate (the default: vCenter's cost model, shortest first within the limits) or
   *     fifo (first in, first out, at most fifoThrottle at once, within the cost limits)
   * @param fifoThrottle how many migrations the fifo policy runs at once, 1 to 1000; required for
   *     fifo and refused otherwise (as in plan options)
   */
  @Introspected
  public record CompareBody(
      @Nullable @Size(min = 1, max = Bounds.LABEL) String label,
      @Nullable @Min(0) @Max(Bounds.CONCURRENCY) Integer planLimit,
      @Nullable @Size(max = Bounds.WORD) @Schema(allowableValues = {"vmigrate", "fifo"})
          String policy,
      @Nullable @Min(1) @Max(Bounds.FIFO_THROTTLE) Integer fifoThrottle) {}

  /**
   * The physical model's parameters (docs/vcsim.md, "The physical model"); each absent one keeps
   * its default.
   *
   * @param linkEfficiency the fraction of a host's vMotion link line rate migrations achieve
   *     together (default 0.9)
   * @param datastoreBytesPerSecond each datastore's throughput, shared by the copies that read or
   *     write it (default 500,000,000)
   * @param memoryDirtyBytesPerSecond how fast a running guest dirties memory during a hot migration
   *     (default 100,000,000)
   * @param maxPrecopyPasses at most this many pre-copy passes (default 10)
   * @param switchoverTargetSeconds pre-copy stops once what is left could be sent within this time
   *     (default 1)
   */
  @Introspected
  public record ModelBody(
      @Nullable @DecimalMin("0.1") @DecimalMax("1") Double linkEfficiency,
      @Nullable @Min(10_000_000L) @Max(100_000_000_000L) Long datastoreBytesPerSecond,
      @Nullable @Min(0) @Max(100_000_000_000L) Long memoryDirtyBytesPerSecond,
      @Nullable @Min(1) @Max(100) Integer maxPrecopyPasses,
      @Nullable @DecimalMin("0") @DecimalMax("60") Double switchoverTargetSeconds) {}
}

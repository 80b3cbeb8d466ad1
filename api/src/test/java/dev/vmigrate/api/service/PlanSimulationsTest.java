package dev.vmigrate.api.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vmigrate.api.web.Dtos.PlanOptions;
import dev.vmigrate.api.web.SimulationDtos.CompareBody;
import dev.vmigrate.api.web.SimulationDtos.ModelBody;
import dev.vmigrate.simulation.SimulationSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the records of a simulation refuse ({@link SimulationSettings}, {@code PhysicalModel}) comes
 * back as a 400 naming the body's field, also for values the body's own bounds would let through.
 */
class PlanSimulationsTest {

  private static ServiceException.Invalid refusedModel(ModelBody m) {
    return assertThrows(ServiceException.Invalid.class, () -> PlanSimulations.model(m));
  }

  @Test
  void aModelTheConstructorRefusesIsRefusedNamingTheBodysField() {
    ServiceException.Invalid e = refusedModel(new ModelBody(0.0, null, null, null, null));
    assertEquals("model.linkEfficiency", e.field());
    assertEquals("model.linkEfficiency: must be in (0, 1], was 0.0", e.getMessage());

    e = refusedModel(new ModelBody(null, null, null, null, -1.0));
    assertEquals("model.switchoverTargetSeconds", e.field());
    assertEquals("model.switchoverTargetSeconds: must not be negative", e.getMessage());

    e = refusedModel(new ModelBody(null, 0L, null, null, null));
    assertEquals("model.datastoreBytesPerSecond", e.field());
  }

  @Test
  void aFifoThrottleWithoutFifoIsRefusedAsInPlanOptions() {
    ServiceException.Invalid e =
        assertThrows(
            ServiceException.Invalid.class,
            () ->
                PlanSimulations.settings(
                    PlanOptions.empty(),
                    List.of(
                        new CompareBody(null, null, "fifo", 4),
                        new CompareBody(null, 4, null, 8))));
    assertEquals("compare[1].fifoThrottle", e.field());
    assertEquals(
        "compare[1].fifoThrottle: only with policy fifo (the policy is vmigrate)", e.getMessage());
    // With fifo it is taken.
    assertEquals(
        4,
        PlanSimulations.settings(
                PlanOptions.empty(), List.of(new CompareBody(null, null, "fifo", 4)))
            .get(1)
            .fifoThrottle());
  }

  @Test
  void settingsTheConstructorRefusesAreRefusedNamingTheEntrysField() {
    PlanOptions o = PlanOptions.empty();
    ServiceException.Invalid e =
        assertThrows(
            ServiceException.Invalid.class,
            () ->
                PlanSimulations.settings(
                    o,
                    List.of(
                        new CompareBody(null, 2, null, null),
                        new CompareBody(null, -1, null, null))));
    assertEquals("compare[1].planLimit", e.field());
    assertEquals("compare[1].planLimit: must not be negative, was -1", e.getMessage());
  }

  @Test
  void fieldsAreTheFirstWordOfTheRecordsMessages() {
    assertEquals("policy", PlanSimulations.fieldOf("policy: must be 'vmigrate'", "x"));
    assertEquals("linkEfficiency", PlanSimulations.fieldOf("linkEfficiency must be", "x"));
    assertEquals("x", PlanSimulations.fieldOf(": nothing", "x"));
    assertEquals("x", PlanSimulations.fieldOf(null, "x"));
  }
}

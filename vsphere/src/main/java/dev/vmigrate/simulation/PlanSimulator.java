package dev.vmigrate.simulation;

/**
 * Runs a plan's simulation. Implementations never write to the vCenter the scenario's inventory was
 * read from: they work on a copy.
 */
public interface PlanSimulator {

  /**
   * Runs the scenario once for each of its settings, in order.
   *
   * @throws IllegalArgumentException when the scenario cannot be simulated (its message names the
   *     field)
   */
  SimulationReport simulate(SimulationScenario scenario);
}

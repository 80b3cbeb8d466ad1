/**
 * Plan simulation: what a simulation is asked ({@link SimulationScenario}, {@link
 * SimulationSettings}), what it answers ({@link SimulationReport}), and who answers it ({@link
 * PlanSimulator}). The simulation runs the real request and migration workflows against a simulated
 * copy of the vCenter's inventory, on Temporal's time-skipping test server, so that it predicts
 * what the real run would do without writing to the real vCenter.
 */
package dev.vmigrate.simulation;

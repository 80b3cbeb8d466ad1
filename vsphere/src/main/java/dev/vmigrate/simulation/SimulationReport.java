package dev.vmigrate.simulation;

import java.util.List;

/**
 * What a plan simulation predicts: one run per settings entry, side by side.
 *
 * @param planName the plan's name
 * @param vcenterId the source vCenter's connection id
 * @param vms how many VMs the plan holds (approved and skipped)
 * @param runs one per settings entry, in the scenario's order
 */
public record SimulationReport(
    String planName, String vcenterId, int vms, List<SimulationRun> runs) {

  public SimulationReport {
    runs = List.copyOf(runs);
  }
}

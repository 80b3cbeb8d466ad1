package dev.vmigrate.simulation;

import java.util.List;

/**
 * One run of a simulation under one settings entry.
 *
 * @param settings what was run
 * @param makespanSeconds simulated seconds from the request's start to its last VM's end
 * @param completed VMs migrated
 * @param failed VMs that failed or were rolled back
 * @param skipped VMs approval skipped
 * @param vms each VM's predicted run, in ledger order
 * @param bottlenecks the bottleneck resource over time, in time order
 * @param findings what blocked or failed VMs in this run
 * @param wallMillis how long the run took on this machine
 */
public record SimulationRun(
    SimulationSettings settings,
    long makespanSeconds,
    int completed,
    int failed,
    int skipped,
    List<VmTimeline> vms,
    List<BottleneckSpan> bottlenecks,
    List<Finding> findings,
    long wallMillis) {

  public SimulationRun {
    vms = List.copyOf(vms);
    bottlenecks = List.copyOf(bottlenecks);
    findings = List.copyOf(findings);
  }
}

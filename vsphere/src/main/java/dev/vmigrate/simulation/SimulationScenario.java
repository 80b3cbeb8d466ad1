package dev.vmigrate.simulation;

import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.VmOrder;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.simulated.PhysicalModel;
import java.util.List;

/**
 * What a plan simulation is asked: the source vCenter's inventory as read once (read-only), the
 * plan's mapping, options and limits, the VMs the request would run (as the ledger would hold
 * them), what approval already found (skipped VMs), and the settings to run side by side.
 *
 * @param planName the plan's name
 * @param inventory one bulk read of the source vCenter (the destination is in it: vmigrate moves
 *     within one vCenter)
 * @param mapping the plan's infrastructure mapping
 * @param options the plan's migration options (hooks and time windows are not simulated)
 * @param limits the plan's admission limits; each settings entry replaces its plan limit and policy
 * @param orders the VMs approval would run, in ledger order
 * @param findings what approval found before any workflow ran (VMs it would skip, and why)
 * @param settings the runs to make, the first being the plan as it is
 * @param model the physical model's parameters
 */
public record SimulationScenario(
    String planName,
    Inventory inventory,
    InfrastructureMapping mapping,
    MigrationOptions options,
    AdmissionLimits limits,
    List<VmOrder> orders,
    List<Finding> findings,
    List<SimulationSettings> settings,
    PhysicalModel model) {

  public SimulationScenario {
    orders = List.copyOf(orders);
    findings = List.copyOf(findings);
    settings = List.copyOf(settings);
    if (settings.isEmpty()) {
      throw new IllegalArgumentException("settings: at least one run is needed");
    }
    model = model == null ? PhysicalModel.defaults() : model;
  }
}

package dev.vmigrate.server.simulation;

import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VmOrder;
import dev.vmigrate.simulation.SimulationScenario;
import dev.vmigrate.simulation.SimulationSettings;
import dev.vmigrate.vsphere.HostInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.simulated.PhysicalModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Scenarios for the simulator's tests: every VM of two clusters moves to the other cluster. */
final class SimulationFixtures {
  private SimulationFixtures() {}

  /** A mapping that swaps the first two clusters and keeps datastores and networks. */
  static InfrastructureMapping swapClusters(String vcenter, Inventory inv) {
    String a = inv.clusters().get(0).name();
    String b = inv.clusters().get(1).name();
    Map<String, String> datastores = new LinkedHashMap<>();
    inv.datastores().forEach(d -> datastores.put(d.name(), d.name()));
    Map<String, String> networks = new LinkedHashMap<>();
    inv.networks().forEach(n -> networks.put(n.name(), n.name()));
    return new InfrastructureMapping(
        vcenter,
        vcenter,
        List.of(new ClusterMapping(a, b, null, null), new ClusterMapping(b, a, null, null)),
        datastores,
        networks);
  }

  /**
   * The orders approval would make for {@code names} (every VM of the inventory when empty),
   * computed here from the inventory the way the ledger holds them: sizes, source host and its
   * link, datastores unchanged.
   */
  static List<VmOrder> orders(Inventory inv, List<String> names) {
    return orders(inv, names, Map.of());
  }

  /** As {@link #orders(Inventory, List)}, each disk moving to the datastore {@code ds} maps. */
  static List<VmOrder> orders(Inventory inv, List<String> names, Map<String, String> ds) {
    List<VmOrder> out = new ArrayList<>();
    for (VmInfo vm : inv.vms()) {
      if (vm.template() || (!names.isEmpty() && !names.contains(vm.name()))) {
        continue;
      }
      HostInfo host = inv.host(vm.host()).orElseThrow();
      List<String> from = vm.disks().stream().map(VirtualDisk::datastore).distinct().toList();
      List<String> to =
          from.stream()
              .map(id -> inv.datastore(id).orElseThrow().name())
              .map(n -> inv.datastoreByName(ds.getOrDefault(n, n)).orElseThrow().id())
              .distinct()
              .toList();
      out.add(
          new VmOrder(
              vm.id(),
              vm.name(),
              vm.instanceUuid(),
              vm.disks().stream().mapToLong(VirtualDisk::capacityBytes).sum(),
              vm.memoryMb() << 20,
              vm.powerState() == PowerState.POWERED_ON,
              host.id(),
              from,
              to,
              !from.equals(to),
              host.vmotionLinkMbps(),
              null));
    }
    return out;
  }

  static SimulationScenario scenario(
      String vcenter, Inventory inv, List<String> names, SimulationSettings... settings) {
    return new SimulationScenario(
        "test-plan",
        inv,
        swapClusters(vcenter, inv),
        new MigrationOptions(null, null, false, null, null, null, null, null),
        AdmissionLimits.vsphereDefaults(0),
        orders(inv, names),
        List.of(),
        List.of(settings),
        PhysicalModel.defaults());
  }

  static SimulationSettings asPlanned() {
    return new SimulationSettings("as planned", 0, null, 0);
  }
}

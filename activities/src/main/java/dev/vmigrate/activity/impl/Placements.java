package dev.vmigrate.activity.impl;

import dev.vmigrate.model.Destination;
import dev.vmigrate.model.DiskLocator;
import dev.vmigrate.model.NicBackingChange;
import dev.vmigrate.model.Placement;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VirtualNic;
import dev.vmigrate.vsphere.RelocateSpec;
import dev.vmigrate.vsphere.VmInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Comparisons between where a VM is and where it should be, and the relocate specs between. */
final class Placements {
  private Placements() {}

  static Map<Integer, String> diskTargets(Destination d) {
    Map<Integer, String> m = new HashMap<>();
    for (DiskLocator l : d.disks()) {
      m.put(l.diskKey(), l.datastore());
    }
    return m;
  }

  static Map<Integer, String> nicTargets(Destination d) {
    Map<Integer, String> m = new HashMap<>();
    for (NicBackingChange n : d.nics()) {
      m.put(n.nicKey(), n.network());
    }
    return m;
  }

  /** Whether the VM is on the destination host and datastores (and networks, if asked). */
  static boolean atDestination(VmInfo vm, Destination d, boolean withNics) {
    if (!Objects.equals(vm.host(), d.host())
        || !Objects.equals(vm.vmxDatastore(), d.vmxDatastore())) {
      return false;
    }
    Map<Integer, String> disks = diskTargets(d);
    for (VirtualDisk disk : vm.disks()) {
      if (!Objects.equals(disk.datastore(), disks.getOrDefault(disk.key(), d.vmxDatastore()))) {
        return false;
      }
    }
    return !withNics || wrongNics(vm, d).isEmpty();
  }

  /** NIC changes still needed to reach the destination networks. */
  static List<NicBackingChange> wrongNics(VmInfo vm, Destination d) {
    Map<Integer, String> nics = nicTargets(d);
    List<NicBackingChange> changes = new ArrayList<>();
    for (VirtualNic nic : vm.nics()) {
      String target = nics.get(nic.key());
      if (target != null && !target.equals(nic.network())) {
        changes.add(new NicBackingChange(nic.key(), target));
      }
    }
    return changes;
  }

  /** Disks that change datastore on the way to the destination. */
  static List<VirtualDisk> movingDisks(VmInfo vm, Destination d) {
    Map<Integer, String> disks = diskTargets(d);
    return vm.disks().stream()
        .filter(x -> !Objects.equals(x.datastore(), disks.getOrDefault(x.key(), d.vmxDatastore())))
        .toList();
  }

  static RelocateSpec toDestination(Destination d, boolean withNics) {
    return new RelocateSpec(
        d.host(), d.resourcePool(), null, d.vmxDatastore(), d.disks(), withNics ? d.nics() : null);
  }

  /** Whether the VM is back on its origin host, pool, datastores and networks. */
  static boolean atOrigin(VmInfo vm, Placement o) {
    if (!Objects.equals(vm.host(), o.host())
        || !Objects.equals(vm.resourcePool(), o.resourcePool())
        || !Objects.equals(vm.vmxDatastore(), o.vmxDatastore())) {
      return false;
    }
    return originNicChanges(vm, o).isEmpty() && originDiskLocators(vm, o, true).isEmpty();
  }

  static RelocateSpec toOrigin(VmInfo vm, Placement o) {
    return new RelocateSpec(
        o.host(),
        o.resourcePool(),
        null,
        o.vmxDatastore(),
        originDiskLocators(vm, o, false),
        originNicChanges(vm, o));
  }

  private static List<DiskLocator> originDiskLocators(VmInfo vm, Placement o, boolean onlyWrong) {
    Map<Integer, String> current = new HashMap<>();
    vm.disks().forEach(d -> current.put(d.key(), d.datastore()));
    List<DiskLocator> out = new ArrayList<>();
    for (VirtualDisk d : o.disks()) {
      if (!onlyWrong || !Objects.equals(current.get(d.key()), d.datastore())) {
        out.add(new DiskLocator(d.key(), d.datastore()));
      }
    }
    return out;
  }

  static List<NicBackingChange> originNicChanges(VmInfo vm, Placement o) {
    Map<Integer, String> current = new HashMap<>();
    vm.nics().forEach(n -> current.put(n.key(), n.network()));
    List<NicBackingChange> out = new ArrayList<>();
    for (VirtualNic n : o.nics()) {
      if (n.network() != null && !n.network().equals(current.get(n.key()))) {
        out.add(new NicBackingChange(n.key(), n.network()));
      }
    }
    return out;
  }
}

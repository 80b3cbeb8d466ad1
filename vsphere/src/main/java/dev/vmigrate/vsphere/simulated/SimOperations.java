package dev.vmigrate.vsphere.simulated;

import dev.vmigrate.model.DiskLocator;
import dev.vmigrate.model.NicBackingChange;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.vsphere.RegisterSpec;
import dev.vmigrate.vsphere.RelocateCheck;
import dev.vmigrate.vsphere.RelocateSpec;
import dev.vmigrate.vsphere.TaskRef;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.simulated.SimEstate.Folder;
import dev.vmigrate.vsphere.simulated.SimEstate.Host;
import dev.vmigrate.vsphere.simulated.SimEstate.Pool;
import dev.vmigrate.vsphere.simulated.SimEstate.Vm;
import dev.vmigrate.vsphere.simulated.SimulatedFiles.DiskFile;
import dev.vmigrate.vsphere.simulated.SimulatedFiles.VmConfig;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What each gateway operation of a {@link SimulatedVsphere} does once the call is counted, its
 * faults checked and finished tasks settled: the checks vCenter makes at call time and the task
 * whose effect applies when it completes. Not thread-safe on its own: it is used only while holding
 * the lock of the {@link SimulatedVsphere} that owns it.
 */
final class SimOperations {
  private static final long MIB = 1024L * 1024L;

  private final SimEstate estate;
  private final PlacementRules rules;
  private final SimTasks tasks;

  SimOperations(SimEstate estate, PlacementRules rules, SimTasks tasks) {
    this.estate = estate;
    this.rules = rules;
    this.tasks = tasks;
  }

  /** What a relocate found valid: where everything goes and how many bytes it moves. */
  private record Relocation(
      String hostId,
      String poolId,
      String folderId,
      Map<Integer, String> diskTargets,
      String vmxTarget,
      Map<Integer, PlacementRules.NicTarget> nicTargets,
      long bytes,
      List<String> resources) {}

  /**
   * CheckRelocate_Task's verdict: the rules that {@link #relocate} applies, without moving
   * anything. Like vCenter, a failed test is reported in the result rather than thrown.
   */
  RelocateCheck checkRelocate(String vmId, RelocateSpec spec) {
    try {
      validateRelocate(vmId, spec);
      return RelocateCheck.passed();
    } catch (VsphereException.NotFound e) {
      throw e;
    } catch (VsphereException e) {
      return new RelocateCheck(List.of(e), List.of());
    }
  }

  TaskRef relocate(String vmId, RelocateSpec spec) {
    Relocation r = validateRelocate(vmId, spec);
    Map<Integer, String> diskTargets = r.diskTargets();
    String vmxTarget = r.vmxTarget();
    return tasks.submit(
        "relocate",
        "RelocateVM_Task",
        vmId,
        r.bytes(),
        r.resources(),
        () -> {
          Vm v = estate.requireVm(vmId);
          rules.requireSpace(rules.incomingBytes(v, diskTargets), v.name);
          v.host = r.hostId();
          v.pool = r.poolId();
          estate.placeInFolder(v, r.folderId());
          for (DiskFile d : v.config.disks) {
            estate.files.moveDisk(
                d, SimulatedFiles.onDatastore(diskTargets.get(d.key), d.fileName));
          }
          if (!vmxTarget.equals(SimulatedFiles.datastoreName(v.config.vmxPath))) {
            estate.byVmxPath.remove(v.config.vmxPath);
            estate.files.rename(v.config, SimulatedFiles.onDatastore(vmxTarget, v.config.vmxPath));
            estate.byVmxPath.put(v.config.vmxPath, v);
          }
          estate.applyNics(v, r.nicTargets());
          return null;
        });
  }

  private Relocation validateRelocate(String vmId, RelocateSpec spec) {
    Vm vm = estate.requireVm(vmId);
    rules.requireIdle(vm);
    Host host = estate.requireHost(spec.host() != null ? spec.host() : vm.host);
    boolean hostChange = !host.id.equals(vm.host);
    if (hostChange) {
      rules.requireAcceptsVms(host);
    } else {
      rules.requireConnected(host);
    }
    Pool pool = estate.requirePool(spec.resourcePool() != null ? spec.resourcePool() : vm.pool);
    rules.requirePoolOnHost(pool, host);
    Folder folder = estate.requireFolder(spec.folder() != null ? spec.folder() : vm.folder);
    if (!folder.id.equals(vm.folder)) {
      rules.requireNameFree(folder, vm.config.instanceUuid, vm.name);
    }
    Map<Integer, String> diskTargets = new LinkedHashMap<>();
    Map<Integer, String> locators = new HashMap<>();
    for (DiskLocator l : spec.disks()) {
      locators.put(l.diskKey(), estate.requireDatastore(l.datastore()).name);
    }
    for (DiskFile d : vm.config.disks) {
      String current = SimulatedFiles.datastoreName(d.fileName);
      String target =
          locators.getOrDefault(
              d.key,
              spec.datastore() != null ? estate.requireDatastore(spec.datastore()).name : current);
      diskTargets.put(d.key, target);
    }
    for (Integer key : locators.keySet()) {
      if (!diskTargets.containsKey(key)) {
        throw new VsphereException.InvalidRequest(
            "InvalidArgument", vm.name + " has no disk with key " + key);
      }
    }
    String vmxTarget =
        spec.datastore() != null
            ? estate.requireDatastore(spec.datastore()).name
            : SimulatedFiles.datastoreName(vm.config.vmxPath);
    Set<String> targetDatastores = new LinkedHashSet<>(diskTargets.values());
    targetDatastores.add(vmxTarget);
    rules.requireMounted(host, targetDatastores, vm.name);
    Map<Integer, PlacementRules.NicTarget> nicTargets = rules.nicTargets(vm, spec.nics());
    rules.requireNetworksSeen(host, nicTargets.values(), vm.name);
    if (hostChange) {
      rules.requireHardwareFits(vm, host);
      if (vm.power == PowerState.POWERED_ON) {
        Host from = estate.hostOf(vm);
        if (!from.cpuVendor.equalsIgnoreCase(host.cpuVendor)) {
          throw new VsphereException.InvalidRequest(
              "CpuIncompatible",
              "cannot migrate "
                  + vm.name
                  + " while powered on: CPU vendor of "
                  + host.name
                  + " ("
                  + host.cpuVendor
                  + ") differs from "
                  + from.name
                  + " ("
                  + from.cpuVendor
                  + ")");
        }
      }
    }
    Map<String, Long> incoming = rules.incomingBytes(vm, diskTargets);
    rules.requireSpace(incoming, vm.name);
    long bytes = incoming.values().stream().mapToLong(Long::longValue).sum();
    // What the copy crosses, for the physical model: both hosts' vMotion links when the host
    // changes, the source and destination datastores of every disk that moves.
    Set<String> resources = new LinkedHashSet<>();
    if (hostChange) {
      resources.add(SimTasks.link(vm.host));
      resources.add(SimTasks.link(host.id));
      if (vm.power == PowerState.POWERED_ON) {
        bytes += tasks.memoryBytes(vm.config.memoryMb * MIB, vm.host, host.id);
      }
    }
    for (DiskFile d : vm.config.disks) {
      String from = SimulatedFiles.datastoreName(d.fileName);
      String to = diskTargets.get(d.key);
      if (!d.rdm && !to.equals(from)) {
        resources.add(SimTasks.datastore(from));
        resources.add(SimTasks.datastore(to));
      }
    }
    return new Relocation(
        host.id,
        pool.id,
        folder.id,
        diskTargets,
        vmxTarget,
        nicTargets,
        bytes,
        List.copyOf(resources));
  }

  void unregister(String vmId) {
    Vm vm = estate.requireVm(vmId);
    rules.requireIdle(vm);
    if (vm.power != PowerState.POWERED_OFF) {
      throw new VsphereException.InvalidState(
          "InvalidPowerState",
          "cannot unregister " + vm.name + ": it is " + vm.power.name().toLowerCase(Locale.ROOT));
    }
    estate.removeVm(vm);
  }

  TaskRef register(RegisterSpec spec) {
    // The folder is the call's target: an unknown one is refused before any task exists.
    Folder folder = estate.requireFolder(spec.folder());
    VmConfig config = estate.files.get(spec.vmPathName());
    // vCenter and vcsim accept the call and fail its task for a missing or registered .vmx.
    VsphereException unusable =
        config == null
            ? new VsphereException.NotFound(
                "FileNotFound", "file " + spec.vmPathName() + " was not found")
            : rules.registrationConflict(config);
    if (unusable != null) {
      return tasks.submit(
          "register",
          "RegisterVM_Task",
          folder.id,
          0,
          () -> {
            throw unusable;
          });
    }
    rules.requireNameFree(folder, config.instanceUuid, spec.name());
    Pool pool = estate.requirePool(spec.resourcePool());
    Host host =
        spec.host() != null
            ? estate.requireHost(spec.host())
            : estate.hostsOfPool(pool).stream()
                .filter(Host::acceptsVms)
                .findFirst()
                .orElseThrow(
                    () ->
                        new VsphereException.InvalidState(
                            "InvalidHostState", "no usable host owns the pool"));
    rules.requireAcceptsVms(host);
    rules.requirePoolOnHost(pool, host);
    Set<String> needed = new LinkedHashSet<>();
    needed.add(SimulatedFiles.datastoreName(config.vmxPath));
    config.disks.forEach(d -> needed.add(SimulatedFiles.datastoreName(d.fileName)));
    rules.requireMounted(host, needed, spec.name());
    String hostId = host.id;
    String poolId = pool.id;
    String folderId = folder.id;
    return tasks.submit(
        "register",
        "RegisterVM_Task",
        folder.id,
        0,
        () -> {
          rules.requireRegistrable(config);
          rules.requireNameFree(estate.folders.get(folderId), config.instanceUuid, spec.name());
          Vm vm = new Vm(estate.newId("vm"), spec.name(), config);
          vm.host = hostId;
          vm.pool = poolId;
          estate.setPower(vm, PowerState.POWERED_OFF);
          estate.addVm(vm, folderId);
          return vm.id;
        });
  }

  TaskRef reconfigureNics(String vmId, List<NicBackingChange> changes) {
    Vm vm = estate.requireVm(vmId);
    rules.requireIdle(vm);
    Map<Integer, PlacementRules.NicTarget> targets = rules.nicTargets(vm, changes);
    rules.requireNetworksSeen(estate.hostOf(vm), targets.values(), vm.name);
    return tasks.submit(
        "reconfigureNics",
        "ReconfigVM_Task",
        vmId,
        0,
        () -> {
          estate.applyNics(estate.requireVm(vmId), targets);
          return null;
        });
  }

  TaskRef moveIntoFolder(String vmId, String folderId) {
    Vm vm = estate.requireVm(vmId);
    Folder folder = estate.requireFolder(folderId);
    if (!folder.id.equals(vm.folder)) {
      rules.requireNameFree(folder, vm.config.instanceUuid, vm.name);
    }
    return tasks.submit(
        "moveIntoFolder",
        "MoveIntoFolder_Task",
        vmId,
        0,
        () -> {
          estate.placeInFolder(estate.requireVm(vmId), folderId);
          return null;
        });
  }

  TaskRef powerOn(String vmId) {
    Vm vm = estate.requireVm(vmId);
    rules.requireIdle(vm);
    Host host = estate.hostOf(vm);
    rules.requireConnected(host);
    if (host.maintenance) {
      throw new VsphereException.InvalidState(
          "InvalidHostState", host.name + " is in maintenance mode");
    }
    return tasks.submit(
        "powerOn",
        "PowerOnVM_Task",
        vmId,
        0,
        () -> {
          Vm v = estate.requireVm(vmId);
          // Checked when the task runs: vCenter fails the task, not the call.
          PlacementRules.requirePowerStateOtherThan(v, PowerState.POWERED_ON);
          estate.setPower(v, PowerState.POWERED_ON);
          v.shutdownAt = null;
          return null;
        });
  }

  TaskRef powerOff(String vmId) {
    Vm vm = estate.requireVm(vmId);
    rules.requireIdle(vm);
    rules.requireConnected(estate.hostOf(vm));
    return tasks.submit(
        "powerOff",
        "PowerOffVM_Task",
        vmId,
        0,
        () -> {
          Vm v = estate.requireVm(vmId);
          // Checked when the task runs: vCenter fails the task, not the call.
          PlacementRules.requirePowerStateOtherThan(v, PowerState.POWERED_OFF);
          estate.setPower(v, PowerState.POWERED_OFF);
          v.shutdownAt = null;
          return null;
        });
  }

  void shutdownGuest(String vmId) {
    Vm vm = estate.requireVm(vmId);
    if (vm.power != PowerState.POWERED_ON) {
      throw new VsphereException.InvalidState("InvalidPowerState", vm.name + " is not powered on");
    }
    rules.requireConnected(estate.hostOf(vm));
    if (vm.toolsRunning) {
      vm.shutdownAt = tasks.clock.instant().plus(tasks.guestShutdownDelay);
      estate.shuttingDown.add(vm);
      tasks.settle();
    }
  }

  void setCustomValue(String entityId, String key, String value) {
    Map<String, String> values = estate.customValuesOf(entityId);
    if (value == null || value.isEmpty()) {
      values.remove(key);
    } else {
      values.put(key, value);
    }
  }
}

package dev.vmigrate.vsphere.simulated;

import dev.vmigrate.vsphere.simulated.SimEstate.Cl;
import dev.vmigrate.vsphere.simulated.SimEstate.Dc;
import dev.vmigrate.vsphere.simulated.SimEstate.Ds;
import dev.vmigrate.vsphere.simulated.SimEstate.Folder;
import dev.vmigrate.vsphere.simulated.SimEstate.Host;
import dev.vmigrate.vsphere.simulated.SimEstate.Net;
import dev.vmigrate.vsphere.simulated.SimEstate.Pool;
import dev.vmigrate.vsphere.simulated.SimEstate.Vm;
import dev.vmigrate.vsphere.simulated.SimulatedFiles.DiskFile;
import dev.vmigrate.vsphere.simulated.SimulatedFiles.NicConfig;
import dev.vmigrate.vsphere.simulated.SimulatedFiles.VmConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Builds the inventory behind {@link SimulatedVsphere.Builder}, which documents each step. Used by
 * one thread before the simulated vCenter is handed out.
 */
final class SimulatedVsphereBuilder {
  private final SimulatedVsphere sim;
  private final SimEstate estate;
  private final Random random;
  private final Map<String, SimulatedHostSpec> pendingHosts = new LinkedHashMap<>();
  private Dc dc;
  private Cl cluster;
  private Host standalone;
  private int macCounter = 1;

  SimulatedVsphereBuilder(SimulatedVsphere sim, String vcenterId) {
    this.sim = sim;
    this.estate = sim.estate;
    this.random = new Random(vcenterId.hashCode());
  }

  void datacenter(String name) {
    Dc d = new Dc();
    d.id = "datacenter-" + estate.nextId++;
    d.name = name;
    Folder vmFolder = new Folder();
    vmFolder.id = "group-v" + estate.nextId++;
    vmFolder.name = "vm";
    vmFolder.parent = d.id;
    estate.folders.put(vmFolder.id, vmFolder);
    d.vmFolder = vmFolder.id;
    estate.datacenters.put(d.id, d);
    dc = d;
    cluster = null;
    standalone = null;
  }

  void datastore(String name, long capacityBytes, long usedByOtherFiles) {
    requireDc();
    Ds d = new Ds();
    d.id = "datastore-" + estate.nextId++;
    d.name = name;
    d.dc = dc.id;
    d.capacity = capacityBytes;
    d.otherUsed = usedByOtherFiles;
    estate.datastores.put(d.id, d);
    estate.datastoreIdByName.putIfAbsent(name, d.id);
  }

  void network(String name) {
    requireDc();
    Net n = new Net();
    n.id = "network-" + estate.nextId++;
    n.name = name;
    n.dc = dc.id;
    estate.networks.put(n.id, n);
    estate.networkIdByName.putIfAbsent(name, n.id);
  }

  void portGroup(String name, String switchName) {
    requireDc();
    Net n = new Net();
    n.id = "dvportgroup-" + estate.nextId++;
    n.name = name;
    n.dc = dc.id;
    n.distributed = true;
    n.switchUuid = UUID.nameUUIDFromBytes(switchName.getBytes()).toString();
    n.portgroupKey = n.id;
    estate.networks.put(n.id, n);
    estate.networkIdByName.putIfAbsent(name, n.id);
  }

  void cluster(String name) {
    requireDc();
    Cl c = new Cl();
    c.id = "domain-c" + estate.nextId++;
    c.name = name;
    c.dc = dc.id;
    Pool root = new Pool();
    root.id = "resgroup-" + estate.nextId++;
    root.name = "Resources";
    root.owner = c.id;
    estate.pools.put(root.id, root);
    c.rootPool = root.id;
    estate.clusters.put(c.id, c);
    cluster = c;
    standalone = null;
  }

  void host(String name, Consumer<SimulatedHostSpec> spec) {
    if (cluster == null) {
      throw new IllegalStateException("declare a cluster before host " + name);
    }
    Host h = newHost(name, spec);
    h.cluster = cluster.id;
    cluster.hosts.add(h.id);
  }

  void standaloneHost(String name, Consumer<SimulatedHostSpec> spec) {
    requireDc();
    Host h = newHost(name, spec);
    h.computeResource = "domain-s" + estate.nextId++;
    Pool root = new Pool();
    root.id = "resgroup-" + estate.nextId++;
    root.name = "Resources";
    root.owner = h.computeResource;
    estate.pools.put(root.id, root);
    h.rootPool = root.id;
    cluster = null;
    standalone = h;
  }

  private Host newHost(String name, Consumer<SimulatedHostSpec> spec) {
    requireDc();
    SimulatedHostSpec s = new SimulatedHostSpec();
    spec.accept(s);
    Host h = new Host();
    h.id = "host-" + estate.nextId++;
    h.name = name;
    h.dc = dc.id;
    h.connectionState = s.connectionState;
    h.maintenance = s.maintenance;
    h.cpuVendor = s.cpuVendor;
    h.maxHardwareVersion = s.maxHardwareVersion;
    h.vmotionLinkMbps = s.vmotionLinkMbps;
    h.memoryBytes = s.memoryMb << 20;
    h.cpuCores = s.cpuCores;
    h.cpuMhzPerCore = s.cpuMhzPerCore;
    estate.hosts.put(h.id, h);
    pendingHosts.put(h.id, s);
    return h;
  }

  void resourcePool(String name) {
    if (cluster == null && standalone == null) {
      throw new IllegalStateException("declare a cluster or standalone host before pool " + name);
    }
    Pool p = new Pool();
    p.id = "resgroup-" + estate.nextId++;
    p.name = name;
    p.owner = cluster != null ? cluster.id : standalone.computeResource;
    p.parent = cluster != null ? cluster.rootPool : standalone.rootPool;
    estate.pools.put(p.id, p);
  }

  void folder(String name) {
    requireDc();
    Folder f = new Folder();
    f.id = "group-v" + estate.nextId++;
    f.name = name;
    f.parent = dc.vmFolder;
    estate.folders.put(f.id, f);
  }

  void vm(String name, Consumer<SimulatedVmSpec> spec) {
    requireDc();
    SimulatedVmSpec s = new SimulatedVmSpec();
    spec.accept(s);
    Host host;
    if (s.host != null) {
      host = estate.hosts.get(sim.hostId(s.host));
    } else if (cluster != null && !cluster.hosts.isEmpty()) {
      host = estate.hosts.get(cluster.hosts.get(0));
    } else if (standalone != null) {
      host = standalone;
    } else {
      throw new IllegalStateException("VM " + name + " needs a host");
    }
    String pool =
        s.pool == null
            ? host.cluster != null ? estate.clusters.get(host.cluster).rootPool : host.rootPool
            : estate.poolIdIn(host.owner(), s.pool, host.name);
    Dc hostDc = estate.datacenters.get(host.dc);
    String folder = s.folder == null ? hostDc.vmFolder : sim.folderId(s.folder);

    VmConfig c = new VmConfig();
    String vmxDs =
        s.vmxDatastore != null
            ? s.vmxDatastore
            : !s.disks.isEmpty()
                ? s.disks.get(0).datastore()
                : estate.datastores.values().stream()
                    .filter(d -> hostDc.id.equals(d.dc))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no datastore for " + name))
                    .name;
    c.vmxPath = "[" + vmxDs + "] " + name + "/" + name + ".vmx";
    c.instanceUuid = s.instanceUuid != null ? s.instanceUuid : uuid("50");
    c.biosUuid = s.biosUuid != null ? s.biosUuid : uuid("42");
    c.hardwareVersion = s.hardwareVersion;
    c.guestId = s.guestId;
    c.cpus = s.cpus;
    c.memoryMb = s.memoryMb;
    c.template = s.template;
    c.cdromHostDevice = s.cdromHostDevice;
    c.toolsInstalled = s.tools;
    int key = 2000;
    for (int i = 0; i < s.disks.size(); i++) {
      SimulatedVmSpec.DiskDecl d = s.disks.get(i);
      String file =
          "[" + d.datastore() + "] " + name + "/" + name + (i == 0 ? "" : "_" + i) + ".vmdk";
      c.disks.add(
          new DiskFile(key + i, "Hard disk " + (i + 1), file, d.bytes(), d.mode(), d.rdm()));
    }
    for (int i = 0; i < s.nics.size(); i++) {
      String[] n = s.nics.get(i);
      String mac =
          n[1] != null
              ? n[1]
              : String.format(
                  "00:50:56:%02x:%02x:%02x",
                  (macCounter >> 16) & 0xff, (macCounter >> 8) & 0xff, macCounter & 0xff);
      macCounter++;
      c.nics.add(new NicConfig(4000 + i, "Network adapter " + (i + 1), mac, n[0]));
    }
    c.snapshots.addAll(s.snapshots);
    if (estate.findByUuid(c.instanceUuid).isPresent()) {
      throw new IllegalArgumentException("instance UUID " + c.instanceUuid + " is already used");
    }
    Folder f = estate.folders.get(folder);
    sim.rules.requireNameFree(f, c.instanceUuid, name);
    estate.files.put(c);
    Vm vm = new Vm("vm-" + estate.nextId++, name, c);
    vm.host = host.id;
    vm.pool = pool;
    estate.setPower(vm, s.power);
    estate.addVm(vm, folder);
  }

  void unregisteredVm(String name, Consumer<SimulatedVmSpec> spec) {
    vm(name, spec);
    estate.removeVm(estate.vms.get(sim.vmId(name)));
  }

  SimulatedVsphere build() {
    for (var e : pendingHosts.entrySet()) {
      Host h = estate.hosts.get(e.getKey());
      SimulatedHostSpec s = e.getValue();
      for (Ds d : estate.datastores.values()) {
        if (s.datastores == null ? Objects.equals(d.dc, h.dc) : s.datastores.contains(d.name)) {
          h.datastores.add(d.id);
        }
      }
      for (Net n : estate.networks.values()) {
        if (s.networks == null ? Objects.equals(n.dc, h.dc) : s.networks.contains(n.name)) {
          h.networks.add(n.id);
        }
      }
    }
    pendingHosts.clear();
    return sim;
  }

  private String uuid(String prefix) {
    String u = new UUID(random.nextLong(), random.nextLong()).toString();
    return prefix + u.substring(2);
  }

  private void requireDc() {
    if (dc == null) {
      throw new IllegalStateException("declare a datacenter first");
    }
  }
}

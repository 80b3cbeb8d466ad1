package dev.vmigrate.api.support;

import dev.vmigrate.model.DiskMode;
import dev.vmigrate.model.NicBackingChange;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VirtualNic;
import dev.vmigrate.vsphere.ClusterInfo;
import dev.vmigrate.vsphere.DatacenterInfo;
import dev.vmigrate.vsphere.DatastoreInfo;
import dev.vmigrate.vsphere.FolderInfo;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.HostInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.NetworkInfo;
import dev.vmigrate.vsphere.RegisterSpec;
import dev.vmigrate.vsphere.RelocateSpec;
import dev.vmigrate.vsphere.ResourcePoolInfo;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.TaskRef;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test-local, read-only vSphere inventory: the API only reads inventories, so operations throw.
 * Two vCenters: "src" (clusters Cluster-A and Cluster-B) and "dst" (Cluster-X). Stand-in until
 * SimulatedVsphere lands on main.
 */
public final class FakeVsphere implements VsphereGateway {
  public static final long GB = 1024L * 1024 * 1024;

  private final String id;
  private final Inventory base;
  private final List<VmInfo> vms = new CopyOnWriteArrayList<>();

  private FakeVsphere(String id, Inventory base, List<VmInfo> vms) {
    this.id = id;
    this.base = base;
    this.vms.addAll(vms);
  }

  /** The registry over a fresh pair of vCenters; unknown ids fail as the contract says. */
  public static GatewayRegistry registry(FakeVsphere src, FakeVsphere dst) {
    return vc -> {
      if (vc.equals(src.vcenterId())) {
        return src;
      }
      if (vc.equals(dst.vcenterId())) {
        return dst;
      }
      throw new VsphereException.InvalidRequest("InvalidArgument", "no vCenter " + vc);
    };
  }

  public static FakeVsphere source() {
    Inventory inv =
        new Inventory(
            List.of(new DatacenterInfo("datacenter-1", "DC1", "group-v1")),
            List.of(
                new ClusterInfo(
                    "domain-c1", "Cluster-A", "datacenter-1", "resgroup-1", List.of("host-1")),
                new ClusterInfo(
                    "domain-c2", "Cluster-B", "datacenter-1", "resgroup-2", List.of("host-2"))),
            List.of(
                host("host-1", "Cluster-A", List.of("datastore-1", "datastore-2")),
                host("host-2", "Cluster-B", List.of("datastore-1"))),
            List.of(
                new DatastoreInfo("datastore-1", "DS1", 4000 * GB, 1000 * GB, true),
                new DatastoreInfo("datastore-2", "DS2", 4000 * GB, 1000 * GB, true)),
            List.of(
                new NetworkInfo("network-1", "VM Network", false, null, null),
                new NetworkInfo("network-2", "Prod", false, null, null)),
            List.of(new ResourcePoolInfo("resgroup-1", "Resources", "domain-c1", null)),
            List.of(new FolderInfo("group-v1", "vm", null)),
            List.of());
    return new FakeVsphere(
        "src",
        inv,
        List.of(
            vm("vm-1", "web01", 1, "Cluster-A", 10, "network-1", Map.of()),
            vm("vm-2", "web02", 2, "Cluster-A", 10, "network-1", Map.of()),
            vm("vm-3", "db01", 3, "Cluster-A", 10, "network-2", Map.of()),
            vm("vm-4", "big01", 4, "Cluster-A", 5000, "network-1", Map.of()),
            vm(
                "vm-5",
                "old01",
                5,
                "Cluster-A",
                10,
                "network-1",
                Map.of("vmigrate.result", "migrated migrate-src-x 2026-01-01T00:00:00Z")),
            vm("vm-6", "app01", 6, "Cluster-A", 10, "network-1", Map.of()),
            vm("vm-7", "app02", 7, "Cluster-A", 10, "network-1", Map.of()),
            vm("vm-8", "app03", 8, "Cluster-A", 10, "network-1", Map.of())));
  }

  public static FakeVsphere destination() {
    Inventory inv =
        new Inventory(
            List.of(new DatacenterInfo("datacenter-9", "DC9", "group-v9")),
            List.of(
                new ClusterInfo(
                    "domain-c9", "Cluster-X", "datacenter-9", "resgroup-9", List.of("host-9"))),
            List.of(host("host-9", "Cluster-X", List.of("datastore-9"))),
            List.of(
                new DatastoreInfo("datastore-9", "DS-X", 4000 * GB, 2000 * GB, true),
                new DatastoreInfo("datastore-10", "DS-Offline", 4000 * GB, 2000 * GB, false)),
            List.of(new NetworkInfo("network-9", "VM Network X", false, null, null)),
            List.of(new ResourcePoolInfo("resgroup-9", "Resources", "domain-c9", null)),
            List.of(new FolderInfo("group-v9", "Migrated", null)),
            List.of());
    return new FakeVsphere("dst", inv, List.of());
  }

  /** The instance UUID of test VM number n. */
  public static String uuid(int n) {
    return String.format("50%06d-0000-0000-0000-%012d", n, n);
  }

  public static String biosUuid(int n) {
    return String.format("42%06d-0000-0000-0000-%012d", n, n);
  }

  private static HostInfo host(String id, String cluster, List<String> ds) {
    return new HostInfo(
        id,
        id + ".example",
        cluster,
        "connected",
        false,
        ds,
        List.of("network-1", "network-2"),
        "intel",
        "vmx-19",
        10_000);
  }

  private static VmInfo vm(
      String id,
      String name,
      int n,
      String cluster,
      long diskGb,
      String net,
      Map<String, String> attrs) {
    String clusterId = cluster.equals("Cluster-A") ? "domain-c1" : "domain-c2";
    return new VmInfo(
        id,
        name,
        uuid(n),
        biosUuid(n),
        PowerState.POWERED_ON,
        "connected",
        false,
        "host-1",
        clusterId,
        "resgroup-1",
        "group-v1",
        "[DS1] " + name + "/" + name + ".vmx",
        "datastore-1",
        "vmx-19",
        "otherGuest64",
        2,
        4096,
        List.of(
            new VirtualDisk(
                2000,
                "Hard disk 1",
                "datastore-1",
                "[DS1] " + name + "/" + name + ".vmdk",
                diskGb * GB,
                DiskMode.PERSISTENT,
                false)),
        List.of(new VirtualNic(4000, "Network adapter 1", "00:50:56:00:00:0" + (n % 10), net)),
        false,
        List.of(),
        attrs);
  }

  /** Sets a custom attribute on a VM, as a finished migration would. */
  public void setAttribute(String vmId, String key, String value) {
    for (int i = 0; i < vms.size(); i++) {
      VmInfo v = vms.get(i);
      if (v.id().equals(vmId)) {
        Map<String, String> m = new java.util.HashMap<>(v.customValues());
        m.put(key, value);
        vms.set(
            i,
            new VmInfo(
                v.id(),
                v.name(),
                v.instanceUuid(),
                v.biosUuid(),
                v.powerState(),
                v.connectionState(),
                v.template(),
                v.host(),
                v.cluster(),
                v.resourcePool(),
                v.folder(),
                v.vmPathName(),
                v.vmxDatastore(),
                v.hardwareVersion(),
                v.guestId(),
                v.cpus(),
                v.memoryMb(),
                v.disks(),
                v.nics(),
                v.cdromHostDevice(),
                v.snapshots(),
                m));
      }
    }
  }

  @Override
  public String vcenterId() {
    return id;
  }

  @Override
  public Inventory inventory() {
    return new Inventory(
        base.datacenters(),
        base.clusters(),
        base.hosts(),
        base.datastores(),
        base.networks(),
        base.resourcePools(),
        base.folders(),
        List.copyOf(vms));
  }

  @Override
  public VmInfo vm(String vmId) {
    return vms.stream()
        .filter(v -> v.id().equals(vmId))
        .findFirst()
        .orElseThrow(() -> new VsphereException.NotFound("ManagedObjectNotFound", vmId));
  }

  @Override
  public Optional<VmInfo> findVmByInstanceUuid(String instanceUuid) {
    return vms.stream().filter(v -> v.instanceUuid().equalsIgnoreCase(instanceUuid)).findFirst();
  }

  @Override
  public HostInfo host(String hostId) {
    return base.host(hostId).orElseThrow();
  }

  @Override
  public DatastoreInfo datastore(String datastoreId) {
    return base.datastore(datastoreId).orElseThrow();
  }

  private static UnsupportedOperationException readOnly() {
    return new UnsupportedOperationException("the API's test inventory is read-only");
  }

  @Override
  public TaskRef relocate(String vmId, RelocateSpec spec) {
    throw readOnly();
  }

  @Override
  public void unregister(String vmId) {
    throw readOnly();
  }

  @Override
  public TaskRef register(RegisterSpec spec) {
    throw readOnly();
  }

  @Override
  public TaskRef reconfigureNics(String vmId, List<NicBackingChange> changes) {
    throw readOnly();
  }

  @Override
  public TaskRef moveIntoFolder(String vmId, String folderId) {
    throw readOnly();
  }

  @Override
  public TaskRef powerOn(String vmId) {
    throw readOnly();
  }

  @Override
  public TaskRef powerOff(String vmId) {
    throw readOnly();
  }

  @Override
  public void shutdownGuest(String vmId) {
    throw readOnly();
  }

  @Override
  public void setCustomValue(String entityId, String key, String value) {
    throw readOnly();
  }

  @Override
  public Map<String, Set<String>> missingPrivileges(
      List<String> entityIds, Set<String> privileges) {
    throw readOnly();
  }

  @Override
  public TaskInfo task(TaskRef ref) {
    throw readOnly();
  }
}

package dev.vmigrate.vsphere.vim25;

import static dev.vmigrate.vsphere.vim25.PropertyReader.filterSpec;
import static dev.vmigrate.vsphere.vim25.PropertyReader.objectSpec;
import static dev.vmigrate.vsphere.vim25.PropertyReader.propertySpec;
import static dev.vmigrate.vsphere.vim25.PropertyReader.traversal;

import dev.vmigrate.model.DiskLocator;
import dev.vmigrate.model.NicBackingChange;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VirtualNic;
import dev.vmigrate.vsphere.ClusterInfo;
import dev.vmigrate.vsphere.DatacenterInfo;
import dev.vmigrate.vsphere.DatastoreInfo;
import dev.vmigrate.vsphere.FolderInfo;
import dev.vmigrate.vsphere.HostInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.NetworkInfo;
import dev.vmigrate.vsphere.RegisterSpec;
import dev.vmigrate.vsphere.RelocateSpec;
import dev.vmigrate.vsphere.ResourcePoolInfo;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.TaskRef;
import dev.vmigrate.vsphere.TaskState;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.vim25.PropertyReader.ObjectContent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VsphereGateway} over vCenter's vim25 SOAP API. Logs in lazily, logs in again once when a
 * call fails with NotAuthenticated (an expired session), reads the inventory through a
 * ContainerView with RetrievePropertiesEx pages, and maps SOAP faults to typed {@link
 * VsphereException}s. Thread-safe.
 */
public final class Vim25Gateway implements VsphereGateway, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Vim25Gateway.class);

  /** Objects per RetrievePropertiesEx page: a 1,000-VM inventory takes a few pages. */
  static final int PAGE_SIZE = 500;

  static final String[] VM_PROPS = {
    "name",
    "config.instanceUuid",
    "config.uuid",
    "runtime.powerState",
    "runtime.connectionState",
    "config.template",
    "runtime.host",
    "resourcePool",
    "parent",
    "config.files.vmPathName",
    "config.version",
    "config.guestId",
    "config.hardware.numCPU",
    "config.hardware.memoryMB",
    "config.hardware.device",
    "snapshot",
    "customValue",
    "datastore"
  };
  static final String[] HOST_PROPS = {
    "name",
    "parent",
    "runtime.connectionState",
    "runtime.inMaintenanceMode",
    "datastore",
    "network",
    "hardware.cpuPkg",
    "config.product.version",
    "config.network.pnic"
  };
  static final String[] DATASTORE_PROPS = {
    "name", "summary.capacity", "summary.freeSpace", "summary.accessible", "customValue"
  };

  /** vcsim's task names of the API methods vmigrate starts tasks with (see docs/vcsim.md). */
  private static final Map<String, String> SIMULATOR_TASK_NAMES =
      Map.of(
          "RelocateVm", TaskInfo.RELOCATE,
          "RegisterVm", "RegisterVM_Task",
          "ReconfigVm", "ReconfigVM_Task",
          "MoveIntoFolder", "MoveIntoFolder_Task",
          "PowerOn", "PowerOnVM_Task",
          "PowerOff", "PowerOffVM_Task");

  private final Map<String, String> knownTypes = new ConcurrentHashMap<>();
  private final Vim25Session session;

  public Vim25Gateway(Vim25Connection connection) {
    this.session = new Vim25Session(connection);
  }

  @Override
  public String vcenterId() {
    return session.connection().id();
  }

  /** SOAP round trips made so far (RetrieveServiceContent and Login included). */
  public int roundTrips() {
    return session.roundTrips();
  }

  // ---- session: see Vim25Session ----

  /** Logs in now rather than at the first call, surfacing bad credentials early. */
  public void login() {
    session.login();
  }

  /** Ends the session; later calls log in again. */
  public void logout() {
    session.logout();
  }

  /** SessionIsActive for this gateway's own session. */
  public boolean sessionActive() {
    return session.sessionActive();
  }

  @Override
  public void close() {
    session.close();
  }

  Vim25Session.ServiceContent serviceContent() {
    return session.serviceContent();
  }

  /** One call in the session, logging in (again) as needed: see {@link Vim25Session#invoke}. */
  XmlNode invoke(XmlElement call) {
    return session.invoke(call);
  }

  /**
   * The managed object reference for an id: typed from what responses said, else from vCenter's id
   * prefixes, else by reading the inventory once (vcsim names datastores by their directory).
   */
  MoRef refOf(String id) {
    String type = knownTypes.get(id);
    if (type != null) {
      return new MoRef(type, id);
    }
    try {
      return MoRef.of(id);
    } catch (IllegalArgumentException e) {
      inventory();
      type = knownTypes.get(id);
      if (type == null) {
        throw new VsphereException.NotFound("ManagedObjectNotFound", "no managed object " + id);
      }
      return new MoRef(type, id);
    }
  }

  private void learn(MoRef ref) {
    if (ref != null) {
      knownTypes.put(ref.value(), ref.type());
    }
  }

  // ---- property reads ----

  /** RetrievePropertiesEx and as many ContinueRetrievePropertiesEx as there are pages. */
  List<ObjectContent> retrieve(List<XmlElement> propSets, List<XmlElement> objectSets) {
    Vim25Session.ServiceContent sc = serviceContent();
    XmlNode res =
        invoke(
            XmlElement.of("RetrievePropertiesEx")
                .addRef("_this", sc.propertyCollector())
                .add(filterSpec(propSets, objectSets))
                .add(XmlElement.of("options").add("maxObjects", PAGE_SIZE)));
    List<ObjectContent> out = new ArrayList<>();
    XmlNode page = res.child("returnval").orElse(null);
    while (page != null) {
      List<ObjectContent> objects = PropertyReader.objects(page);
      objects.forEach(o -> learn(o.obj()));
      out.addAll(objects);
      String token = page.text("token");
      if (token == null || token.isBlank()) {
        break;
      }
      page =
          invoke(
                  XmlElement.of("ContinueRetrievePropertiesEx")
                      .addRef("_this", sc.propertyCollector())
                      .add("token", token))
              .child("returnval")
              .orElse(null);
    }
    return out;
  }

  private ObjectContent one(MoRef obj, String type, String... paths) {
    List<ObjectContent> r =
        retrieve(List.of(propertySpec(type, paths)), List.of(objectSpec(obj, false)));
    return r.stream()
        .filter(o -> o.obj().value().equals(obj.value()))
        .findFirst()
        .orElseThrow(
            () ->
                new VsphereException.NotFound(
                    "ManagedObjectNotFound", "no " + type + " " + obj.value()));
  }

  private Map<Integer, String> customFieldNames(List<ObjectContent> objects) {
    Map<Integer, String> names = new HashMap<>();
    for (ObjectContent o : objects) {
      if (o.obj().type().equals("CustomFieldsManager")) {
        XmlNode fields = o.prop("field");
        if (fields != null) {
          for (XmlNode f : fields.children()) {
            names.put(Integer.parseInt(f.text("key").trim()), f.text("name"));
          }
        }
      }
    }
    return names;
  }

  @Override
  public Inventory inventory() {
    return snapshot(true);
  }

  @Override
  public Inventory infrastructure() {
    return snapshot(false);
  }

  @Override
  public Map<String, String> vmCustomValues(String key) {
    List<ObjectContent> objects =
        throughView(
            List.of("VirtualMachine"),
            List.of(
                propertySpec("VirtualMachine", "customValue"),
                propertySpec("CustomFieldsManager", "field")));
    Map<Integer, String> fieldNames = customFieldNames(objects);
    Map<String, String> values = new LinkedHashMap<>();
    for (ObjectContent o : objects) {
      if (o.obj().type().equals("VirtualMachine")) {
        String value = customValues(o, fieldNames).get(key);
        if (value != null && !value.isEmpty()) {
          values.put(o.obj().value(), value);
        }
      }
    }
    return values;
  }

  @Override
  public Optional<VmInfo> findVmInFolder(String folderId, String name) {
    XmlNode res =
        invoke(
            XmlElement.of("FindChild")
                .addRef("_this", serviceContent().searchIndex())
                .addRef("entity", refOf(folderId))
                .add("name", name));
    Optional<MoRef> ref = res.child("returnval").map(XmlNode::moRef);
    ref.ifPresent(this::learn);
    return ref.filter(r -> r.type().equals("VirtualMachine")).map(r -> vm(r.value()));
  }

  /**
   * The inventory through one container view, with or without the VMs (whose properties, devices
   * above all, make up most of the bytes on a large vCenter).
   */
  private Inventory snapshot(boolean withVms) {
    List<String> types =
        new ArrayList<>(
            List.of(
                "Datacenter",
                "Folder",
                "ClusterComputeResource",
                "HostSystem",
                "ResourcePool",
                "Datastore",
                "Network",
                "DistributedVirtualSwitch"));
    List<XmlElement> propSets =
        new ArrayList<>(
            List.of(
                propertySpec("Datacenter", "name", "vmFolder", "parent"),
                propertySpec("Folder", "name", "parent", "childType"),
                propertySpec("ClusterComputeResource", "name", "parent", "resourcePool", "host"),
                propertySpec("HostSystem", HOST_PROPS),
                propertySpec("ResourcePool", "name", "owner", "parent"),
                propertySpec("Datastore", DATASTORE_PROPS),
                propertySpec("Network", "name"),
                propertySpec(
                    "DistributedVirtualPortgroup",
                    "name",
                    "key",
                    "config.distributedVirtualSwitch"),
                propertySpec("DistributedVirtualSwitch", "uuid"),
                propertySpec("CustomFieldsManager", "field")));
    if (withVms) {
      types.add("VirtualMachine");
      propSets.add(propertySpec("VirtualMachine", VM_PROPS));
    }
    return assemble(throughView(types, propSets));
  }

  /**
   * The given properties of every object of the given types under the root folder, through one
   * container view (destroyed afterwards), and the custom field definitions.
   */
  private List<ObjectContent> throughView(List<String> types, List<XmlElement> propSets) {
    Vim25Session.ServiceContent sc = serviceContent();
    XmlElement create =
        XmlElement.of("CreateContainerView")
            .addRef("_this", sc.viewManager())
            .addRef("container", sc.rootFolder());
    types.forEach(t -> create.add("type", t));
    create.add("recursive", true);
    MoRef view = invoke(create).child("returnval").map(XmlNode::moRef).orElseThrow();
    try {
      return retrieve(
          propSets,
          List.of(
              objectSpec(view, true, traversal("view", "ContainerView", "view")),
              objectSpec(sc.customFieldsManager(), false)));
    } finally {
      try {
        invoke(XmlElement.of("DestroyView").addRef("_this", view));
      } catch (VsphereException e) {
        log.debug("DestroyView {} failed: {}", view.value(), e.getMessage());
      }
    }
  }

  private Inventory assemble(List<ObjectContent> objects) {
    Map<Integer, String> fieldNames = customFieldNames(objects);
    Map<String, ObjectContent> byId = new HashMap<>();
    objects.forEach(o -> byId.put(o.obj().value(), o));
    Map<String, String> switchUuids = new HashMap<>();
    for (ObjectContent o : objects) {
      if (o.obj().type().endsWith("DistributedVirtualSwitch")) {
        switchUuids.put(o.obj().value(), o.text("uuid"));
      }
    }
    List<DatacenterInfo> datacenters = new ArrayList<>();
    List<FolderInfo> folders = new ArrayList<>();
    List<ClusterInfo> clusters = new ArrayList<>();
    List<HostInfo> hosts = new ArrayList<>();
    List<ResourcePoolInfo> pools = new ArrayList<>();
    List<DatastoreInfo> datastores = new ArrayList<>();
    List<NetworkInfo> networks = new ArrayList<>();
    List<ObjectContent> vms = new ArrayList<>();
    Map<String, String> hostCluster = new HashMap<>();
    Map<String, String> portgroupIds = new HashMap<>();
    for (ObjectContent o : objects) {
      switch (o.obj().type()) {
        case "Datacenter" ->
            datacenters.add(
                new DatacenterInfo(o.obj().value(), o.text("name"), value(o.ref("vmFolder"))));
        case "Folder" -> {
          XmlNode childType = o.prop("childType");
          boolean vmFolder =
              childType != null
                  && childType.children().stream().anyMatch(c -> "VirtualMachine".equals(c.text()));
          if (vmFolder) {
            folders.add(new FolderInfo(o.obj().value(), o.text("name"), value(o.ref("parent"))));
          }
        }
        case "ClusterComputeResource" -> {
          String dc = datacenterOf(o.obj().value(), byId);
          List<String> members = o.refs("host").stream().map(MoRef::value).toList();
          members.forEach(h -> hostCluster.put(h, o.obj().value()));
          clusters.add(
              new ClusterInfo(
                  o.obj().value(), o.text("name"), dc, value(o.ref("resourcePool")), members));
        }
        case "ResourcePool", "VirtualApp" ->
            pools.add(
                new ResourcePoolInfo(
                    o.obj().value(),
                    o.text("name"),
                    value(o.ref("owner")),
                    isPool(o.ref("parent")) ? value(o.ref("parent")) : null));
        case "Datastore" -> datastores.add(datastore(o, fieldNames));
        case "Network", "OpaqueNetwork" ->
            networks.add(new NetworkInfo(o.obj().value(), o.text("name"), false, null, null));
        case "DistributedVirtualPortgroup" -> {
          MoRef dvs = o.ref("config.distributedVirtualSwitch");
          String key = o.text("key");
          portgroupIds.put(key, o.obj().value());
          networks.add(
              new NetworkInfo(
                  o.obj().value(),
                  o.text("name"),
                  true,
                  dvs == null ? null : switchUuids.get(dvs.value()),
                  key));
        }
        case "VirtualMachine" -> vms.add(o);
        default -> {}
      }
    }
    for (ObjectContent o : objects) {
      if (o.obj().type().equals("HostSystem")) {
        hosts.add(host(o, hostCluster.get(o.obj().value())));
      }
    }
    Map<String, String> datastoreIds = new HashMap<>();
    datastores.forEach(d -> datastoreIds.put(d.name(), d.id()));
    List<VmInfo> vmInfos = new ArrayList<>();
    for (ObjectContent o : vms) {
      MoRef host = o.ref("runtime.host");
      vmInfos.add(
          vm(
              o,
              host == null ? null : hostCluster.get(host.value()),
              datastoreIds,
              portgroupIds,
              fieldNames));
    }
    return new Inventory(
        datacenters, clusters, hosts, datastores, networks, pools, folders, vmInfos);
  }

  private static boolean isPool(MoRef ref) {
    return ref != null && (ref.type().equals("ResourcePool") || ref.type().equals("VirtualApp"));
  }

  private static String value(MoRef ref) {
    return ref == null ? null : ref.value();
  }

  private static String datacenterOf(String id, Map<String, ObjectContent> byId) {
    ObjectContent o = byId.get(id);
    for (int depth = 0; o != null && depth < 64; depth++) {
      if (o.obj().type().equals("Datacenter")) {
        return o.obj().value();
      }
      MoRef parent = o.ref("parent");
      o = parent == null ? null : byId.get(parent.value());
    }
    return null;
  }

  private static DatastoreInfo datastore(ObjectContent o, Map<Integer, String> fieldNames) {
    return new DatastoreInfo(
        o.obj().value(),
        o.text("name"),
        o.number("summary.capacity", 0),
        o.number("summary.freeSpace", 0),
        o.bool("summary.accessible"),
        customValues(o, fieldNames));
  }

  /** The {@code customValue} property (CustomFieldStringValue by field key) by field name. */
  private static Map<String, String> customValues(
      ObjectContent o, Map<Integer, String> fieldNames) {
    Map<String, String> custom = new LinkedHashMap<>();
    XmlNode values = o.prop("customValue");
    if (values != null) {
      for (XmlNode v : values.children()) {
        String key = v.text("key");
        String name = key == null ? null : fieldNames.get(Integer.parseInt(key.trim()));
        if (name != null && v.text("value") != null) {
          custom.put(name, v.text("value"));
        }
      }
    }
    return custom;
  }

  private static HostInfo host(ObjectContent o, String cluster) {
    String vendor = null;
    XmlNode pkgs = o.prop("hardware.cpuPkg");
    if (pkgs != null && !pkgs.children().isEmpty()) {
      vendor = pkgs.children().get(0).text("vendor");
    }
    long linkMbps = 0;
    XmlNode pnics = o.prop("config.network.pnic");
    if (pnics != null) {
      for (XmlNode p : pnics.children()) {
        linkMbps = Math.max(linkMbps, p.longValue("linkSpeed.speedMb", 0));
      }
    }
    return new HostInfo(
        o.obj().value(),
        o.text("name"),
        cluster,
        o.text("runtime.connectionState"),
        o.bool("runtime.inMaintenanceMode"),
        o.refs("datastore").stream().map(MoRef::value).toList(),
        o.refs("network").stream().map(MoRef::value).toList(),
        vendor,
        maxHardwareVersion(o.text("config.product.version")),
        linkMbps);
  }

  /** The newest VM hardware version an ESXi release runs (VMware's published table). */
  static String maxHardwareVersion(String esxiVersion) {
    if (esxiVersion == null) {
      return null;
    }
    String[] p = esxiVersion.split("\\.");
    int major = Integer.parseInt(p[0]);
    int minor = p.length > 1 ? Integer.parseInt(p[1]) : 0;
    int hw;
    if (major >= 8) {
      hw = 20;
    } else if (major == 7) {
      hw = 17;
    } else if (major == 6 && minor >= 7) {
      hw = 14;
    } else if (major == 6 && minor >= 5) {
      hw = 13;
    } else if (major == 6) {
      hw = 11;
    } else {
      hw = 10;
    }
    return "vmx-" + hw;
  }

  private VmInfo vm(
      ObjectContent o,
      String cluster,
      Map<String, String> datastoreIds,
      Map<String, String> portgroupIds,
      Map<Integer, String> fieldNames) {
    String vmPath = o.text("config.files.vmPathName");
    String vmxDatastoreName = datastoreName(vmPath);
    List<VirtualDisk> disks = new ArrayList<>();
    List<VirtualNic> nics = new ArrayList<>();
    boolean cdromHost = false;
    XmlNode devices = o.prop("config.hardware.device");
    if (devices != null) {
      for (XmlNode d : devices.children()) {
        Devices.Kind kind = Devices.kind(d);
        switch (kind) {
          case DISK -> disks.add(Devices.disk(d, datastoreIds));
          case NIC -> nics.add(Devices.nic(d, portgroupIds));
          case CDROM_HOST -> cdromHost = true;
          default -> {}
        }
      }
    }
    List<String> snapshots = new ArrayList<>();
    XmlNode snapshot = o.prop("snapshot");
    if (snapshot != null) {
      snapshot.children("rootSnapshotList").forEach(s -> snapshotNames(s, snapshots));
    }
    Map<String, String> custom = customValues(o, fieldNames);
    return new VmInfo(
        o.obj().value(),
        o.text("name"),
        o.text("config.instanceUuid"),
        o.text("config.uuid"),
        powerState(o.text("runtime.powerState")),
        o.text("runtime.connectionState"),
        o.bool("config.template"),
        value(o.ref("runtime.host")),
        cluster,
        value(o.ref("resourcePool")),
        value(o.ref("parent")),
        vmPath,
        vmxDatastoreName == null ? null : datastoreIds.get(vmxDatastoreName),
        o.text("config.version"),
        o.text("config.guestId"),
        (int) o.number("config.hardware.numCPU", 0),
        o.number("config.hardware.memoryMB", 0),
        disks,
        nics,
        cdromHost,
        snapshots,
        custom);
  }

  private static void snapshotNames(XmlNode tree, List<String> out) {
    out.add(tree.text("name"));
    tree.children("childSnapshotList").forEach(c -> snapshotNames(c, out));
  }

  /** "[ds-1] web01/web01.vmx" names datastore "ds-1". */
  static String datastoreName(String datastorePath) {
    if (datastorePath == null || !datastorePath.startsWith("[")) {
      return null;
    }
    int end = datastorePath.indexOf(']');
    return end < 0 ? null : datastorePath.substring(1, end);
  }

  static PowerState powerState(String s) {
    if (s == null) {
      return null;
    }
    return switch (s) {
      case "poweredOn" -> PowerState.POWERED_ON;
      case "suspended" -> PowerState.SUSPENDED;
      default -> PowerState.POWERED_OFF;
    };
  }

  @Override
  public VmInfo vm(String vmId) {
    MoRef ref = refOf(vmId);
    if (!ref.type().equals("VirtualMachine")) {
      throw new VsphereException.InvalidRequest("InvalidArgument", vmId + " is not a VM");
    }
    // One round trip: the VM, its datastores (names for the .vmx path), its pool's owner (the
    // cluster) and the custom field names.
    List<ObjectContent> objects =
        retrieve(
            List.of(
                propertySpec("VirtualMachine", VM_PROPS),
                propertySpec("Datastore", "name"),
                propertySpec("ResourcePool", "owner"),
                propertySpec("CustomFieldsManager", "field")),
            List.of(
                objectSpec(
                    ref,
                    false,
                    traversal("vmDatastores", "VirtualMachine", "datastore"),
                    traversal("vmPool", "VirtualMachine", "resourcePool")),
                objectSpec(serviceContent().customFieldsManager(), false)));
    ObjectContent vm =
        objects.stream()
            .filter(o -> o.obj().value().equals(vmId))
            .findFirst()
            .orElseThrow(
                () -> new VsphereException.NotFound("ManagedObjectNotFound", "no VM " + vmId));
    Map<String, String> datastoreIds = new HashMap<>();
    String cluster = null;
    for (ObjectContent o : objects) {
      if (o.obj().type().equals("Datastore")) {
        datastoreIds.put(o.text("name"), o.obj().value());
      } else if (o.obj().type().equals("ResourcePool") || o.obj().type().equals("VirtualApp")) {
        MoRef owner = o.ref("owner");
        if (owner != null && owner.type().equals("ClusterComputeResource")) {
          cluster = owner.value();
        }
      }
    }
    return vm(vm, cluster, datastoreIds, Map.of(), customFieldNames(objects));
  }

  @Override
  public Optional<VmInfo> findVmByInstanceUuid(String instanceUuid) {
    XmlNode res =
        invoke(
            XmlElement.of("FindByUuid")
                .addRef("_this", serviceContent().searchIndex())
                .add("uuid", instanceUuid)
                .add("vmSearch", true)
                .add("instanceUuid", true));
    Optional<MoRef> ref = res.child("returnval").map(XmlNode::moRef);
    ref.ifPresent(this::learn);
    return ref.map(r -> vm(r.value()));
  }

  @Override
  public HostInfo host(String hostId) {
    ObjectContent o = one(refOf(hostId), "HostSystem", HOST_PROPS);
    MoRef parent = o.ref("parent");
    String cluster =
        parent != null && parent.type().equals("ClusterComputeResource") ? parent.value() : null;
    return host(o, cluster);
  }

  @Override
  public DatastoreInfo datastore(String datastoreId) {
    MoRef ref = refOf(datastoreId);
    List<ObjectContent> objects =
        retrieve(
            List.of(
                propertySpec("Datastore", DATASTORE_PROPS),
                propertySpec("CustomFieldsManager", "field")),
            List.of(
                objectSpec(ref, false), objectSpec(serviceContent().customFieldsManager(), false)));
    ObjectContent ds =
        objects.stream()
            .filter(o -> o.obj().value().equals(datastoreId))
            .findFirst()
            .orElseThrow(
                () ->
                    new VsphereException.NotFound(
                        "ManagedObjectNotFound", "no datastore " + datastoreId));
    return datastore(ds, customFieldNames(objects));
  }

  // ---- operations ----

  private TaskRef task(XmlNode response) {
    MoRef ref =
        response
            .child("returnval")
            .map(XmlNode::moRef)
            .orElseThrow(() -> Vim25Session.invalidResponse("task"));
    learn(ref);
    return new TaskRef(ref.value());
  }

  @Override
  public TaskRef relocate(String vmId, RelocateSpec spec) {
    MoRef vm = refOf(vmId);
    // VirtualMachineRelocateSpec fields in schema order: folder, datastore, pool, host, disk,
    // deviceChange.
    XmlElement s = XmlElement.of("spec");
    if (spec.folder() != null) {
      s.addRef("folder", refOf(spec.folder()));
    }
    if (spec.datastore() != null) {
      s.addRef("datastore", refOf(spec.datastore()));
    }
    if (spec.resourcePool() != null) {
      s.addRef("pool", refOf(spec.resourcePool()));
    }
    if (spec.host() != null) {
      s.addRef("host", refOf(spec.host()));
    }
    for (DiskLocator d : spec.disks()) {
      s.add(
          XmlElement.of("disk")
              .add("diskId", d.diskKey())
              .addRef("datastore", refOf(d.datastore())));
    }
    if (!spec.nics().isEmpty()) {
      nicChanges(vm, spec.nics()).forEach(s::add);
    }
    return task(invoke(XmlElement.of("RelocateVM_Task").addRef("_this", vm).add(s)));
  }

  /** deviceChange edits for NIC backings: the NICs as read, with only the backing replaced. */
  private List<XmlElement> nicChanges(MoRef vm, List<NicBackingChange> changes) {
    ObjectContent o = one(vm, "VirtualMachine", "config.hardware.device");
    XmlNode devices = o.prop("config.hardware.device");
    Map<Integer, XmlNode> nicsByKey = new HashMap<>();
    if (devices != null) {
      for (XmlNode d : devices.children()) {
        if (Devices.kind(d) == Devices.Kind.NIC) {
          nicsByKey.put(Integer.parseInt(d.text("key").trim()), d);
        }
      }
    }
    List<XmlElement> out = new ArrayList<>();
    for (NicBackingChange c : changes) {
      XmlNode nic = nicsByKey.get(c.nicKey());
      if (nic == null) {
        throw new VsphereException.InvalidRequest(
            "InvalidArgument", "VM " + vm.value() + " has no NIC with key " + c.nicKey());
      }
      XmlElement device = XmlElement.copyOf(nic, "device").replace("backing", backing(c.network()));
      out.add(XmlElement.of("deviceChange").add("operation", "edit").add(device));
    }
    return out;
  }

  /** The NIC backing for a standard network or a distributed port group. */
  XmlElement backing(String networkId) {
    MoRef net = refOf(networkId);
    if (net.type().equals("DistributedVirtualPortgroup")) {
      ObjectContent pg =
          one(net, "DistributedVirtualPortgroup", "key", "config.distributedVirtualSwitch");
      MoRef dvs = pg.ref("config.distributedVirtualSwitch");
      if (dvs == null) {
        throw new VsphereException.InvalidRequest(
            "InvalidArgument", networkId + " has no distributed switch");
      }
      String uuid = one(dvs, dvs.type(), "uuid").text("uuid");
      return Devices.distributedBacking(uuid, pg.text("key"));
    }
    String name = one(net, net.type(), "name").text("name");
    return Devices.networkBacking(name, net);
  }

  @Override
  public void unregister(String vmId) {
    invoke(XmlElement.of("UnregisterVM").addRef("_this", refOf(vmId)));
  }

  @Override
  public TaskRef register(RegisterSpec spec) {
    XmlElement call =
        XmlElement.of("RegisterVM_Task")
            .addRef("_this", refOf(spec.folder()))
            .add("path", spec.vmPathName())
            .add("name", spec.name())
            .add("asTemplate", false)
            .addRef("pool", spec.resourcePool() == null ? null : refOf(spec.resourcePool()))
            .addRef("host", spec.host() == null ? null : refOf(spec.host()));
    return task(invoke(call));
  }

  @Override
  public TaskRef reconfigureNics(String vmId, List<NicBackingChange> changes) {
    MoRef vm = refOf(vmId);
    XmlElement spec = XmlElement.of("spec");
    nicChanges(vm, changes).forEach(spec::add);
    return task(invoke(XmlElement.of("ReconfigVM_Task").addRef("_this", vm).add(spec)));
  }

  @Override
  public TaskRef moveIntoFolder(String vmId, String folderId) {
    return task(
        invoke(
            XmlElement.of("MoveIntoFolder_Task")
                .addRef("_this", refOf(folderId))
                .addRef("list", refOf(vmId))));
  }

  @Override
  public TaskRef powerOn(String vmId) {
    return task(invoke(XmlElement.of("PowerOnVM_Task").addRef("_this", refOf(vmId))));
  }

  @Override
  public TaskRef powerOff(String vmId) {
    return task(invoke(XmlElement.of("PowerOffVM_Task").addRef("_this", refOf(vmId))));
  }

  @Override
  public void shutdownGuest(String vmId) {
    invoke(XmlElement.of("ShutdownGuest").addRef("_this", refOf(vmId)));
  }

  @Override
  public void setCustomValue(String entityId, String key, String value) {
    MoRef entity = refOf(entityId);
    MoRef cfm = serviceContent().customFieldsManager();
    Integer fieldKey = fieldKey(cfm, key, entity.type());
    if (fieldKey == null) {
      try {
        // A global field (no managedObjectType), usable on VMs, hosts and folders alike.
        XmlNode res =
            invoke(XmlElement.of("AddCustomFieldDef").addRef("_this", cfm).add("name", key));
        fieldKey = Integer.parseInt(res.text("returnval.key").trim());
      } catch (VsphereException.InvalidRequest e) {
        // DuplicateName: another worker defined it between our read and our add.
        fieldKey = fieldKey(cfm, key, entity.type());
        if (fieldKey == null) {
          throw e;
        }
      }
    }
    // SetField by key works on every entity type; vcsim implements SetCustomValue for VMs only.
    invoke(
        XmlElement.of("SetField")
            .addRef("_this", cfm)
            .addRef("entity", entity)
            .add("key", fieldKey)
            .add("value", value == null ? "" : value));
  }

  private Integer fieldKey(MoRef cfm, String name, String entityType) {
    XmlNode fields = one(cfm, "CustomFieldsManager", "field").prop("field");
    if (fields == null) {
      return null;
    }
    for (XmlNode f : fields.children()) {
      String moType = f.text("managedObjectType");
      if (name.equals(f.text("name"))
          && (moType == null || moType.isBlank() || moType.equals(entityType))) {
        return Integer.parseInt(f.text("key").trim());
      }
    }
    return null;
  }

  @Override
  public Map<String, Set<String>> missingPrivileges(
      List<String> entityIds, Set<String> privileges) {
    if (entityIds.isEmpty() || privileges.isEmpty()) {
      return Map.of();
    }
    if (session.sessionKey() == null) {
      login();
    }
    XmlElement call =
        XmlElement.of("HasPrivilegeOnEntities")
            .addRef("_this", serviceContent().authorizationManager());
    entityIds.forEach(id -> call.addRef("entity", refOf(id)));
    call.add("sessionId", session.sessionKey());
    privileges.forEach(p -> call.add("privId", p));
    XmlNode res = invoke(call);
    Map<String, Set<String>> missing = new LinkedHashMap<>();
    for (XmlNode ep : res.children("returnval")) {
      String entity = ep.child("entity").map(XmlNode::text).orElse(null);
      Set<String> lacking = new LinkedHashSet<>();
      for (XmlNode pa : ep.children("privAvailability")) {
        if (!Boolean.parseBoolean(pa.text("isGranted"))) {
          lacking.add(pa.text("privId"));
        }
      }
      if (entity != null && !lacking.isEmpty()) {
        missing.put(entity, Set.copyOf(lacking));
      }
    }
    return missing;
  }

  @Override
  public boolean cancelTask(TaskRef ref) {
    try {
      invoke(XmlElement.of("CancelTask").addRef("_this", new MoRef("Task", ref.id())));
      return true;
    } catch (VsphereException.InvalidState | VsphereException.InvalidRequest e) {
      // Finished already or not cancellable (InvalidState, NotSupported), or a server without
      // CancelTask (MethodNotFound): the task runs to its end.
      log.info("task {} not cancelled: {}", ref.id(), e.getMessage());
      return false;
    }
  }

  @Override
  public TaskInfo task(TaskRef ref) {
    MoRef task = new MoRef("Task", ref.id());
    XmlNode info = one(task, "Task", "info").prop("info");
    if (info == null) {
      throw new VsphereException.NotFound("ManagedObjectNotFound", "no task " + ref.id());
    }
    return taskInfo(ref, info);
  }

  @Override
  public List<TaskInfo> recentTasks(String entityId) {
    MoRef entity = refOf(entityId);
    // One round trip: the entity's recentTask list and, through it, the info of every listed task.
    List<ObjectContent> objects =
        retrieve(
            List.of(propertySpec(entity.type(), "recentTask"), propertySpec("Task", "info")),
            List.of(
                objectSpec(entity, false, traversal("recentTasks", entity.type(), "recentTask"))));
    Map<String, XmlNode> infos = new HashMap<>();
    List<MoRef> listed = List.of();
    for (ObjectContent o : objects) {
      if (o.obj().value().equals(entityId)) {
        listed = o.refs("recentTask");
      } else if (o.obj().type().equals("Task") && o.prop("info") != null) {
        infos.put(o.obj().value(), o.prop("info"));
      }
    }
    List<TaskInfo> out = new ArrayList<>();
    for (MoRef t : listed) {
      // A task collected by vCenter between the list and its info has no info: left out.
      XmlNode info = infos.get(t.value());
      if (info != null) {
        out.add(taskInfo(new TaskRef(t.value()), info));
      }
    }
    return out;
  }

  private static TaskInfo taskInfo(TaskRef ref, XmlNode info) {
    TaskState state =
        switch (String.valueOf(info.text("state"))) {
          case "queued" -> TaskState.QUEUED;
          case "running" -> TaskState.RUNNING;
          case "success" -> TaskState.SUCCESS;
          default -> TaskState.ERROR;
        };
    VsphereException error = null;
    Optional<XmlNode> fault = info.at("error.fault");
    if (state == TaskState.ERROR) {
      String type = fault.map(XmlNode::type).orElse("TaskError");
      String message = info.text("error.localizedMessage");
      error = Faults.toException(type, message == null || message.isBlank() ? type : message);
    }
    String result =
        info.child("result")
            .filter(r -> r.attribute("type") != null)
            .map(XmlNode::text)
            .orElse(null);
    int progress = (int) info.longValue("progress", state == TaskState.SUCCESS ? 100 : 0);
    return new TaskInfo(
        ref,
        operation(info.text("name"), info.text("descriptionId")),
        info.child("entity").map(XmlNode::text).orElse(null),
        state,
        state == TaskState.SUCCESS ? 100 : progress,
        result,
        error);
  }

  /**
   * A task's API method name, as vCenter reports it in {@code info.name} ("RelocateVM_Task"). vcsim
   * reports its own task names there ("RelocateVm"): those of the methods vmigrate calls are
   * translated, so that callers recognise a task by one name on either server.
   */
  static String operation(String name, String descriptionId) {
    if (name == null) {
      return descriptionId;
    }
    return SIMULATOR_TASK_NAMES.getOrDefault(name, name);
  }

  /**
   * Follows a task by reading its info with backoff (50 ms growing to 2 s) until it finishes.
   *
   * @return the finished task's info (SUCCESS or ERROR)
   * @throws VsphereException.Transient when it has not finished within the timeout
   */
  public TaskInfo waitForTask(TaskRef ref, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long sleepMs = 50;
    while (true) {
      TaskInfo info = task(ref);
      if (info.state().finished()) {
        return info;
      }
      if (System.nanoTime() > deadline) {
        throw new VsphereException.Transient(
            "Timedout",
            "task " + ref.id() + " still " + info.state().name().toLowerCase(Locale.ROOT));
      }
      try {
        Thread.sleep(sleepMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new VsphereException.Transient("Interrupted", "waiting for " + ref.id(), e);
      }
      sleepMs = Math.min(2000, sleepMs * 3 / 2);
    }
  }

  @Override
  public String toString() {
    return "Vim25Gateway[" + session.connection() + "]";
  }
}

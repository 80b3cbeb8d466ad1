package dev.vmigrate.vsphere.vim25;

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
import dev.vmigrate.vsphere.ResourcePoolInfo;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.TaskRef;
import dev.vmigrate.vsphere.TaskState;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.vim25.PropertyReader.ObjectContent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps property-collector results ({@link ObjectContent}) to the gateway's records: the inventory
 * and its VMs, hosts, datastores, networks, pools and folders, and task infos. Reads nothing from
 * vCenter itself; the property lists below are what it expects to find.
 */
final class InventoryAssembler {
  private InventoryAssembler() {}

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
    "config.network.pnic",
    "summary.hardware.memorySize",
    "summary.hardware.numCpuCores",
    "summary.hardware.cpuMhz",
    "summary.quickStats.overallMemoryUsage",
    "summary.quickStats.overallCpuUsage"
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

  static Map<Integer, String> customFieldNames(List<ObjectContent> objects) {
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

  static Inventory assemble(List<ObjectContent> objects) {
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

  static DatastoreInfo datastore(ObjectContent o, Map<Integer, String> fieldNames) {
    return new DatastoreInfo(
        o.obj().value(),
        o.text("name"),
        o.number("summary.capacity", 0),
        o.number("summary.freeSpace", 0),
        o.bool("summary.accessible"),
        customValues(o, fieldNames));
  }

  /** The {@code customValue} property (CustomFieldStringValue by field key) by field name. */
  static Map<String, String> customValues(ObjectContent o, Map<Integer, String> fieldNames) {
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

  static HostInfo host(ObjectContent o, String cluster) {
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
        linkMbps,
        o.number("summary.hardware.memorySize", 0),
        (int) o.number("summary.hardware.numCpuCores", 0),
        o.number("summary.hardware.cpuMhz", 0),
        o.number("summary.quickStats.overallMemoryUsage", 0),
        o.number("summary.quickStats.overallCpuUsage", 0));
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

  static VmInfo vm(
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

  static TaskInfo taskInfo(TaskRef ref, XmlNode info) {
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
        error,
        instant(info.text("queueTime")));
  }

  /** An xsd:dateTime as vCenter writes it, or null when absent or unreadable. */
  static Instant instant(String dateTime) {
    if (dateTime == null || dateTime.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(dateTime.trim()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
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
}

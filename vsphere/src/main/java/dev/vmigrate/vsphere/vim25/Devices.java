package dev.vmigrate.vsphere.vim25;

import dev.vmigrate.model.DiskMode;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VirtualNic;
import java.util.Map;
import java.util.Set;

/** Reads virtual devices from {@code config.hardware.device} by their {@code xsi:type}. */
final class Devices {
  private Devices() {}

  enum Kind {
    DISK,
    NIC,
    CDROM_HOST,
    OTHER
  }

  private static final Set<String> NIC_TYPES =
      Set.of(
          "VirtualE1000",
          "VirtualE1000e",
          "VirtualPCNet32",
          "VirtualVmxnet",
          "VirtualVmxnet2",
          "VirtualVmxnet3",
          "VirtualVmxnet3Vrdma",
          "VirtualSriovEthernetCard",
          "VirtualEthernetCard");

  static Kind kind(XmlNode device) {
    String type = device.type();
    if (type.equals("VirtualDisk")) {
      return Kind.DISK;
    }
    String backing = device.child("backing").map(XmlNode::type).orElse("");
    if (NIC_TYPES.contains(type) || backing.startsWith("VirtualEthernetCard")) {
      return Kind.NIC;
    }
    if (type.equals("VirtualCdrom")
        && (backing.equals("VirtualCdromAtapiBackingInfo")
            || backing.equals("VirtualCdromPassthroughBackingInfo"))) {
      return Kind.CDROM_HOST;
    }
    return Kind.OTHER;
  }

  static VirtualDisk disk(XmlNode d, Map<String, String> datastoreIdsByName) {
    XmlNode backing = d.child("backing").orElse(null);
    String fileName = backing == null ? null : backing.text("fileName");
    String datastore =
        backing == null ? null : backing.child("datastore").map(XmlNode::text).orElse(null);
    if (datastore == null) {
      datastore = datastoreIdsByName.get(InventoryAssembler.datastoreName(fileName));
    }
    long bytes = d.longValue("capacityInBytes", -1);
    if (bytes < 0) {
      bytes = d.longValue("capacityInKB", 0) * 1024;
    }
    String backingType = backing == null ? "" : backing.type();
    return new VirtualDisk(
        Integer.parseInt(d.text("key").trim()),
        d.text("deviceInfo.label"),
        datastore,
        fileName,
        bytes,
        diskMode(backing == null ? null : backing.text("diskMode")),
        backingType.startsWith("VirtualDiskRawDiskMapping"));
  }

  static DiskMode diskMode(String mode) {
    if ("independent_persistent".equals(mode)) {
      return DiskMode.INDEPENDENT_PERSISTENT;
    }
    if ("independent_nonpersistent".equals(mode)) {
      return DiskMode.INDEPENDENT_NONPERSISTENT;
    }
    return DiskMode.PERSISTENT;
  }

  static VirtualNic nic(XmlNode d, Map<String, String> portgroupIdsByKey) {
    XmlNode backing = d.child("backing").orElse(null);
    String network = null;
    if (backing != null) {
      switch (backing.type()) {
        case "VirtualEthernetCardNetworkBackingInfo" ->
            network = backing.child("network").map(XmlNode::text).orElse(null);
        case "VirtualEthernetCardDistributedVirtualPortBackingInfo" -> {
          String key = backing.text("port.portgroupKey");
          // vCenter's port group keys are their managed object ids.
          network = key == null ? null : portgroupIdsByKey.getOrDefault(key, key);
        }
        case "VirtualEthernetCardOpaqueNetworkBackingInfo" ->
            network = backing.text("opaqueNetworkId");
        default -> {}
      }
    }
    return new VirtualNic(
        Integer.parseInt(d.text("key").trim()),
        d.text("deviceInfo.label"),
        d.text("macAddress"),
        network,
        d.text("addressType"),
        flag(d.text("connectable.connected")),
        flag(d.text("connectable.startConnected")));
  }

  private static Boolean flag(String text) {
    return text == null || text.isBlank() ? null : Boolean.valueOf(text.trim());
  }

  /** A standard port group backing: the network's name and reference. */
  static XmlElement networkBacking(String networkName, MoRef network) {
    return XmlElement.of("backing")
        .type("VirtualEthernetCardNetworkBackingInfo")
        .add("deviceName", networkName)
        .addRef("network", network);
  }

  /** A distributed port group backing: the switch UUID and the port group key. */
  static XmlElement distributedBacking(String switchUuid, String portgroupKey) {
    return XmlElement.of("backing")
        .type("VirtualEthernetCardDistributedVirtualPortBackingInfo")
        .add(XmlElement.of("port").add("switchUuid", switchUuid).add("portgroupKey", portgroupKey));
  }
}

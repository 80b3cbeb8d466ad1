package dev.vmigrate.vsphere.vim25;

import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.TaskRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: vim25 calls that set up or inspect a VM on vcsim where {@link Vim25Gateway} has no
 * method, because vmigrate never needs them in production (removing a device, creating a VM,
 * reading the VM's {@code datastore} list).
 */
public final class VcsimVms {
  private VcsimVms() {}

  /**
   * Removes every CD-ROM backed by a host device (ReconfigVM_Task), as an administrator does before
   * a vMotion: vcsim's model gives every VM one, and vmigrate's prechecks rightly block hot moves
   * with it.
   *
   * @return how many CD-ROMs were removed
   */
  public static int removeHostCdroms(Vim25Gateway gw, String vmId) {
    MoRef vm = gw.refOf(vmId);
    XmlNode devices =
        gw.retrieve(
                List.of(PropertyReader.propertySpec("VirtualMachine", "config.hardware.device")),
                List.of(PropertyReader.objectSpec(vm, false)))
            .get(0)
            .prop("config.hardware.device");
    XmlElement spec = XmlElement.of("spec");
    int removed = 0;
    for (XmlNode d : devices.children()) {
      if (Devices.kind(d) == Devices.Kind.CDROM_HOST) {
        spec.add(
            XmlElement.of("deviceChange")
                .add("operation", "remove")
                .add(XmlElement.copyOf(d, "device")));
        removed++;
      }
    }
    if (removed > 0) {
      finish(
          gw,
          gw.invoke(XmlElement.of("ReconfigVM_Task").addRef("_this", vm).add(spec)),
          "ReconfigVM_Task");
    }
    return removed;
  }

  /**
   * The VM's {@code datastore} property: the datastores vSphere says the VM's files are on. vcsim's
   * RelocateVM_Task changes this list, and only this, on a datastore change.
   */
  public static List<String> datastoreList(Vim25Gateway gw, String vmId) {
    XmlNode list =
        gw.retrieve(
                List.of(PropertyReader.propertySpec("VirtualMachine", "datastore")),
                List.of(PropertyReader.objectSpec(gw.refOf(vmId), false)))
            .get(0)
            .prop("datastore");
    List<String> out = new ArrayList<>();
    if (list != null) {
      list.children().forEach(n -> out.add(n.text()));
    }
    return out;
  }

  /**
   * CreateVM_Task: a powered-off VM whose .vmx and one 1 MiB disk are on the named datastore, with
   * one vmxnet3 NIC on {@code networkId} (none when null). vcsim writes the .vmx, .nvram and
   * vmware.log into the datastore's directory, so another simulator sharing it can register them.
   *
   * @return the new VM's managed object id
   */
  public static String createVm(
      Vim25Gateway gw,
      String name,
      String folderId,
      String poolId,
      String hostId,
      String datastoreName,
      String networkId) {
    String dir = "[" + datastoreName + "] " + name;
    XmlElement config =
        XmlElement.of("config")
            .add("name", name)
            .add("guestId", "otherGuest")
            .add(XmlElement.of("files").add("vmPathName", dir + "/" + name + ".vmx"))
            .add("numCPUs", 1)
            .add("memoryMB", 32);
    config.add(
        XmlElement.of("deviceChange")
            .add("operation", "add")
            .add(
                XmlElement.of("device")
                    .type("ParaVirtualSCSIController")
                    .add("key", -100)
                    .add("busNumber", 0)
                    .add("sharedBus", "noSharing")));
    config.add(
        XmlElement.of("deviceChange")
            .add("operation", "add")
            .add("fileOperation", "create")
            .add(
                XmlElement.of("device")
                    .type("VirtualDisk")
                    .add("key", -101)
                    .add(
                        XmlElement.of("backing")
                            .type("VirtualDiskFlatVer2BackingInfo")
                            .add("fileName", dir + "/" + name + ".vmdk")
                            .add("diskMode", "persistent")
                            .add("thinProvisioned", true))
                    .add("controllerKey", -100)
                    .add("unitNumber", 0)
                    .add("capacityInKB", 1024)));
    if (networkId != null) {
      config.add(
          XmlElement.of("deviceChange")
              .add("operation", "add")
              .add(
                  XmlElement.of("device")
                      .type("VirtualVmxnet3")
                      .add("key", -102)
                      .add(gw.backing(networkId))
                      .add("addressType", "generated")));
    }
    XmlNode res =
        gw.invoke(
            XmlElement.of("CreateVM_Task")
                .addRef("_this", gw.refOf(folderId))
                .add(config)
                .addRef("pool", gw.refOf(poolId))
                .addRef("host", gw.refOf(hostId)));
    return finish(gw, res, "CreateVM_Task");
  }

  /**
   * CreateResourcePool: an empty child pool of {@code parentPoolId} with normal shares, no
   * reservation and no limit. vcsim's {@code -pool N} puts the model's VMs into the child pools it
   * creates, so a test that wants them in the root pool next to an empty child pool makes its own.
   *
   * @return the new pool's managed object id
   */
  public static String createResourcePool(Vim25Gateway gw, String parentPoolId, String name) {
    XmlElement spec = XmlElement.of("spec");
    for (String kind : List.of("cpuAllocation", "memoryAllocation")) {
      spec.add(
          XmlElement.of(kind)
              .add("reservation", 0)
              .add("expandableReservation", true)
              .add("limit", -1)
              .add(XmlElement.of("shares").add("shares", 0).add("level", "normal")));
    }
    return gw.invoke(
            XmlElement.of("CreateResourcePool")
                .addRef("_this", gw.refOf(parentPoolId))
                .add("name", name)
                .add(spec))
        .child("returnval")
        .map(XmlNode::text)
        .orElseThrow(() -> new IllegalStateException("CreateResourcePool returned no pool"));
  }

  private static String finish(Vim25Gateway gw, XmlNode response, String method) {
    String task =
        response
            .child("returnval")
            .map(XmlNode::text)
            .orElseThrow(() -> new IllegalStateException(method + " returned no task"));
    TaskInfo info = gw.waitForTask(new TaskRef(task), Duration.ofSeconds(30));
    if (info.error() != null) {
      throw info.error();
    }
    return info.result();
  }
}

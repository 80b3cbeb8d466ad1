package dev.vmigrate.vsphere.vim25;

import java.util.Objects;

/**
 * A vim25 ManagedObjectReference: the managed object type and its id ("VirtualMachine", "vm-42").
 *
 * @param type managed object type
 * @param value managed object id
 */
public record MoRef(String type, String value) {

  public MoRef {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }

  /**
   * The managed object type a vCenter id belongs to, from the id prefixes vCenter ("domain-c7") and
   * vcsim ("clustercomputeresource-7") use. The gateway contract names entities by id only; the
   * gateway prefers types it has seen in responses and falls back to this.
   *
   * @throws IllegalArgumentException for an id with no known prefix
   */
  public static MoRef of(String id) {
    Objects.requireNonNull(id, "id");
    String type;
    if (id.startsWith("vm-")) {
      type = "VirtualMachine";
    } else if (id.startsWith("host-")) {
      type = "HostSystem";
    } else if (id.startsWith("datastore-")) {
      type = "Datastore";
    } else if (id.startsWith("domain-c")) {
      type = "ClusterComputeResource";
    } else if (id.startsWith("domain-s")) {
      type = "ComputeResource";
    } else if (id.startsWith("resgroup-v")) {
      type = "VirtualApp";
    } else if (id.startsWith("resgroup-")) {
      type = "ResourcePool";
    } else if (id.startsWith("group-p")) {
      type = "StoragePod";
    } else if (id.startsWith("group-")) {
      type = "Folder";
    } else if (id.startsWith("datacenter-")) {
      type = "Datacenter";
    } else if (id.startsWith("network-")) {
      type = "Network";
    } else if (id.startsWith("dvportgroup-")) {
      type = "DistributedVirtualPortgroup";
    } else if (id.startsWith("dvs-")) {
      type = "VmwareDistributedVirtualSwitch";
    } else if (id.startsWith("task-")) {
      type = "Task";
    } else if (id.startsWith("folder-")) {
      type = "Folder";
    } else if (id.startsWith("clustercomputeresource-")) {
      type = "ClusterComputeResource";
    } else if (id.startsWith("computeresource-")) {
      type = "ComputeResource";
    } else if (id.startsWith("virtualapp-")) {
      type = "VirtualApp";
    } else if (id.startsWith("storagepod-")) {
      type = "StoragePod";
    } else if (id.startsWith("opaquenetwork-")) {
      type = "OpaqueNetwork";
    } else {
      throw new IllegalArgumentException("not a known vCenter managed object id: " + id);
    }
    return new MoRef(type, id);
  }
}

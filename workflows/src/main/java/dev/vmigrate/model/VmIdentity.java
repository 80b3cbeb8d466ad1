package dev.vmigrate.model;

/**
 * What identifies a VM across a migration. The instance UUID is vCenter's identity for the VM and
 * the BIOS UUID is the guest's; both must survive a migration unchanged.
 *
 * @param id managed object id in its current vCenter, e.g. "vm-42" (changes on re-registration)
 * @param name inventory name
 * @param instanceUuid vCenter instance UUID
 * @param biosUuid BIOS (SMBIOS) UUID seen by the guest
 */
public record VmIdentity(String id, String name, String instanceUuid, String biosUuid) {

  public VmIdentity withId(String newId) {
    return new VmIdentity(newId, name, instanceUuid, biosUuid);
  }
}

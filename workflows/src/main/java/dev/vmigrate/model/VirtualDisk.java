package dev.vmigrate.model;

/**
 * One virtual disk of a VM.
 *
 * @param key the device key, stable for the life of the VM
 * @param label the device label, e.g. "Hard disk 1"
 * @param datastore managed object id of the datastore holding the disk file
 * @param fileName the backing file, e.g. "[ds-1] web01/web01.vmdk"
 * @param capacityBytes provisioned size
 * @param mode backing mode
 * @param rdm whether the disk is a raw device mapping
 */
public record VirtualDisk(
    int key,
    String label,
    String datastore,
    String fileName,
    long capacityBytes,
    DiskMode mode,
    boolean rdm) {

  public VirtualDisk withDatastore(String datastoreId, String newFileName) {
    return new VirtualDisk(key, label, datastoreId, newFileName, capacityBytes, mode, rdm);
  }
}

package dev.vmigrate.model;

/**
 * One virtual network adapter of a VM.
 *
 * @param key the device key
 * @param label the device label, e.g. "Network adapter 1"
 * @param macAddress the MAC address, which a migration must keep
 * @param network managed object id of the backing network or distributed port group
 * @param addressType how the MAC was assigned ("assigned", "generated", "manual"); null when not
 *     read (records written before it was)
 * @param connected whether the adapter is connected now; null when not read
 * @param startConnected whether the adapter connects when the VM powers on; null when not read
 */
public record VirtualNic(
    int key,
    String label,
    String macAddress,
    String network,
    String addressType,
    Boolean connected,
    Boolean startConnected) {

  public VirtualNic withNetwork(String networkId) {
    return new VirtualNic(
        key, label, macAddress, networkId, addressType, connected, startConnected);
  }
}

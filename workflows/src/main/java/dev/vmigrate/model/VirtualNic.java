package dev.vmigrate.model;

/**
 * One virtual network adapter of a VM.
 *
 * @param key the device key
 * @param label the device label, e.g. "Network adapter 1"
 * @param macAddress the MAC address, which a migration must keep
 * @param network managed object id of the backing network or distributed port group
 */
public record VirtualNic(int key, String label, String macAddress, String network) {

  public VirtualNic withNetwork(String networkId) {
    return new VirtualNic(key, label, macAddress, networkId);
  }
}

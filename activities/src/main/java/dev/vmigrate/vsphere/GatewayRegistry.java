package dev.vmigrate.vsphere;

/**
 * Resolves a vCenter id, as carried in workflow inputs, to the gateway that talks to it.
 * Credentials stay behind this interface: workflows only ever see the id.
 */
@FunctionalInterface
public interface GatewayRegistry {

  /**
   * The gateway for a vCenter id.
   *
   * @throws VsphereException.InvalidRequest when no vCenter with this id is configured
   */
  VsphereGateway forVcenter(String vcenterId);
}

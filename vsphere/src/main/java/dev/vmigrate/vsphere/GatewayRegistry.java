package dev.vmigrate.vsphere;

import java.net.URI;
import java.util.Optional;

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

  /** Whether this deployment has a connection for the vCenter id. */
  default boolean isConfigured(String vcenterId) {
    try {
      forVcenter(vcenterId);
      return true;
    } catch (VsphereException.InvalidRequest | VsphereException.NotFound e) {
      return false;
    }
  }

  /**
   * The endpoint this deployment connects to for the vCenter id; empty when the id is not
   * configured, is simulated in process, or the registry does not say.
   */
  default Optional<URI> configuredUrl(String vcenterId) {
    return Optional.empty();
  }
}

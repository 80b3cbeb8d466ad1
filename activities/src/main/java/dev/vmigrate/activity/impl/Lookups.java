package dev.vmigrate.activity.impl;

import static dev.vmigrate.activity.impl.Failures.call;
import static dev.vmigrate.activity.impl.Failures.nonRetryable;

import dev.vmigrate.activity.impl.VsphereSupport.Located;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import java.util.Optional;

/** Finds a migration's gateways, its VM, and names of hosts and datastores for messages. */
final class Lookups {
  private final GatewayRegistry registry;

  Lookups(GatewayRegistry registry) {
    this.registry = registry;
  }

  VsphereGateway source(MigrationContext ctx) {
    return call(() -> registry.forVcenter(ctx.sourceVcenter()));
  }

  VsphereGateway destination(MigrationContext ctx) {
    return call(() -> registry.forVcenter(ctx.destinationVcenter()));
  }

  /**
   * Finds the VM by instance UUID, which survives re-registration: in the destination vCenter first
   * when it differs (after RegisterDestinationVm the VM lives there), then in the source.
   */
  Optional<Located> locate(MigrationContext ctx) {
    String uuid = ctx.vm().instanceUuid();
    if (!ctx.sourceVcenter().equals(ctx.destinationVcenter())) {
      VsphereGateway dst = destination(ctx);
      Optional<VmInfo> there = call(() -> dst.findVmByInstanceUuid(uuid));
      if (there.isPresent()) {
        return Optional.of(new Located(dst, there.get()));
      }
    }
    VsphereGateway src = source(ctx);
    return call(() -> src.findVmByInstanceUuid(uuid)).map(vm -> new Located(src, vm));
  }

  Located require(MigrationContext ctx) {
    return locate(ctx)
        .orElseThrow(
            () ->
                nonRetryable(
                    FailureTypes.NOT_FOUND,
                    "VM "
                        + ctx.vm().name()
                        + " (instance UUID "
                        + ctx.vm().instanceUuid()
                        + ") is not registered in "
                        + ctx.sourceVcenter()
                        + (ctx.sourceVcenter().equals(ctx.destinationVcenter())
                            ? ""
                            : " nor " + ctx.destinationVcenter())));
  }

  static String hostName(VsphereGateway gw, String hostId) {
    try {
      return gw.host(hostId).name();
    } catch (VsphereException e) {
      return hostId;
    }
  }

  static String datastoreName(VsphereGateway gw, String datastoreId) {
    try {
      return gw.datastore(datastoreId).name();
    } catch (VsphereException e) {
      return datastoreId;
    }
  }
}

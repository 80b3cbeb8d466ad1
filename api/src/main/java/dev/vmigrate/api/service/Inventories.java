package dev.vmigrate.api.service;

import dev.vmigrate.api.web.Dtos.VmRef;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.vsphere.DatastoreInfo;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.MappingResolver;
import dev.vmigrate.vsphere.MappingResolver.Resolution;
import dev.vmigrate.vsphere.MappingResolver.VmResolution;
import dev.vmigrate.vsphere.NetworkInfo;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;

/** The API's inventory look-ups, all through the {@link GatewayRegistry}. */
@Singleton
public class Inventories {
  // A provider, so that the catalog's own endpoints work in a process without vSphere access.
  private final BeanProvider<GatewayRegistry> registry;

  public Inventories(BeanProvider<GatewayRegistry> registry) {
    this.registry = registry;
  }

  /** The gateway registry of this process, if it has vSphere access. */
  public Optional<GatewayRegistry> registry() {
    return registry.isPresent() ? Optional.of(registry.get()) : Optional.empty();
  }

  /** The gateway of a vCenter, or a 4xx naming the field when it is not configured. */
  public VsphereGateway gateway(String vcenterId, String field) {
    if (!registry.isPresent()) {
      throw new ServiceException.Unavailable(
          field, field + ": this API process has no vSphere gateway registry configured");
    }
    try {
      return registry.get().forVcenter(vcenterId);
    } catch (VsphereException.InvalidRequest | VsphereException.NotFound e) {
      throw new ServiceException.Invalid(
          field, field + ": vCenter '" + vcenterId + "' has no configured connection");
    }
  }

  /** The inventory of a vCenter; 503 when it cannot be read. */
  public Inventory inventory(String vcenterId, String field) {
    VsphereGateway gw = gateway(vcenterId, field);
    try {
      return gw.inventory();
    } catch (VsphereException e) {
      throw new ServiceException.Unavailable(
          field,
          field + ": cannot read the inventory of vCenter '" + vcenterId + "': " + e.getMessage());
    }
  }

  /**
   * Resolves VM references to VMs of the inventory, rejecting unknown, ambiguous and duplicate VMs.
   * {@code label} names entry i in error messages ("vms[3]", "line 5").
   */
  public List<VmInfo> resolve(
      Inventory inv, String vcenterId, List<VmRef> refs, IntFunction<String> label) {
    List<VmInfo> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < refs.size(); i++) {
      VmRef ref = refs.get(i);
      String at = label.apply(i);
      VmInfo vm;
      if (ref == null) {
        throw new ServiceException.Invalid(at, at + ": is null");
      } else if (ref.instanceUuid() != null) {
        vm =
            one(
                inv,
                at + ".instanceUuid",
                vcenterId,
                ref.instanceUuid(),
                "instance UUID",
                inv.vms().stream()
                    .filter(v -> ref.instanceUuid().equalsIgnoreCase(v.instanceUuid()))
                    .toList());
      } else if (ref.moref() != null) {
        vm =
            one(
                inv,
                at + ".moref",
                vcenterId,
                ref.moref(),
                "managed object id",
                inv.vms().stream().filter(v -> ref.moref().equals(v.id())).toList());
      } else if (ref.biosUuid() != null) {
        vm =
            one(
                inv,
                at + ".biosUuid",
                vcenterId,
                ref.biosUuid(),
                "BIOS UUID",
                inv.vms().stream()
                    .filter(v -> ref.biosUuid().equalsIgnoreCase(v.biosUuid()))
                    .toList());
      } else if (ref.name() != null) {
        vm =
            one(
                inv,
                at + ".name",
                vcenterId,
                ref.name(),
                "name",
                inv.vms().stream().filter(v -> ref.name().equals(v.name())).toList());
      } else {
        throw new ServiceException.Invalid(
            at, at + ": needs one of name, moref, instanceUuid, biosUuid");
      }
      if (vm.template()) {
        throw new ServiceException.Invalid(
            at, at + ": '" + vm.name() + "' is a template, not a VM");
      }
      Integer prev = seen.putIfAbsent(vm.instanceUuid().toLowerCase(), i);
      if (prev != null) {
        throw new ServiceException.Invalid(
            at,
            at
                + ": duplicate VM '"
                + vm.name()
                + "' (instance UUID "
                + vm.instanceUuid()
                + "), already listed as "
                + label.apply(prev));
      }
      out.add(vm);
    }
    return out;
  }

  private static VmInfo one(
      Inventory inv, String field, String vc, String value, String what, List<VmInfo> hits) {
    if (hits.isEmpty()) {
      throw new ServiceException.Invalid(
          field, field + ": no VM with " + what + " '" + value + "' in vCenter '" + vc + "'");
    }
    if (hits.size() > 1) {
      throw new ServiceException.Invalid(
          field,
          field
              + ": "
              + hits.size()
              + " VMs have "
              + what
              + " '"
              + value
              + "' in vCenter '"
              + vc
              + "'; name it by instance UUID or moref");
    }
    return hits.get(0);
  }

  /**
   * {@link #mappingGaps(VmInfo, Inventory, InfrastructureMapping)} for a plan of this type: a
   * network-only plan ({@link MigrationType#NETWORK}) maps no cluster or datastore and needs one
   * NIC on a mapped network, so its gaps are the VM's networks when none of them is mapped.
   */
  public static List<String> mappingGaps(
      VmInfo vm, Inventory src, InfrastructureMapping m, MigrationType type) {
    if (type != MigrationType.NETWORK) {
      return mappingGaps(vm, src, m);
    }
    // A network-only plan needs one NIC on a mapped network; the others stay where they are.
    VmResolution r = new MappingResolver(m, src, null).namingUnknownByIds().vm(vm);
    if (r.networks().stream().anyMatch(Resolution::mapped)) {
      return List.of();
    }
    Set<String> gaps = new LinkedHashSet<>();
    r.networks().forEach(net -> gaps.add("network '" + net.sourceName() + "'"));
    return gaps.isEmpty() ? List.of("no network adapter") : new ArrayList<>(gaps);
  }

  /**
   * What the VM uses that the mapping has no entry for: its cluster, the datastores of its disks
   * and configuration file, the networks of its NICs. Empty when the mapping covers it.
   */
  public static List<String> mappingGaps(VmInfo vm, Inventory src, InfrastructureMapping m) {
    // Objects the source inventory does not know are named by their ids; the destination is not
    // read here, only whether the mapping has an entry.
    VmResolution r = new MappingResolver(m, src, null).namingUnknownByIds().vm(vm);
    Set<String> gaps = new LinkedHashSet<>();
    if (r.cluster().sourceName() == null) {
      gaps.add("its host is in no cluster");
    } else if (!r.cluster().mapped()) {
      gaps.add("cluster '" + r.cluster().sourceName() + "'");
    }
    for (Resolution<DatastoreInfo> ds : r.datastores()) {
      if (!ds.mapped()) {
        gaps.add("datastore '" + ds.sourceName() + "'");
      }
    }
    for (Resolution<NetworkInfo> net : r.networks()) {
      if (!net.mapped()) {
        gaps.add("network '" + net.sourceName() + "'");
      }
    }
    return new ArrayList<>(gaps);
  }

  /** The datastores a VM occupies: its configuration file's and its disks'. */
  public static List<String> datastoreIds(VmInfo vm) {
    return MappingResolver.datastoreIds(vm);
  }
}

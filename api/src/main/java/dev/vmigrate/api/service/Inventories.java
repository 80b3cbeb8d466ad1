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
    // One index per key, built once: each reference is then found in constant time, so a plan of
    // 10,000 VMs against an inventory of 10,000 resolves in linear time, not in 10^8 comparisons.
    Map<String, List<VmInfo>> byInstanceUuid = index(inv, v -> lower(v.instanceUuid()));
    Map<String, List<VmInfo>> byMoref = index(inv, VmInfo::id);
    Map<String, List<VmInfo>> byBiosUuid = index(inv, v -> lower(v.biosUuid()));
    Map<String, List<VmInfo>> byName = index(inv, VmInfo::name);
    List<VmInfo> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    RefProblems problems = new RefProblems();
    for (int i = 0; i < refs.size(); i++) {
      VmRef ref = refs.get(i);
      String at = label.apply(i);
      VmInfo vm;
      if (ref == null) {
        problems.add(at, at + ": is null");
        continue;
      } else if (ref.instanceUuid() != null) {
        vm =
            one(
                problems,
                at + ".instanceUuid",
                vcenterId,
                ref.instanceUuid(),
                "instance UUID",
                byInstanceUuid.getOrDefault(lower(ref.instanceUuid()), List.of()));
      } else if (ref.moref() != null) {
        vm =
            one(
                problems,
                at + ".moref",
                vcenterId,
                ref.moref(),
                "managed object id",
                byMoref.getOrDefault(ref.moref(), List.of()));
      } else if (ref.biosUuid() != null) {
        vm =
            one(
                problems,
                at + ".biosUuid",
                vcenterId,
                ref.biosUuid(),
                "BIOS UUID",
                byBiosUuid.getOrDefault(lower(ref.biosUuid()), List.of()));
      } else if (ref.name() != null) {
        vm =
            one(
                problems,
                at + ".name",
                vcenterId,
                ref.name(),
                "name",
                byName.getOrDefault(ref.name(), List.of()));
      } else {
        problems.add(at, at + ": needs one of name, moref, instanceUuid, biosUuid");
        continue;
      }
      if (vm == null) {
        continue;
      }
      if (vm.template()) {
        problems.add(at, at + ": '" + vm.name() + "' is a template, not a VM");
        continue;
      }
      Integer prev = seen.putIfAbsent(vm.instanceUuid().toLowerCase(), i);
      if (prev != null) {
        problems.add(
            at,
            at
                + ": duplicate VM '"
                + vm.name()
                + "' (instance UUID "
                + vm.instanceUuid()
                + "), already listed as "
                + label.apply(prev));
        continue;
      }
      out.add(vm);
    }
    problems.throwIfAny(refs.size());
    return out;
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(java.util.Locale.ROOT);
  }

  private static Map<String, List<VmInfo>> index(
      Inventory inv, java.util.function.Function<VmInfo, String> key) {
    Map<String, List<VmInfo>> index = new HashMap<>();
    for (VmInfo v : inv.vms()) {
      String k = key.apply(v);
      if (k != null) {
        index.computeIfAbsent(k, x -> new ArrayList<>(1)).add(v);
      }
    }
    return index;
  }

  /**
   * The references that cannot be resolved: the refusal names the first {@value #SHOWN} and counts
   * them all, so 10,000 bad references make one readable answer, not 10,000 lines.
   */
  static final class RefProblems {
    static final int SHOWN = 3;
    private final List<String> shown = new ArrayList<>();
    private String firstField;
    private int count;

    void add(String field, String message) {
      if (count++ == 0) {
        firstField = field;
      }
      if (shown.size() < SHOWN) {
        shown.add(message);
      }
    }

    void throwIfAny(int total) {
      if (count == 0) {
        return;
      }
      if (count == 1) {
        throw new ServiceException.Invalid(firstField, shown.get(0));
      }
      String more = count > shown.size() ? "; and " + (count - shown.size()) + " more" : "";
      throw new ServiceException.Invalid(
          firstField,
          count
              + " of "
              + total
              + " VM references are invalid: "
              + String.join("; ", shown)
              + more);
    }
  }

  private static VmInfo one(
      RefProblems problems, String field, String vc, String value, String what, List<VmInfo> hits) {
    if (hits.isEmpty()) {
      problems.add(
          field, field + ": no VM with " + what + " '" + value + "' in vCenter '" + vc + "'");
      return null;
    }
    if (hits.size() > 1) {
      problems.add(
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
      return null;
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

package dev.vmigrate.api.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.api.web.Dtos.PlanOptions;
import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.vsphere.DatastoreInfo;
import dev.vmigrate.vsphere.HostInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.MappingResolver;
import dev.vmigrate.vsphere.MappingResolver.ClusterResolution;
import dev.vmigrate.vsphere.MappingResolver.Resolution;
import dev.vmigrate.vsphere.MappingResolver.VmResolution;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.NetworkInfo;
import dev.vmigrate.vsphere.VmInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The automatic approval policy. For each VM, in plan order: skip it when the VM's own {@link
 * MigrationAttributes#RESULT} says it was migrated, unless it was ordered as a repeat migration
 * (then the reason of its approval says so and names the earlier migration); reject it when a
 * mapped destination does not exist (or is inaccessible) in the destination vCenter; reject it when
 * its disks do not fit in what is left on the destination datastores; defer it when its estimated
 * duration does not end inside the plan's time window. Pure: inventories in, proposals out.
 */
public final class ApprovalPolicy {

  /**
   * What the policy proposes for one VM, with the facts admission control needs.
   *
   * @param approve whether to migrate it
   * @param reason why not, or null
   */
  public record Proposal(
      VmInfo vm,
      boolean approve,
      String reason,
      long diskBytes,
      long memoryBytes,
      String sourceHost,
      List<String> sourceDatastores,
      List<String> destinationDatastores,
      boolean storageChange,
      long vmotionLinkMbps) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How the ledger's reason and messages of a repeat migration begin. */
  public static final String REPEAT = "repeat migration";

  /** Whether a ledger reason is a repeat migration's. */
  public static boolean isRepeat(String reason) {
    return reason != null && reason.startsWith(REPEAT + ":");
  }

  private ApprovalPolicy() {}

  /** Bytes reserved on a datastore by migrations in flight, from its custom attribute. */
  static long reserved(DatastoreInfo d) {
    String json = d.customValue(MigrationAttributes.RESERVATIONS);
    if (json == null) {
      return 0;
    }
    try {
      long sum = 0;
      for (var e : JSON.readTree(json).properties()) {
        sum += e.getValue().asLong();
      }
      return sum;
    } catch (Exception e) {
      return 0; // an unreadable attribute must not block approval; ReserveDirectory re-checks
    }
  }

  /** Whether the VM's own custom attribute records a finished migration. */
  public static Optional<String> alreadyMigrated(VmInfo vm) {
    String r = vm.customValue(MigrationAttributes.RESULT);
    return r != null && r.startsWith("migrated") ? Optional.of(r) : Optional.empty();
  }

  /**
   * @param repeats the VMs ordered with {@code remigrate}, by lower-case instance UUID, each to
   *     what the ledger knows of its earlier migration ("by request ...") or "" when nothing: such
   *     a VM that was migrated before is proposed like any other, as a repeat migration
   */
  public static List<Proposal> propose(
      List<VmInfo> vms,
      InfrastructureMapping m,
      Inventory src,
      Inventory dst,
      PlanOptions options,
      long bandwidthBytesPerSecond,
      Instant now,
      Map<String, String> repeats) {
    Map<String, Long> free = new HashMap<>();
    for (DatastoreInfo d : dst.datastores()) {
      // Space that running migrations reserved (ReserveDirectory) is not free for this request.
      free.put(d.id(), d.freeBytes() - reserved(d));
    }
    // Lanes model the plan's concurrency limit: each VM starts on the lane that frees first. The
    // fifo policy's throttle bounds it too (and its lanes keep the plan's order, as fifo does).
    int limit = options.concurrencyLimit() == null ? 0 : options.concurrencyLimit();
    if (AdmissionLimits.FIFO.equals(options.admissionPolicy()) && options.fifoThrottle() != null) {
      limit = limit == 0 ? options.fifoThrottle() : Math.min(limit, options.fifoThrottle());
    }
    Instant start =
        options.windowStart() != null && options.windowStart().isAfter(now)
            ? options.windowStart()
            : now;
    PriorityQueue<Instant> lanes = new PriorityQueue<>();
    for (int i = 0; i < limit; i++) {
      lanes.add(start);
    }
    // Source objects the inventory does not know are named by their ids, as in mapping checks.
    MappingResolver resolver = new MappingResolver(m, src, dst).namingUnknownByIds();
    boolean networkOnly = options.migrationType() == MigrationType.NETWORK;
    List<Proposal> out = new ArrayList<>();
    for (VmInfo vm : vms) {
      long memory = vm.memoryMb() * 1024L * 1024L;
      HostInfo host = src.host(vm.host()).orElse(null);
      long link = host == null ? 10_000 : host.vmotionLinkMbps();
      List<String> srcDs = Inventories.datastoreIds(vm);
      long diskBytes = vm.disks().stream().mapToLong(VirtualDisk::capacityBytes).sum();

      Optional<String> migrated = alreadyMigrated(vm);
      String repeat = repeatNote(repeats.get(vm.instanceUuid().toLowerCase(Locale.ROOT)), migrated);
      if (migrated.isPresent() && repeat == null) {
        out.add(
            skip(
                vm,
                "already migrated (" + MigrationAttributes.RESULT + ": " + migrated.get() + ")",
                diskBytes,
                memory,
                srcDs,
                link));
        continue;
      }
      List<String> problems = new ArrayList<>();
      VmResolution r = resolver.vm(vm);
      ClusterResolution cr = r.cluster();
      if (networkOnly) {
        // The VM stays on its host, pool and datastores; only the networks are resolved below.
      } else if (cr.mapped()) {
        ClusterMapping c = cr.mapping();
        if (cr.destination() == null) {
          problems.add("destination cluster '" + c.destination() + "' does not exist");
        }
        if (c.resourcePool() != null && resolver.resourcePool(c, null).isEmpty()) {
          problems.add("destination resource pool '" + c.resourcePool() + "' does not exist");
        }
        if (c.folder() != null && resolver.folder(c).isEmpty()) {
          problems.add("destination folder '" + c.folder() + "' does not exist");
        }
      } else {
        problems.add("cluster '" + cr.sourceName() + "' has no destination");
      }
      // Bytes each destination datastore receives; nothing when a disk stays where it is.
      Map<String, Long> need = new HashMap<>();
      Set<String> dstDs = new LinkedHashSet<>();
      boolean storageChange = m.crossVcenter();
      for (Resolution<DatastoreInfo> ds :
          networkOnly ? List.<Resolution<DatastoreInfo>>of() : r.datastores()) {
        String dsId = ds.sourceId();
        DatastoreInfo dest = ds.destination();
        if (!ds.mapped()) {
          problems.add("datastore '" + ds.sourceName() + "' has no destination");
        } else if (dest == null) {
          problems.add("destination datastore '" + ds.destinationName() + "' does not exist");
        } else if (!dest.accessible()) {
          problems.add("destination datastore '" + ds.destinationName() + "' is not accessible");
        } else {
          dstDs.add(dest.id());
          boolean moves = m.crossVcenter() || !dest.id().equals(dsId);
          storageChange |= moves;
          if (moves) {
            long bytes =
                vm.disks().stream()
                    .filter(d -> dsId.equals(d.datastore()))
                    .mapToLong(VirtualDisk::capacityBytes)
                    .sum();
            need.merge(dest.id(), bytes, Long::sum);
          }
        }
      }
      for (Resolution<NetworkInfo> net : r.networks()) {
        if (!net.mapped()) {
          // A network-only plan leaves a NIC on an unmapped network where it is.
          if (!networkOnly) {
            problems.add("network '" + net.sourceName() + "' has no destination");
          }
        } else if (net.destination() == null) {
          problems.add("destination network '" + net.destinationName() + "' does not exist");
        }
      }
      if (!problems.isEmpty()) {
        out.add(
            proposal(
                vm,
                false,
                "rejected: " + String.join("; ", problems),
                diskBytes,
                memory,
                host,
                srcDs,
                dstDs,
                storageChange,
                link));
        continue;
      }
      String short_ = null;
      for (Map.Entry<String, Long> e : need.entrySet()) {
        long left = free.getOrDefault(e.getKey(), 0L);
        if (e.getValue() > left) {
          String name = dst.datastore(e.getKey()).map(DatastoreInfo::name).orElse(e.getKey());
          short_ =
              "rejected: destination datastore '"
                  + name
                  + "' lacks capacity: needs "
                  + e.getValue()
                  + " bytes, "
                  + left
                  + " free after the VMs before it";
        }
      }
      if (short_ != null) {
        out.add(
            proposal(
                vm, false, short_, diskBytes, memory, host, srcDs, dstDs, storageChange, link));
        continue;
      }
      long moved =
          need.values().stream().mapToLong(Long::longValue).sum()
              + (vm.powerState() == PowerState.POWERED_ON && !networkOnly ? memory : 0);
      Duration estimate =
          Duration.ofSeconds(Math.max(1, moved / Math.max(1, bandwidthBytesPerSecond)));
      if (options.windowEnd() != null) {
        Instant laneFree = limit > 0 ? lanes.peek() : start;
        Instant end = laneFree.plus(estimate);
        if (end.isAfter(options.windowEnd())) {
          out.add(
              proposal(
                  vm,
                  false,
                  "deferred: estimated "
                      + estimate
                      + " at "
                      + bandwidthBytesPerSecond
                      + " bytes/s would end at "
                      + end
                      + ", after the time window closes at "
                      + options.windowEnd(),
                  diskBytes,
                  memory,
                  host,
                  srcDs,
                  dstDs,
                  storageChange,
                  link));
          continue;
        }
        if (limit > 0) {
          lanes.poll();
          lanes.add(end);
        }
      }
      need.forEach((ds, bytes) -> free.merge(ds, -bytes, Long::sum));
      out.add(
          proposal(vm, true, repeat, diskBytes, memory, host, srcDs, dstDs, storageChange, link));
    }
    return out;
  }

  /**
   * The reason of a repeat migration's approval, naming the earlier migration by the ledger and by
   * the VM's own mark; null when the VM is not ordered again or was never migrated.
   */
  private static String repeatNote(String ledger, Optional<String> migrated) {
    if (ledger == null || (ledger.isEmpty() && migrated.isEmpty())) {
      return null;
    }
    List<String> earlier = new ArrayList<>();
    if (!ledger.isEmpty()) {
      earlier.add(ledger);
    }
    migrated.ifPresent(r -> earlier.add(MigrationAttributes.RESULT + ": " + r));
    return REPEAT + ": ordered again with remigrate; migrated before " + String.join(", ", earlier);
  }

  private static Proposal skip(
      VmInfo vm, String reason, long disk, long memory, List<String> srcDs, long link) {
    return new Proposal(vm, false, reason, disk, memory, vm.host(), srcDs, List.of(), false, link);
  }

  private static Proposal proposal(
      VmInfo vm,
      boolean approve,
      String reason,
      long disk,
      long memory,
      HostInfo host,
      List<String> srcDs,
      Set<String> dstDs,
      boolean storageChange,
      long link) {
    return new Proposal(
        vm,
        approve,
        reason,
        disk,
        memory,
        host == null ? vm.host() : host.id(),
        srcDs,
        new ArrayList<>(dstDs),
        storageChange,
        link);
  }
}

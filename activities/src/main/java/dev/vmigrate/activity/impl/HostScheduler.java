package dev.vmigrate.activity.impl;

import dev.vmigrate.model.HostChoice;
import dev.vmigrate.model.HostChoice.ScorePart;
import dev.vmigrate.vsphere.HostInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * SelectDestination's choice of a host, like a scheduler's: first a filter (can the host take the
 * VM at all), then a score of the hosts left (which one should). Pure functions of the host records
 * and the counts given; nothing here reads vSphere.
 *
 * <p>The filter keeps a host that is connected and outside maintenance mode, mounts every datastore
 * and sees every network the VM will use, runs the VM's hardware version, has the source host's CPU
 * vendor when the move is a vMotion, and has room: free memory (capacity less quickStats usage) for
 * the VM's configured memory, and at least as many cores as the VM has vCPUs. Free CPU is not a
 * filter, since vSphere shares CPU among more vCPUs than there are cores; it weighs in the score. A
 * host that reports no capacity is not filtered on room.
 *
 * <p>The score adds {@link #MEMORY_WEIGHT} times the host's free memory fraction after placing the
 * VM, {@link #CPU_WEIGHT} times its free CPU fraction after placing it, and takes off {@link
 * #PLAN_WEIGHT} per VM the same request already placed on the host and {@link #IN_FLIGHT_WEIGHT}
 * per migration in flight to it. The highest score wins; ties go to the lowest host id.
 */
final class HostScheduler {
  static final double MEMORY_WEIGHT = 100;
  static final double CPU_WEIGHT = 100;
  static final double PLAN_WEIGHT = 10;
  static final double IN_FLIGHT_WEIGHT = 5;

  /** Managed object ids in their natural order: host-9 before host-10. */
  static final Comparator<String> BY_ID =
      Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder());

  private HostScheduler() {}

  /**
   * What the VM needs of its destination host.
   *
   * @param memoryMb configured memory
   * @param cpus vCPUs
   * @param hardwareVersion e.g. "vmx-19"
   * @param datastores destination datastores of its files and disks
   * @param networks destination networks of its NICs
   * @param cpuVendor the source host's CPU vendor when the move is a vMotion, else null
   * @param runsOn the host it runs on now, powered on, in the destination vCenter (its memory and
   *     CPU already count in that host's usage), else null
   */
  record Demand(
      long memoryMb,
      int cpus,
      String hardwareVersion,
      Set<String> datastores,
      Set<String> networks,
      String cpuVendor,
      String runsOn) {}

  /**
   * Counts by host id.
   *
   * @param placedByRequest VMs of this request placed on each host, this VM left out
   * @param inFlight migrations in flight to each host, this VM's left out
   */
  record Load(Map<String, Integer> placedByRequest, Map<String, Integer> inFlight) {
    int placed(String host) {
      return placedByRequest.getOrDefault(host, 0);
    }

    int flying(String host) {
      return inFlight.getOrDefault(host, 0);
    }
  }

  /** A host that passed the filter, with its score. */
  record Scored(HostInfo host, double score, List<ScorePart> parts) {}

  /**
   * The outcome: the ranked candidates (best first; empty when every host was filtered out) and the
   * hosts filtered out as "name: reason"; {@code incompatible} when every host was filtered out and
   * each of them (also) for an incompatibility, so that no amount of room would help.
   */
  record Decision(List<Scored> ranked, List<String> rejected, boolean incompatible) {
    Optional<Scored> best() {
      return ranked.stream().findFirst();
    }
  }

  /** Why the host cannot take the VM, or empty when it can. */
  static Optional<String> rejection(HostInfo h, Demand d) {
    List<String> why = new ArrayList<>();
    if (!"connected".equals(h.connectionState())) {
      why.add(h.connectionState());
    }
    if (h.inMaintenanceMode()) {
      why.add("in maintenance mode");
    }
    List<String> missingDs =
        d.datastores().stream().filter(ds -> !h.datastores().contains(ds)).toList();
    if (!missingDs.isEmpty()) {
      why.add("does not mount " + String.join(", ", missingDs));
    }
    List<String> missingNets =
        d.networks().stream().filter(n -> !h.networks().contains(n)).toList();
    if (!missingNets.isEmpty()) {
      why.add("does not see " + String.join(", ", missingNets));
    }
    why.addAll(incompatibilities(h, d));
    if (h.capacityKnown()) {
      long freeMb = freeMemoryMb(h, d);
      if (freeMb < 0) {
        why.add(
            "memory: "
                + (freeMb + memoryDemandMb(h, d))
                + " MB free, the VM needs "
                + d.memoryMb());
      }
      // CPU is shared, not reserved: vSphere runs more vCPUs than a host has cores, so a busy CPU
      // only lowers the score. A VM cannot have more vCPUs than the host has cores, though.
      if (d.cpus() > h.cpuCores()) {
        why.add("cpu: " + h.cpuCores() + " cores, the VM has " + d.cpus() + " vCPUs");
      }
    }
    return why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why));
  }

  /** Why the VM cannot run on the host whatever its load: hardware version, CPU vendor. */
  static List<String> incompatibilities(HostInfo h, Demand d) {
    List<String> why = new ArrayList<>();
    if (AnalysisActivitiesImpl.hwVersion(d.hardwareVersion())
        > AnalysisActivitiesImpl.hwVersion(h.maxHardwareVersion())) {
      why.add(
          "runs hardware up to " + h.maxHardwareVersion() + ", the VM has " + d.hardwareVersion());
    }
    if (d.cpuVendor() != null && !d.cpuVendor().equalsIgnoreCase(h.cpuVendor())) {
      why.add("CPU vendor " + h.cpuVendor() + " differs from the source's " + d.cpuVendor());
    }
    return why;
  }

  /** The host's score for the VM (see the class comment); parts in the order of HostChoice. */
  static Scored score(HostInfo h, Demand d, Load load) {
    double memory = h.capacityKnown() ? (double) freeMemoryMb(h, d) / h.memoryMb() : 0;
    double cpu = h.capacityKnown() ? (double) freeCpuMhz(h, d) / h.cpuMhz() : 0;
    int placed = load.placed(h.id());
    int flying = load.flying(h.id());
    List<ScorePart> parts =
        List.of(
            new ScorePart("memory", round(memory), round(MEMORY_WEIGHT * memory)),
            new ScorePart("cpu", round(cpu), round(CPU_WEIGHT * cpu)),
            new ScorePart("plan", placed, -PLAN_WEIGHT * placed),
            new ScorePart("inFlight", flying, -IN_FLIGHT_WEIGHT * flying));
    return new Scored(h, round(parts.stream().mapToDouble(ScorePart::points).sum()), parts);
  }

  /** Filters the hosts, scores the ones left and ranks them: best score first, then by host id. */
  static Decision decide(List<HostInfo> hosts, Demand d, Load load) {
    List<Scored> ranked = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    for (HostInfo h : hosts.stream().sorted(Comparator.comparing(HostInfo::id, BY_ID)).toList()) {
      Optional<String> why = rejection(h, d);
      if (why.isPresent()) {
        rejected.add(h.name() + ": " + why.get());
      } else {
        ranked.add(score(h, d, load));
      }
    }
    ranked.sort(
        Comparator.comparingDouble(Scored::score).reversed().thenComparing(s -> s.host().id()));
    boolean incompatible =
        !hosts.isEmpty()
            && ranked.isEmpty()
            && hosts.stream().allMatch(h -> !incompatibilities(h, d).isEmpty());
    return new Decision(ranked, rejected, incompatible);
  }

  /** The record of the choice of {@code chosen} for SelectDestination's result. */
  static HostChoice choice(
      String requestId, Scored chosen, Decision decision, Load load, boolean stayed) {
    String id = chosen.host().id();
    return new HostChoice(
        requestId,
        chosen.host().name(),
        chosen.score(),
        chosen.parts(),
        load.placed(id),
        load.flying(id),
        decision.ranked().size(),
        decision.rejected(),
        stayed);
  }

  private static long memoryDemandMb(HostInfo h, Demand d) {
    return h.id().equals(d.runsOn()) ? 0 : d.memoryMb();
  }

  private static long cpuDemandMhz(HostInfo h, Demand d) {
    return h.id().equals(d.runsOn()) ? 0 : d.cpus() * h.cpuMhzPerCore();
  }

  /** Free memory after placing the VM (negative when it does not fit). */
  private static long freeMemoryMb(HostInfo h, Demand d) {
    return h.memoryMb() - h.memoryUsageMb() - memoryDemandMb(h, d);
  }

  /** Free CPU after placing the VM (negative when it does not fit). */
  private static long freeCpuMhz(HostInfo h, Demand d) {
    return h.cpuMhz() - h.cpuUsageMhz() - cpuDemandMhz(h, d);
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}

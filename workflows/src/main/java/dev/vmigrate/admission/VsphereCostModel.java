package dev.vmigrate.admission;

import dev.vmigrate.model.VmOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * vCenter's cost model applied to one VM order.
 *
 * <ul>
 *   <li>Hot, same storage (vMotion): host 1, vMotion network 1, each source datastore 1; copies the
 *       memory.
 *   <li>Hot with a storage change (storage or shared-nothing vMotion): host 4, network 1, each
 *       source and destination datastore 16; copies disks and memory.
 *   <li>Cold, same storage (re-register): host 1, each source datastore 1, no network copy; a fixed
 *       short duration.
 *   <li>Cold with a storage change (relocation of a powered-off VM): priced like a storage vMotion:
 *       host 4, network 1, datastores 16; copies the disks.
 * </ul>
 *
 * <p>A network-only migration ({@code reconfigureOnly}) is one ReconfigVM_Task that edits NIC
 * backings: no data crosses a network and nothing is copied between datastores, so vCenter's cost
 * model, which prices migrations and provisioning, has no entry for it. It costs {@link
 * #RECONFIGURE_HOST_COST} on the VM's host against the host limit and nothing on networks or
 * datastores: a host then re-homes at most as many VMs at once as it would vMotion (8), which keeps
 * hostd's queue short and makes a wave of NIC changes reach a host in batches, so a wrong port
 * group shows on the first few VMs rather than on all of them at once.
 *
 * <p>Every migration also costs 1 against the vCenter's ceiling and 1 against the request's own
 * ceiling (the plan's limit, capped by how many children the request workflow may keep pending).
 * The destination host is unknown until SelectDestination runs, so only source host, source network
 * and both datastore sides are charged.
 */
public final class VsphereCostModel {

  /** Host and datastore costs of vSphere's documented operations. */
  public static final int VMOTION_HOST_COST = 1;

  public static final int SVMOTION_HOST_COST = 4;
  public static final int VMOTION_DATASTORE_COST = 1;
  public static final int SVMOTION_DATASTORE_COST = 16;
  public static final int NETWORK_COST = 1;

  /** A NIC-only ReconfigVM_Task on the VM's host (network-only plans). */
  public static final int RECONFIGURE_HOST_COST = 1;

  /** A NIC-only reconfigure: one task that rewrites the .vmx, seconds on vCenter. */
  public static final long RECONFIGURE_MILLIS = 5_000;

  /** Prechecks, placement, spec and verification: paid by every migration whatever its size. */
  public static final long FIXED_OVERHEAD_MILLIS = 30_000;

  /** A cold re-registration moves no data. */
  public static final long COLD_REGISTER_MILLIS = 60_000;

  private final String vcenterId;
  private final AdmissionLimits limits;
  private final int requestCeiling;
  private final boolean reconfigureOnly;

  /**
   * @param vcenterId the source vCenter (key of the vCenter-wide ceiling)
   * @param limits vSphere and plan limits
   * @param maxRunning how many migrations the caller can keep running at most (e.g. the request
   *     workflow's bound on pending children); combined with the plan's limit
   */
  public VsphereCostModel(String vcenterId, AdmissionLimits limits, int maxRunning) {
    this(vcenterId, limits, maxRunning, false);
  }

  /**
   * @param reconfigureOnly the request's migrations are network-only: each is a NIC reconfigure on
   *     the VM's host, not a relocate
   */
  public VsphereCostModel(
      String vcenterId, AdmissionLimits limits, int maxRunning, boolean reconfigureOnly) {
    this.reconfigureOnly = reconfigureOnly;
    this.vcenterId = vcenterId;
    this.limits = limits;
    int plan = limits.planLimit() > 0 ? limits.planLimit() : Integer.MAX_VALUE;
    this.requestCeiling = Math.max(1, Math.min(plan, maxRunning));
  }

  /** The limits this model charges against, with the plan's admission policy. */
  public AdmissionLimits limits() {
    return limits;
  }

  /** The job admission control schedules for this order. */
  public AdmissionJob jobFor(VmOrder order) {
    if (reconfigureOnly) {
      List<ResourceCost> costs =
          List.of(
              new ResourceCost("vc:" + vcenterId, 1, limits.vcenterLimit()),
              new ResourceCost("request", 1, requestCeiling),
              new ResourceCost(
                  "host:" + order.sourceHost(), RECONFIGURE_HOST_COST, limits.hostLimit()));
      return new AdmissionJob(
          order.vmId(), FIXED_OVERHEAD_MILLIS + RECONFIGURE_MILLIS, new ArrayList<>(costs));
    }
    boolean heavy = order.storageChange();
    boolean copiesOverNetwork = order.poweredOn() || heavy;
    Map<String, ResourceCost> costs = new LinkedHashMap<>();
    put(costs, "vc:" + vcenterId, 1, limits.vcenterLimit());
    put(costs, "request", 1, requestCeiling);
    put(
        costs,
        "host:" + order.sourceHost(),
        heavy ? SVMOTION_HOST_COST : VMOTION_HOST_COST,
        limits.hostLimit());
    if (copiesOverNetwork) {
      put(costs, "net:" + order.sourceHost(), NETWORK_COST, networkLimit(order));
    }
    int dsCost = heavy ? SVMOTION_DATASTORE_COST : VMOTION_DATASTORE_COST;
    for (String ds : order.sourceDatastores()) {
      put(costs, "ds:" + ds, dsCost, limits.datastoreLimit());
    }
    if (heavy) {
      for (String ds : order.destinationDatastores()) {
        put(costs, "ds:" + ds, dsCost, limits.datastoreLimit());
      }
    }
    return new AdmissionJob(order.vmId(), estimateMillis(order), new ArrayList<>(costs.values()));
  }

  /** Bytes to copy over the per-migration bandwidth, plus the fixed overhead. */
  public long estimateMillis(VmOrder order) {
    long bytes;
    if (order.storageChange()) {
      bytes = order.diskBytes() + (order.poweredOn() ? order.memoryBytes() : 0);
    } else if (order.poweredOn()) {
      bytes = order.memoryBytes();
    } else {
      return FIXED_OVERHEAD_MILLIS + COLD_REGISTER_MILLIS;
    }
    long bandwidth = Math.max(1, limits.bandwidthBytesPerSecond());
    return FIXED_OVERHEAD_MILLIS + (long) Math.ceil(bytes * 1000.0 / bandwidth);
  }

  /** 8 on a 10 GbE (or faster) vMotion link, 4 below. */
  public int networkLimit(VmOrder order) {
    return order.vmotionLinkMbps() >= 10_000 ? limits.network10gLimit() : limits.network1gLimit();
  }

  // A datastore on both sides of a move is charged once, at the higher cost.
  private static void put(Map<String, ResourceCost> costs, String key, int cost, int limit) {
    ResourceCost prev = costs.get(key);
    if (prev == null || prev.cost() < cost) {
      costs.put(key, new ResourceCost(key, cost, limit));
    }
  }
}

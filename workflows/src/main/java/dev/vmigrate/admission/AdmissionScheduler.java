package dev.vmigrate.admission;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Admission control that queues rather than fails, under vCenter's cost model: every job charges a
 * cost against each of its resources (host, vMotion network, datastores, the vCenter ceiling, the
 * request's ceiling) and may only start while every resource stays within its limit. A job whose
 * cost alone exceeds a limit is never refused: it starts when that resource is idle and then runs
 * alone on it.
 *
 * <h2>Ordering heuristic: critical-resource-first LPT with one reservation and backfilling</h2>
 *
 * <ol>
 *   <li><b>Priority.</b> Each queued job gets the key {@code max(own duration, max over its
 *       resources r of queuedLoad(r))}, where {@code queuedLoad(r) = sum(cost x duration) / limit}
 *       over the queued jobs on r: a lower bound of how long r stays busy. Resources that every
 *       queued job uses (the vCenter and request ceilings) are left out, since they do not tell
 *       jobs apart. Jobs are tried by key descending, then duration descending
 *       (longest-processing-time-first), then id. So the work on the bottleneck host or datastore
 *       starts first and long jobs do not end up as a lone tail; short jobs fill what is left. The
 *       key also grows by the time the job has been queued: jobs that arrived together keep their
 *       order, while one that newer, longer arrivals keep overtaking rises to the top.
 *   <li><b>Greedy fill.</b> Every job that fits is started at once, so no resource idles while a
 *       queued job could use it, except as in 3.
 *   <li><b>Reservation (no starvation).</b> The first job in priority order that does not fit gets
 *       a reservation, which sticks to it until it starts: its earliest start {@code T} is
 *       estimated by releasing running jobs in order of estimated end. A lower-priority job may
 *       then start on the resources that block the reserved job only if it is estimated to end by
 *       {@code T} or if both still fit at {@code T} (EASY backfilling). The reserved job is tried
 *       first in every round. Once {@code T} has passed (estimates were optimistic), nothing new
 *       can take its blocking resources, so they drain and it starts: a job bigger than a limit
 *       therefore gets its resource to itself, and no job waits forever.
 * </ol>
 *
 * <h2>The fifo baseline</h2>
 *
 * <p>{@link #fifo(int)} gives a scheduler without any of the above, to compare against: jobs start
 * strictly in the order they were enqueued (the ledger's order) and at most {@code throttle} run at
 * once. The same cost limits hold, and the head of the queue blocks the line: while it does not
 * fit, nothing behind it starts. It is what a fixed-throttle migration queue in front of vCenter's
 * own first-in-first-out task queue does.
 *
 * <p>Pure and deterministic: no clock (the caller passes {@code now}), no randomness, no iteration
 * over hash order. The same calls give the same admissions.
 */
public final class AdmissionScheduler {

  private final Map<String, AdmissionJob> queued = new LinkedHashMap<>();
  private final Map<String, RunningJob> running = new LinkedHashMap<>();
  private final Map<String, Integer> usage = new HashMap<>();
  private final Map<String, Long> firstSeen = new HashMap<>();
  private String reservedId;
  // 0: vmigrate's policy; otherwise fifo with at most this many running.
  private final int fifoThrottle;

  /** vmigrate's policy. */
  public AdmissionScheduler() {
    this(0);
  }

  private AdmissionScheduler(int fifoThrottle) {
    this.fifoThrottle = fifoThrottle;
  }

  /** The fifo baseline: enqueue order, head of line blocks, at most {@code throttle} at once. */
  public static AdmissionScheduler fifo(int throttle) {
    if (throttle < 1) {
      throw new IllegalArgumentException("fifo throttle must be at least 1, was " + throttle);
    }
    return new AdmissionScheduler(throttle);
  }

  /** The scheduler of the limits' policy. */
  public static AdmissionScheduler forLimits(AdmissionLimits limits) {
    return limits.fifo() ? fifo(limits.fifoThrottle()) : new AdmissionScheduler();
  }

  /** A job in flight and when it started, for estimating its end. */
  public record RunningJob(AdmissionJob job, long startMillis) {
    long estimatedEnd(long now) {
      return Math.max(now, startMillis + job.estimatedMillis());
    }
  }

  /** Adds a job to the queue; it starts when {@link #admit} finds room. */
  public void enqueue(AdmissionJob job) {
    if (queued.containsKey(job.id()) || running.containsKey(job.id())) {
      throw new IllegalArgumentException("duplicate job " + job.id());
    }
    queued.put(job.id(), job);
  }

  /**
   * Records a job that is already running (re-attached after a restart); it is charged even if that
   * exceeds a limit, since it is running regardless.
   */
  public void markRunning(AdmissionJob job, long startMillis) {
    queued.remove(job.id());
    firstSeen.remove(job.id());
    if (running.containsKey(job.id())) {
      return;
    }
    running.put(job.id(), new RunningJob(job, startMillis));
    job.costs().forEach(c -> usage.merge(c.resource(), c.cost(), Integer::sum));
  }

  /** A running job finished (in any way): frees its costs. Returns false if it was not running. */
  public boolean release(String id) {
    RunningJob r = running.remove(id);
    if (r == null) {
      return false;
    }
    for (ResourceCost c : r.job().costs()) {
      int left = usage.merge(c.resource(), -c.cost(), Integer::sum);
      if (left == 0) {
        usage.remove(c.resource());
      }
    }
    return true;
  }

  /** Removes a queued job that will not run (e.g. the request was cancelled). */
  public boolean withdraw(String id) {
    if (id.equals(reservedId)) {
      reservedId = null;
    }
    firstSeen.remove(id);
    return queued.remove(id) != null;
  }

  /**
   * Starts whatever may start now, in priority order, and returns those jobs (now running).
   *
   * @param now the caller's clock (workflow time in a workflow)
   */
  public List<AdmissionJob> admit(long now) {
    return admit(now, Integer.MAX_VALUE);
  }

  /**
   * As {@link #admit(long)}, starting at most {@code maxNew} jobs (the caller's own budget, e.g.
   * the history events left before continue-as-new).
   */
  public List<AdmissionJob> admit(long now, int maxNew) {
    List<AdmissionJob> started = new ArrayList<>();
    if (queued.isEmpty() || maxNew <= 0) {
      return started;
    }
    if (fifoThrottle > 0) {
      admitInOrder(now, maxNew, started);
      return started;
    }
    queued.keySet().forEach(id -> firstSeen.putIfAbsent(id, now));
    List<AdmissionJob> order = priorityOrder(now);
    AdmissionJob reserved = reservedId == null ? null : queued.get(reservedId);
    if (reserved != null) {
      order.remove(reserved);
      order.add(0, reserved);
    }
    Reservation reservation = null;
    for (AdmissionJob job : order) {
      if (started.size() >= maxNew) {
        break;
      }
      boolean fits = fits(job.costs(), usage);
      if (reservation == null) {
        if (fits) {
          start(job, now, started);
          continue;
        }
        reservation = reserve(job, now);
        reservedId = job.id();
      } else if (fits && reservation.allows(job, now)) {
        start(job, now, started);
      }
    }
    if (reservation == null) {
      reservedId = null;
    }
    return started;
  }

  // The fifo baseline: the head starts if it fits and the throttle allows, else nothing does. A
  // head blocked by its costs is reported as the reserved job: it is next, whatever frees.
  private void admitInOrder(long now, int maxNew, List<AdmissionJob> started) {
    reservedId = null;
    while (!queued.isEmpty() && started.size() < maxNew && running.size() < fifoThrottle) {
      AdmissionJob head = queued.values().iterator().next();
      if (!fits(head.costs(), usage)) {
        reservedId = head.id();
        return;
      }
      start(head, now, started);
    }
  }

  /** Whether this is the fifo baseline rather than vmigrate's policy. */
  public boolean isFifo() {
    return fifoThrottle > 0;
  }

  /** Whether the job could start now, ignoring any reservation. */
  public boolean fitsNow(AdmissionJob job) {
    return fits(job.costs(), usage);
  }

  /** Current cost in use on a resource. */
  public int usage(String resource) {
    return usage.getOrDefault(resource, 0);
  }

  /** Queued jobs in the order they were enqueued. */
  public List<AdmissionJob> queuedJobs() {
    return List.copyOf(queued.values());
  }

  /** Running jobs in the order they started. */
  public Collection<RunningJob> runningJobs() {
    return List.copyOf(running.values());
  }

  public int queuedCount() {
    return queued.size();
  }

  public int runningCount() {
    return running.size();
  }

  public boolean isRunning(String id) {
    return running.containsKey(id);
  }

  /**
   * Every resource a queued or running job uses, with its queue length, running jobs and cost in
   * use, sorted by resource key. Read-only: for queries and metrics, never for decisions.
   */
  public List<ResourceLoad> loads() {
    Map<String, int[]> counts = new java.util.TreeMap<>();
    Map<String, Integer> limits = new HashMap<>();
    for (AdmissionJob job : queued.values()) {
      for (ResourceCost c : job.costs()) {
        counts.computeIfAbsent(c.resource(), k -> new int[2])[0]++;
        limits.putIfAbsent(c.resource(), c.limit());
      }
    }
    for (RunningJob r : running.values()) {
      for (ResourceCost c : r.job().costs()) {
        counts.computeIfAbsent(c.resource(), k -> new int[2])[1]++;
        limits.putIfAbsent(c.resource(), c.limit());
      }
    }
    List<ResourceLoad> out = new ArrayList<>(counts.size());
    counts.forEach(
        (resource, n) ->
            out.add(new ResourceLoad(resource, n[0], n[1], usage(resource), limits.get(resource))));
    return out;
  }

  /** The job currently holding the reservation, if one is blocked. */
  public Optional<String> reservedJob() {
    return Optional.ofNullable(reservedId);
  }

  private void start(AdmissionJob job, long now, List<AdmissionJob> started) {
    queued.remove(job.id());
    firstSeen.remove(job.id());
    if (job.id().equals(reservedId)) {
      reservedId = null;
    }
    running.put(job.id(), new RunningJob(job, now));
    job.costs().forEach(c -> usage.merge(c.resource(), c.cost(), Integer::sum));
    started.add(job);
  }

  private List<AdmissionJob> priorityOrder(long now) {
    Map<String, Double> load = new HashMap<>();
    Map<String, Integer> users = new HashMap<>();
    for (AdmissionJob job : queued.values()) {
      for (ResourceCost c : job.costs()) {
        // A job above the limit occupies the whole resource, not more.
        double share = Math.min(c.cost(), c.limit()) / (double) c.limit();
        load.merge(c.resource(), share * job.estimatedMillis(), Double::sum);
        users.merge(c.resource(), 1, Integer::sum);
      }
    }
    int total = queued.size();
    Map<String, Double> key = new HashMap<>();
    for (AdmissionJob job : queued.values()) {
      double k = job.estimatedMillis();
      for (ResourceCost c : job.costs()) {
        if (total == 1 || users.get(c.resource()) < total) {
          k = Math.max(k, load.get(c.resource()));
        }
      }
      // Ageing: jobs queued together keep their relative order; a job that keeps being overtaken
      // by newer arrivals rises until it holds the reservation.
      key.put(job.id(), k + (now - firstSeen.get(job.id())));
    }
    List<AdmissionJob> order = new ArrayList<>(queued.values());
    order.sort(
        Comparator.comparing((AdmissionJob j) -> key.get(j.id()))
            .reversed()
            .thenComparing(Comparator.comparingLong(AdmissionJob::estimatedMillis).reversed())
            .thenComparing(AdmissionJob::id));
    return order;
  }

  private Reservation reserve(AdmissionJob job, long now) {
    // Guard only the resources that block it now; the shared ceilings it wins by going first.
    List<ResourceCost> blocking = new ArrayList<>();
    for (ResourceCost c : job.costs()) {
      if (!fits(List.of(c), usage)) {
        blocking.add(c);
      }
    }
    Map<String, Integer> projected = new HashMap<>();
    blocking.forEach(c -> projected.put(c.resource(), usage(c.resource())));
    List<RunningJob> byEnd = new ArrayList<>(running.values());
    byEnd.sort(
        Comparator.comparingLong((RunningJob r) -> r.estimatedEnd(now))
            .thenComparing(r -> r.job().id()));
    long at = now;
    for (RunningJob r : byEnd) {
      if (fits(blocking, projected)) {
        break;
      }
      for (ResourceCost c : r.job().costs()) {
        projected.computeIfPresent(c.resource(), (k, v) -> v - c.cost());
      }
      at = r.estimatedEnd(now);
    }
    return new Reservation(job, blocking, projected, at);
  }

  // Fits if every resource stays within its limit, or is idle (a job above a limit runs alone).
  private static boolean fits(List<ResourceCost> costs, Map<String, Integer> inUse) {
    for (ResourceCost c : costs) {
      int used = inUse.getOrDefault(c.resource(), 0);
      if (used != 0 && used + c.cost() > c.limit()) {
        return false;
      }
    }
    return true;
  }

  /** The blocked job's estimated start and the usage projected on its blocking resources then. */
  private static final class Reservation {
    private final List<ResourceCost> blocking;
    private final Map<String, Integer> projected;
    private final long startAt;

    Reservation(
        AdmissionJob job, List<ResourceCost> blocking, Map<String, Integer> projected, long at) {
      this.blocking = blocking;
      this.projected = projected;
      this.startAt = at;
    }

    // A backfill may not delay the reserved job: it ends first, or both fit at the reserved start.
    boolean allows(AdmissionJob job, long now) {
      List<ResourceCost> shared = new ArrayList<>();
      for (ResourceCost c : job.costs()) {
        if (projected.containsKey(c.resource())) {
          shared.add(c);
        }
      }
      if (shared.isEmpty() || now + job.estimatedMillis() <= startAt) {
        return true;
      }
      Map<String, Integer> after = new HashMap<>(projected);
      shared.forEach(c -> after.merge(c.resource(), c.cost(), Integer::sum));
      if (!fits(blocking, after)) {
        return false;
      }
      shared.forEach(c -> projected.merge(c.resource(), c.cost(), Integer::sum));
      return true;
    }
  }
}

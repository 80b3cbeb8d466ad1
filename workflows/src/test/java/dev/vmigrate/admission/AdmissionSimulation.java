package dev.vmigrate.admission;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.ToLongFunction;

/**
 * Discrete-event simulation of a plan under admission control. It keeps its own account of every
 * resource and fails on the first start that would break a limit (unless the resource was idle: a
 * job above a limit runs alone), so it checks the policy at every moment.
 */
final class AdmissionSimulation {

  /** Something that decides what starts. */
  interface Policy {
    void enqueue(AdmissionJob job);

    List<AdmissionJob> admit(long now);

    void release(String id);
  }

  /** vmigrate's scheduler. */
  static Policy scheduler() {
    return of(new AdmissionScheduler());
  }

  /** The real scheduler's fifo baseline, as the request workflow runs it. */
  static Policy schedulerFifo(int throttle) {
    return of(AdmissionScheduler.fifo(throttle));
  }

  private static Policy of(AdmissionScheduler s) {
    return new Policy() {
      public void enqueue(AdmissionJob job) {
        s.enqueue(job);
      }

      public List<AdmissionJob> admit(long now) {
        return s.admit(now);
      }

      public void release(String id) {
        s.release(id);
      }
    };
  }

  /**
   * The baseline as a model beside the scheduler: first in, first out, at most {@code throttle} at
   * once; the head waits until vCenter's limits let it run and nothing overtakes it (vCenter's own
   * queue is FIFO). {@link #schedulerFifo} must agree with it.
   */
  static Policy fifo(int throttle) {
    return new Policy() {
      final List<AdmissionJob> queue = new ArrayList<>();
      final Map<String, AdmissionJob> running = new HashMap<>();
      final Map<String, Integer> usage = new HashMap<>();

      public void enqueue(AdmissionJob job) {
        queue.add(job);
      }

      public List<AdmissionJob> admit(long now) {
        List<AdmissionJob> started = new ArrayList<>();
        while (!queue.isEmpty() && running.size() < throttle && fits(queue.get(0), usage)) {
          AdmissionJob j = queue.remove(0);
          running.put(j.id(), j);
          j.costs().forEach(c -> usage.merge(c.resource(), c.cost(), Integer::sum));
          started.add(j);
        }
        return started;
      }

      public void release(String id) {
        AdmissionJob j = running.remove(id);
        j.costs().forEach(c -> usage.merge(c.resource(), -c.cost(), Integer::sum));
      }
    };
  }

  private record End(long at, AdmissionJob job) {}

  private static void record(
      List<AdmissionJob> admitted,
      Map<String, Integer> usage,
      Map<String, Long> startedAt,
      PriorityQueue<End> ends,
      long now,
      ToLongFunction<AdmissionJob> actual) {
    for (AdmissionJob j : admitted) {
      for (ResourceCost c : j.costs()) {
        int used = usage.getOrDefault(c.resource(), 0);
        if (used != 0 && used + c.cost() > c.limit()) {
          throw new AssertionError(
              "limit broken at t=" + now + " on " + c.resource() + " by " + j.id());
        }
        usage.put(c.resource(), used + c.cost());
      }
      if (startedAt.put(j.id(), now) != null) {
        throw new AssertionError("started twice: " + j.id());
      }
      ends.add(new End(now + actual.applyAsLong(j), j));
    }
  }

  /** What happened to each job. */
  record Outcome(long makespan, Map<String, Long> startedAt, int peakRunning) {}

  /**
   * Runs the jobs, enqueued in order ({@code window} at a time, like ledger pages), each taking its
   * actual duration.
   */
  static Outcome run(
      Policy policy, List<AdmissionJob> jobs, ToLongFunction<AdmissionJob> actual, int window) {
    Map<String, Integer> usage = new HashMap<>();
    Map<String, Long> startedAt = new LinkedHashMap<>();
    PriorityQueue<End> ends =
        new PriorityQueue<>(Comparator.comparingLong(End::at).thenComparing(e -> e.job().id()));
    int next = 0;
    int inQueue = 0;
    long now = 0;
    int peak = 0;
    while (true) {
      // Refill and admit until nothing more starts at this instant, like a ledger page refill.
      List<AdmissionJob> admitted;
      do {
        while (next < jobs.size() && inQueue < window) {
          policy.enqueue(jobs.get(next++));
          inQueue++;
        }
        admitted = policy.admit(now);
        record(admitted, usage, startedAt, ends, now, actual);
        inQueue -= admitted.size();
      } while (!admitted.isEmpty() && next < jobs.size());
      peak = Math.max(peak, ends.size());
      if (ends.isEmpty()) {
        if (next < jobs.size() || inQueue > 0) {
          throw new AssertionError("nothing running but " + inQueue + " queued: starvation");
        }
        return new Outcome(now, startedAt, peak);
      }
      End e = ends.poll();
      now = e.at();
      for (ResourceCost c : e.job().costs()) {
        usage.merge(c.resource(), -c.cost(), Integer::sum);
      }
      policy.release(e.job().id());
    }
  }

  /**
   * The makespan no schedule can beat: the longest job, the total work over the request's ceiling,
   * and each resource's cost-weighted work over its limit.
   */
  static long lowerBound(List<AdmissionJob> jobs, ToLongFunction<AdmissionJob> actual) {
    long bound = 0;
    Map<String, Double> load = new HashMap<>();
    for (AdmissionJob j : jobs) {
      long d = actual.applyAsLong(j);
      bound = Math.max(bound, d);
      for (ResourceCost c : j.costs()) {
        load.merge(
            c.resource(), Math.min(c.cost(), c.limit()) * (double) d / c.limit(), Double::sum);
      }
    }
    for (double l : load.values()) {
      bound = Math.max(bound, (long) Math.ceil(l));
    }
    return bound;
  }

  private static boolean fits(AdmissionJob job, Map<String, Integer> usage) {
    for (ResourceCost c : job.costs()) {
      int used = usage.getOrDefault(c.resource(), 0);
      if (used != 0 && used + c.cost() > c.limit()) {
        return false;
      }
    }
    return true;
  }
}

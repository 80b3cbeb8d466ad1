package dev.vmigrate.workflow;

import dev.vmigrate.model.DiskProgress;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationItinerary;
import dev.vmigrate.model.MigrationMode;
import dev.vmigrate.model.PowerState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * vCenter's action queue as workflow state: the actions still queued (head first), the ones done,
 * and the stack of compensations registered so far. Progress, pause, resume-after-failure and
 * rollback all read this one structure. Not thread-safe; used from the workflow thread only.
 */
final class ActionQueue {
  private static final long GIB = 1L << 30;

  private final Deque<MigrationAction> queued = new ArrayDeque<>();
  private final List<MigrationAction> done = new ArrayList<>();
  private final Deque<MigrationAction> compensations = new ArrayDeque<>();

  ActionQueue(List<MigrationAction> prefix) {
    queued.addAll(prefix);
  }

  boolean isEmpty() {
    return queued.isEmpty();
  }

  MigrationAction head() {
    return queued.peekFirst();
  }

  /** Appends actions at the end, as an action in vCenter's queue may. */
  void append(List<MigrationAction> actions) {
    queued.addAll(actions);
  }

  void completeHead() {
    done.add(queued.removeFirst());
  }

  /**
   * Registers the head's compensation before it runs, since a call that times out may still have
   * taken effect. Registering again when an action is re-run after a failure is a no-op.
   */
  void registerCompensationFor(MigrationAction action) {
    if (action.hasCompensation() && !compensations.contains(action)) {
      compensations.push(action);
    }
  }

  /** The most recent compensation not yet run, or null. */
  MigrationAction nextCompensation() {
    return compensations.peekFirst();
  }

  /** Drops the most recent compensation once it has run. */
  void compensationDone() {
    compensations.removeFirst();
  }

  List<MigrationAction> done() {
    return List.copyOf(done);
  }

  List<MigrationAction> queued() {
    return List.copyOf(queued);
  }

  List<MigrationAction> pendingCompensations() {
    return List.copyOf(compensations);
  }

  /**
   * Weighted progress, 0 to 99 while actions remain: data-moving actions weigh in proportion to the
   * bytes they copy, and the running one counts by its disks' progress.
   */
  int percent(long bytesToMove, List<DiskProgress> disks) {
    if (queued.isEmpty()) {
      return 100;
    }
    double share;
    if (done.contains(MigrationAction.COMPUTE_SPEC)
        || queued.contains(MigrationAction.COMPUTE_SPEC)) {
      // The prefix, then what ComputeSpec appends: the prefix counts for the share it has against
      // the lightest part ComputeSpec can append, so the percentage never falls back when the
      // rest is appended, even when it turns out heavy (bytes to move).
      double[] prefix = tally(MigrationItinerary.PREFIX::contains, 0, disks);
      double[] rest = tally(a -> !MigrationItinerary.PREFIX.contains(a), bytesToMove, disks);
      double f = PREFIX_WEIGHT / (PREFIX_WEIGHT + LIGHTEST_REST);
      share = f * prefix[0] / prefix[1] + (rest[1] == 0 ? 0 : (1 - f) * rest[0] / rest[1]);
    } else {
      double[] all = tally(a -> true, bytesToMove, disks);
      share = all[1] == 0 ? 0 : all[0] / all[1];
    }
    return Math.min((int) Math.floor(100 * share), 99);
  }

  /** Achieved and total weight of the done and queued actions that {@code counted} accepts. */
  private double[] tally(
      Predicate<MigrationAction> counted, long bytesToMove, List<DiskProgress> disks) {
    double total = 0;
    double achieved = 0;
    for (MigrationAction a : done) {
      if (counted.test(a)) {
        double w = weight(a, bytesToMove);
        total += w;
        achieved += w;
      }
    }
    boolean first = true;
    for (MigrationAction a : queued) {
      if (counted.test(a)) {
        double w = weight(a, bytesToMove);
        total += w;
        if (first && a.movesData()) {
          achieved += w * diskFraction(disks);
        }
      }
      first = false;
    }
    return new double[] {achieved, total};
  }

  private static final double PREFIX_WEIGHT =
      MigrationItinerary.PREFIX.stream().mapToDouble(a -> weight(a, 0)).sum();

  /**
   * The least weight that ComputeSpec can append, over every combination of {@link
   * MigrationItinerary.Facts}, without bytes to move.
   */
  private static final double LIGHTEST_REST = lightestRest();

  private static double lightestRest() {
    double lightest = Double.POSITIVE_INFINITY;
    boolean[] both = {false, true};
    for (MigrationMode mode : MigrationMode.values()) {
      for (PowerState power : PowerState.values()) {
        for (boolean cross : both) {
          for (boolean storage : both) {
            for (boolean network : both) {
              List<MigrationAction> rest;
              try {
                rest =
                    MigrationItinerary.after(
                        new MigrationItinerary.Facts(mode, cross, power, storage, network));
              } catch (IllegalArgumentException impossible) {
                continue;
              }
              lightest = Math.min(lightest, rest.stream().mapToDouble(a -> weight(a, 0)).sum());
            }
          }
        }
      }
    }
    return lightest;
  }

  private static double weight(MigrationAction a, long bytesToMove) {
    return a.movesData() ? a.weight() + 2.0 * bytesToMove / GIB : a.weight();
  }

  private static double diskFraction(List<DiskProgress> disks) {
    long bytes = 0;
    double moved = 0;
    for (DiskProgress d : disks) {
      bytes += d.capacityBytes();
      moved += d.capacityBytes() * d.percent() / 100.0;
    }
    return bytes == 0 ? 0 : moved / bytes;
  }
}

package dev.vmigrate.workflow;

import dev.vmigrate.model.DiskProgress;
import dev.vmigrate.model.MigrationAction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

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
    double total = 0;
    double achieved = 0;
    for (MigrationAction a : done) {
      double w = weight(a, bytesToMove);
      total += w;
      achieved += w;
    }
    boolean first = true;
    for (MigrationAction a : queued) {
      double w = weight(a, bytesToMove);
      total += w;
      if (first && a.movesData()) {
        achieved += w * diskFraction(disks);
      }
      first = false;
    }
    if (total == 0) {
      return 0;
    }
    int pct = (int) Math.floor(100 * achieved / total);
    return queued.isEmpty() ? 100 : Math.min(pct, 99);
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

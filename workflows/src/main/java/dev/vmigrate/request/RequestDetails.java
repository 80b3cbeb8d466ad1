package dev.vmigrate.request;

import dev.vmigrate.model.VmOrder;
import java.util.List;

/**
 * The text a request shows about itself: the Markdown of its current details (what the Temporal UI
 * shows for the request's workflow), and the status and summary its final ledger record carries.
 * Pure functions of a {@link PlanRequestState}.
 */
final class RequestDetails {

  /** How many running VMs the details name before eliding the rest. */
  static final int RUNNING_SHOWN = 10;

  private RequestDetails() {}

  /**
   * Ok: every VM migrated. Error: none migrated and some failed. Warn otherwise: some failed, were
   * rolled back (also at an operator's request) or cancelled.
   */
  static String status(PlanRequestState s) {
    if (s.completed() == s.total() && !s.cancelled()) {
      return "Ok";
    }
    // A rollback or cancellation an operator asked for is no error of the migration's.
    return s.completed() == 0 && s.failed() > 0 ? "Error" : "Warn";
  }

  /** One line of counts, noting how many VMs a cancellation left unstarted. */
  static String summary(PlanRequestState s) {
    int notStarted = s.total() - s.completed() - s.failed() - s.rolledBack() - s.skipped();
    return String.format(
        "%d completed, %d failed, %d rolled back, %d skipped%s",
        s.completed(),
        s.failed(),
        s.rolledBack(),
        s.skipped(),
        s.cancelled() ? ", cancelled with " + notStarted + " not started" : "");
  }

  /** What a request says while it waits on its timer for the plan's time window to open. */
  static String waitingForWindow(java.time.Instant windowStart, int total) {
    return "waits for its window, starts at " + windowStart + " (" + total + " approved VMs)";
  }

  /**
   * Counts, the VMs started and not finished, and what the request waits for next; lists, not a
   * table, since the Temporal UI's Markdown renders no tables. The request workflow knows a started
   * VM only as not finished: whether it runs, is paused or is held is its migration's state, which
   * the details point to rather than guess.
   */
  static String markdown(String requestId, String planName, PlanRequestState s) {
    RequestProgress p = s.progress(requestId);
    StringBuilder md = new StringBuilder();
    md.append("## Request ")
        .append(requestId)
        .append(" (plan ")
        .append(planName)
        .append(")\n\n**")
        .append(p.state())
        .append("**, ")
        .append(p.percent())
        .append("% done\n\n")
        .append("- queued: ")
        .append(p.queued())
        .append('\n')
        .append("- started, not finished: ")
        .append(p.running())
        .append('\n')
        .append("- completed: ")
        .append(p.completed())
        .append('\n')
        .append("- failed: ")
        .append(p.failed())
        .append('\n')
        .append("- rolled back: ")
        .append(p.rolledBack())
        .append('\n')
        .append("- skipped: ")
        .append(p.skipped())
        .append("\n\n");
    List<VmOrder> running = s.runningOrders();
    if (!running.isEmpty()) {
      md.append("**Started, not finished** (").append(running.size()).append("): ");
      int shown = Math.min(RUNNING_SHOWN, running.size());
      for (int i = 0; i < shown; i++) {
        VmOrder o = running.get(i);
        md.append(i == 0 ? "" : ", ").append(o.name()).append(" on ").append(o.sourceHost());
      }
      md.append(running.size() > shown ? ", ..." : "").append("\n\n");
    }
    md.append("**Next:** ");
    if (s.finished()) {
      md.append("nothing; the request is finished.");
    } else if (s.cancelled()) {
      md.append("waiting for running migrations to roll back.");
    } else if (s.paused()) {
      md.append("paused; `vmigrate request resume ").append(requestId).append("` admits more VMs.");
    } else if (s.draining()) {
      md.append("continuing as new to keep the history short.");
    } else if (p.queued() > 0) {
      md.append(p.queued()).append(" VMs wait for admission");
      s.reservedOrder()
          .ifPresent(o -> md.append("; ").append(o.name()).append(" is next when its host frees"));
      md.append('.');
    } else {
      md.append("no VM waits for admission; the request waits for its ")
          .append(running.size())
          .append(" started VMs to finish (one held or paused waits for an operator: `vmigrate vm")
          .append(" list --request ")
          .append(requestId)
          .append("`).");
    }
    return md.toString();
  }
}

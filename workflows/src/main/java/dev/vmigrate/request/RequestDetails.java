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
   * Ok: every VM migrated. Error: none migrated. Warn: some failed, rolled back or were cancelled.
   */
  static String status(PlanRequestState s) {
    if (s.completed() == s.total() && !s.cancelled()) {
      return "Ok";
    }
    return s.completed() == 0 && s.total() > 0 ? "Error" : "Warn";
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

  /** Progress table, the VMs running, and what the request does next. */
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
        .append("| queued | running | completed | failed | rolled back | skipped |\n")
        .append("|---|---|---|---|---|---|\n")
        .append(
            String.format(
                "| %d | %d | %d | %d | %d | %d |%n%n",
                p.queued(), p.running(), p.completed(), p.failed(), p.rolledBack(), p.skipped()));
    List<VmOrder> running = s.runningOrders();
    if (!running.isEmpty()) {
      md.append("**Running** (").append(running.size()).append("): ");
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
      md.append("paused; send `resume` to admit more VMs.");
    } else if (s.draining()) {
      md.append("continuing as new to keep the history short.");
    } else {
      md.append(p.queued()).append(" VMs wait for admission");
      s.reservedOrder()
          .ifPresent(o -> md.append("; ").append(o.name()).append(" is next when its host frees"));
      md.append('.');
    }
    return md.toString();
  }
}

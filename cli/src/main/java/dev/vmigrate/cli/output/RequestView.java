package dev.vmigrate.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Renders a request as people follow it: one bar for the whole plan, then a line per VM that is
 * moving or waiting for an operator.
 */
public final class RequestView {
  /** Per-VM states after which nothing more happens to the VM in this request. */
  public static final Set<String> FINAL_TASK_STATES =
      Set.of("completed", "failed", "rolled_back", "skipped");

  private static final int BAR = 30;

  private RequestView() {}

  /** Whether the request has ended: every VM is in a final state. */
  public static boolean finished(JsonNode request) {
    JsonNode tasks = request.path("tasks");
    if (tasks.isEmpty()) {
      return isFinal(request.path("request_state").asText());
    }
    for (JsonNode t : tasks) {
      if (!FINAL_TASK_STATES.contains(t.path("state").asText())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether nothing in the request can progress without an operator: every VM is finished or held,
   * and at least one is held.
   */
  public static boolean held(JsonNode request) {
    boolean any = false;
    for (JsonNode t : request.path("tasks")) {
      if (isHeld(t)) {
        any = true;
      } else if (!FINAL_TASK_STATES.contains(t.path("state").asText())) {
        return false;
      }
    }
    return any;
  }

  /** Whether this VM waits for an operator: its migration says why. */
  public static boolean isHeld(JsonNode task) {
    return task.path("state").asText().equals("started") && task.path("live").hasNonNull("held");
  }

  /** The held VMs, each with why and the commands that let it go on or undo it. */
  public static void heldVms(JsonNode request, PrintWriter out) {
    out.println("Waiting for an operator:");
    for (JsonNode t : request.path("tasks")) {
      if (isHeld(t)) {
        out.printf(
            "  %s (%s): %s%n",
            t.path("name").asText(), t.path("vmId").asText(), t.path("live").path("held").asText());
        for (JsonNode c : t.path("live").path("nextCommands")) {
          out.println("    " + c.asText());
        }
      }
    }
  }

  private static boolean isFinal(String requestState) {
    return Set.of("finished", "completed", "failed", "denied").contains(requestState);
  }

  /** Whole-plan progress: the mean of the VMs' progress, skipped VMs left out. */
  public static int percent(JsonNode request) {
    int sum = 0;
    int n = 0;
    for (JsonNode t : request.path("tasks")) {
      String state = t.path("state").asText();
      if (state.equals("skipped") || state.equals("planned")) {
        continue;
      }
      n++;
      sum +=
          FINAL_TASK_STATES.contains(state) ? 100 : t.path("progress").path("vm_migrate").asInt();
    }
    return n == 0 ? 0 : sum / n;
  }

  /** The lines of one frame. */
  public static List<String> lines(JsonNode request) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "Request %s  plan %s  %s/%s",
            request.path("id").asText(),
            request.path("planName").asText(),
            request.path("approval_state").asText("-"),
            request.path("request_state").asText("-")));
    lines.add("  plan " + ProgressBar.render(percent(request), BAR) + "  " + counts(request));
    for (JsonNode t : request.path("tasks")) {
      String state = t.path("state").asText();
      if (!state.equals("started")) {
        continue;
      }
      if (t.has("liveUnavailable")) {
        lines.add(
            String.format(
                    "  %-24s %s",
                    truncate(t.path("name").asText(), 24),
                    unavailable(t)
                        + " (last recorded "
                        + t.path("progress").path("vm_migrate").asInt()
                        + "%)")
                .stripTrailing());
        continue;
      }
      String live = t.path("migrationState").asText(state);
      String line =
          String.format(
              "  %-24s %s  %-14s",
              truncate(t.path("name").asText(), 24),
              ProgressBar.render(t.path("progress").path("vm_migrate").asInt(), 20),
              live);
      String note = LiveDetails.note(t);
      String msg = t.path("message").asText("");
      if (!note.isEmpty()) {
        line += " " + truncate(note, 80);
      } else if (!msg.isEmpty() && !live.equals("RUNNING")) {
        line += " " + truncate(msg, 60);
      }
      lines.add(line.stripTrailing());
    }
    return lines;
  }

  /** "live state unavailable since T: reason" for a started VM whose live state was not read. */
  public static String unavailable(JsonNode task) {
    JsonNode u = task.path("liveUnavailable");
    String since = u.path("since").asText("");
    return "live state unavailable"
        + (since.isEmpty() ? "" : " since " + since)
        + ": "
        + u.path("reason").asText("unknown");
  }

  /** The first started VM's unavailable live state, or null when every one was read. */
  public static String firstUnavailable(JsonNode request) {
    for (JsonNode t : request.path("tasks")) {
      if (t.has("liveUnavailable")) {
        return t.path("name").asText() + ": " + unavailable(t);
      }
    }
    return null;
  }

  /** "3 completed, 1 failed, ..." from the per-VM states. */
  public static String counts(JsonNode request) {
    StringBuilder sb = new StringBuilder();
    for (String s :
        List.of(
            "planned", "approved", "started", "completed", "failed", "rolled_back", "skipped")) {
      long c = 0;
      for (JsonNode t : request.path("tasks")) {
        if (t.path("state").asText().equals(s)) {
          c++;
        }
      }
      if (c > 0) {
        sb.append(sb.length() == 0 ? "" : ", ").append(c).append(' ').append(s);
      }
    }
    return sb.toString();
  }

  /** The per-VM table printed when a request ends. */
  public static void summary(JsonNode request, PrintWriter out) {
    Table t = new Table("VM", "STATE", "LIFECYCLE", "PROGRESS", "MIGRATION", "MESSAGE");
    for (JsonNode task : request.path("tasks")) {
      t.row(
          task.path("name").asText(),
          task.path("state").asText(),
          task.path("migrationState").asText(null),
          task.path("progress").path("vm_migrate").asInt() + "%",
          task.path("migrationId").asText(null),
          truncate(message(task), 60));
    }
    t.print(out);
  }

  /** Why a VM is held or retried, else the ledger's message, else the policy's reason. */
  private static String message(JsonNode task) {
    String note = LiveDetails.note(task);
    return note.isEmpty() ? task.path("message").asText(task.path("reason").asText("")) : note;
  }

  static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "~";
  }
}

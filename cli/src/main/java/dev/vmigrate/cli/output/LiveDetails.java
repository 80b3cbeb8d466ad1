package dev.vmigrate.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Temporal UI's current details say of a started VM, from its task's {@code live} part:
 * the current action with its attempt and last failure while Temporal retries it, the last error,
 * precheck findings, why it is held and the commands to run next.
 */
public final class LiveDetails {
  private LiveDetails() {}

  /** Label and value lines of one task's live details; empty when the API could not read them. */
  public static List<String[]> lines(JsonNode task) {
    JsonNode live = task.path("live");
    List<String[]> out = new ArrayList<>();
    if (live.isMissingNode()) {
      return out;
    }
    JsonNode p = live.path("pendingAction");
    String action = live.path("currentAction").asText(p.path("action").asText(""));
    if (!p.isMissingNode()) {
      add(out, "action", p.path("action").asText(action) + ", " + attempt(p));
      add(out, "failing", p.path("lastFailure").asText(""));
      add(out, "next try", p.path("nextAttemptAt").asText(""));
      add(out, "heartbeat", p.path("lastHeartbeat").asText(""));
    } else {
      add(out, "action", action);
    }
    add(out, "last error", live.path("lastError").asText(""));
    for (JsonNode f : live.path("findings")) {
      add(
          out,
          "finding",
          f.path("severity").asText()
              + " "
              + f.path("code").asText()
              + ": "
              + f.path("message").asText());
    }
    add(out, "host", live.path("destination").asText(""));
    add(out, "why", live.path("placement").asText(""));
    add(out, "held", live.path("held").asText(""));
    for (JsonNode c : live.path("nextCommands")) {
      add(out, "next", c.asText());
    }
    return out;
  }

  /**
   * "attempt 3": Temporal's own limit is left out, since the worker may give up sooner on a fault
   * that vCenter repeats (the JSON answer has it as maximumAttempts).
   */
  public static String attempt(JsonNode pending) {
    return "attempt " + pending.path("attempt").asInt(1);
  }

  /**
   * A short note for a VM's line in a request's frame: why it is held, or the attempt and failure
   * of a retried action; empty when neither.
   */
  public static String note(JsonNode task) {
    JsonNode live = task.path("live");
    if (live.hasNonNull("held")) {
      return live.path("held").asText();
    }
    JsonNode p = live.path("pendingAction");
    if (p.path("attempt").asInt(1) > 1 || p.hasNonNull("lastFailure")) {
      return p.path("action").asText()
          + " "
          + attempt(p)
          + ": "
          + p.path("lastFailure").asText("retrying");
    }
    return "";
  }

  private static void add(List<String[]> out, String label, String value) {
    if (value != null && !value.isBlank()) {
      out.add(new String[] {label, value});
    }
  }
}

package dev.vmigrate.model;

/**
 * What an action did, in one line for the history and the status: e.g. "relocated web01 to esx-02
 * (task-81)". {@code changed} is false when the action found its work already done, which is how a
 * retried or replayed action says it was idempotent.
 */
public record ActionOutcome(String summary, boolean changed) {

  public static ActionOutcome done(String summary) {
    return new ActionOutcome(summary, true);
  }

  public static ActionOutcome alreadyDone(String summary) {
    return new ActionOutcome(summary, false);
  }
}

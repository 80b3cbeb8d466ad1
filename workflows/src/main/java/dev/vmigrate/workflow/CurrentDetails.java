package dev.vmigrate.workflow;

import dev.vmigrate.model.ActionAttempt;
import dev.vmigrate.model.Destination;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.Placement;
import dev.vmigrate.model.TemporalEndpoint;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VirtualNic;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Markdown that the Temporal web UI shows as a migration's current details: where it is, in
 * which direction it is going (forward, or undoing what it did), what went wrong, and the exact
 * commands an operator can type next. Only what the UI's Markdown renders: headings, bold, lists
 * and code spans (no tables).
 */
final class CurrentDetails {
  private CurrentDetails() {}

  /**
   * What the details are rendered from, all of it workflow state.
   *
   * @param ctx the migration's context
   * @param state the lifecycle state
   * @param rollingBack whether the migration is undoing (a FAILED_WAITING while rolling back is
   *     still the rollback's)
   * @param current the forward action running or held, or, while rolling back, the action whose
   *     compensation runs; null when none
   * @param currentStep the activity running or held (a compensation's name while rolling back)
   * @param percent forward progress, 0 to 100
   * @param lastError the last error, or null
   * @param done forward actions completed, in order
   * @param queued forward actions still queued, in order
   * @param undone compensations run, in order
   * @param toUndo actions whose compensations are still to run, next first
   * @param retry the last failed attempt of the running activity that Temporal retries, or null
   * @param ignored signals that did not apply, most recent last
   * @param next the operator actions that apply now, in the order they are offered
   */
  record View(
      MigrationContext ctx,
      MigrationState state,
      boolean rollingBack,
      MigrationAction current,
      String currentStep,
      int percent,
      String lastError,
      List<MigrationAction> done,
      List<MigrationAction> queued,
      List<String> undone,
      List<MigrationAction> toUndo,
      ActionAttempt retry,
      List<String> ignored,
      List<String> next) {}

  /** Forward-direction details with the state's usual operator actions; for callers and tests. */
  static String markdown(
      MigrationContext ctx,
      MigrationState state,
      String currentStep,
      int percent,
      String lastError,
      List<MigrationAction> done,
      List<MigrationAction> queued) {
    return markdown(
        new View(
            ctx,
            state,
            state == MigrationState.ROLLING_BACK || state == MigrationState.ROLLED_BACK,
            null,
            currentStep,
            percent,
            lastError,
            done,
            queued,
            List.of(),
            List.of(),
            null,
            List.of(),
            state.nextSignals()));
  }

  static String markdown(View v) {
    MigrationContext ctx = v.ctx();
    String vm = ctx.vm() != null ? ctx.vm().name() : ctx.request().vm();
    StringBuilder md = new StringBuilder();
    md.append("### ").append(vm).append(" · ").append(v.state());
    if (v.state() == MigrationState.ROLLED_BACK) {
      md.append(" · rollback complete\n\n");
    } else if (v.rollingBack()) {
      int total = v.undone().size() + v.toUndo().size();
      md.append(" · rolling back, ")
          .append(v.undone().size())
          .append(" of ")
          .append(total)
          .append(" undone\n\n");
    } else {
      md.append(" · ").append(v.percent()).append("%\n\n");
    }
    if (v.currentStep() != null && v.state() != MigrationState.ROLLED_BACK) {
      if (v.rollingBack() && v.current() != null && v.current().hasCompensation()) {
        md.append("**Undoing:** ")
            .append(v.currentStep())
            .append(" (undoes ")
            .append(v.current().activityName())
            .append(")\n\n");
      } else {
        md.append("**Current action:** ").append(v.currentStep()).append("\n\n");
      }
    }
    ActionAttempt retry = v.retry();
    if (retry != null) {
      md.append("**Retrying:** ")
          .append(retry.activity())
          .append(" attempt ")
          .append(retry.attempt())
          .append(retry.maximumAttempts() > 0 ? " of " + retry.maximumAttempts() : "")
          .append(" failed: ")
          .append(retry.failure())
          .append("; Temporal runs attempt ")
          .append(retry.attempt() + 1)
          .append(" after its backoff (the Pending Activities tab shows it live)\n\n");
    }
    if (v.rollingBack()) {
      appendRollback(md, v);
    } else {
      appendForward(md, v);
    }
    if (v.lastError() != null) {
      md.append(v.rollingBack() ? "**Cause:** " : "**Last error:** ")
          .append(v.lastError())
          .append("\n\n");
    }
    if (!v.ignored().isEmpty()) {
      md.append("**Ignored:**\n\n");
      v.ignored().forEach(i -> md.append("- ").append(i).append('\n'));
      md.append('\n');
    }
    appendCommands(md, v, vm);
    return md.toString();
  }

  private static void appendForward(StringBuilder md, View v) {
    Destination d = v.ctx().destination();
    if (d != null && d.host() != null) {
      md.append("**Destination:** ").append(d.hostLabel());
      if (d.choice() != null) {
        md.append(": ").append(d.choice().describe());
      }
      md.append("\n\n");
    }
    if (!v.done().isEmpty()) {
      md.append("**Done:** ").append(names(v.done())).append("\n\n");
    }
    if (!v.queued().isEmpty()) {
      md.append("**Queued:** ").append(names(v.queued())).append("\n\n");
    }
  }

  private static void appendRollback(StringBuilder md, View v) {
    Destination d = v.ctx().destination();
    if (d != null && d.host() != null) {
      md.append("**Abandoned destination:** ").append(d.hostLabel()).append("\n\n");
    }
    if (!v.undone().isEmpty()) {
      md.append("**Undone, in order:** ").append(String.join(", ", v.undone())).append("\n\n");
    }
    if (!v.toUndo().isEmpty()) {
      md.append("**Still to undo:** ")
          .append(
              v.toUndo().stream()
                  .map(MigrationAction::compensationName)
                  .collect(Collectors.joining(", ")))
          .append("\n\n");
    }
    if (v.state() != MigrationState.ROLLED_BACK) {
      return;
    }
    if (v.undone().isEmpty()) {
      md.append("**Nothing to undo:** no action that changes anything had run.\n\n");
    }
    Placement origin = v.ctx().origin();
    if (origin == null) {
      md.append("**Where the VM is:** where it was; the migration stopped before reading it.\n\n");
    } else {
      md.append("**Back at its origin** (as InvokePrechecks recorded it):\n\n")
          .append("- host ")
          .append(origin.host())
          .append(origin.cluster() == null ? "" : " in cluster " + origin.cluster())
          .append('\n')
          .append("- datastores ")
          .append(datastores(origin))
          .append('\n');
      if (!origin.nics().isEmpty()) {
        md.append("- networks ")
            .append(
                origin.nics().stream().map(VirtualNic::network).collect(Collectors.joining(", ")))
            .append('\n');
      }
      md.append('\n');
    }
  }

  private static String datastores(Placement origin) {
    Set<String> ds = new LinkedHashSet<>();
    if (origin.vmxDatastore() != null) {
      ds.add(origin.vmxDatastore());
    }
    origin.disks().stream().map(VirtualDisk::datastore).forEach(ds::add);
    return String.join(", ", ds);
  }

  private static void appendCommands(StringBuilder md, View v, String vm) {
    if (v.next().isEmpty()) {
      return;
    }
    TemporalEndpoint endpoint = v.ctx().request().temporal();
    String flags = endpoint == null ? "" : endpoint.cliFlags();
    md.append("**What you can do next:**\n\n");
    String requestId = v.ctx().request().requestId();
    for (String signal : v.next()) {
      md.append("- ").append(signal).append(": ");
      if (requestId != null) {
        // The CLI addresses a VM within its request.
        md.append("`vmigrate vm ")
            .append(signal)
            .append(' ')
            .append(requestId)
            .append(' ')
            .append(vm)
            .append("` or ");
      }
      md.append("`temporal workflow signal")
          .append(flags)
          .append(" --workflow-id ")
          .append(v.ctx().migrationId())
          .append(" --name ")
          .append(signal)
          .append("`\n");
    }
  }

  private static String names(List<MigrationAction> actions) {
    return actions.stream().map(MigrationAction::activityName).collect(Collectors.joining(", "));
  }
}

package dev.vmigrate.workflow;

import dev.vmigrate.model.Destination;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationState;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Markdown that the Temporal web UI shows as a migration's current details: where it is, what
 * went wrong, and the exact commands an operator can type next.
 */
final class CurrentDetails {
  private CurrentDetails() {}

  static String markdown(
      MigrationContext ctx,
      MigrationState state,
      String currentStep,
      int percent,
      String lastError,
      List<MigrationAction> done,
      List<MigrationAction> queued) {
    String id = ctx.migrationId();
    String vm = ctx.vm() != null ? ctx.vm().name() : ctx.request().vm();
    StringBuilder md = new StringBuilder();
    md.append("### ").append(vm).append(" · ").append(state).append(" · ").append(percent);
    md.append("%\n\n");
    if (currentStep != null) {
      md.append("**Current action:** ").append(currentStep).append("\n\n");
    }
    Destination d = ctx.destination();
    if (d != null && d.host() != null) {
      md.append("**Destination:** ").append(d.hostLabel());
      if (d.choice() != null) {
        md.append(": ").append(d.choice().describe());
      }
      md.append("\n\n");
    }
    if (!done.isEmpty()) {
      md.append("**Done:** ").append(names(done)).append("\n\n");
    }
    if (!queued.isEmpty()) {
      md.append("**Queued:** ").append(names(queued)).append("\n\n");
    }
    if (lastError != null) {
      md.append("**Last error:** ").append(lastError).append("\n\n");
    }
    List<String> next = state.nextSignals();
    if (!next.isEmpty()) {
      md.append("**What you can do next:**\n\n");
      String requestId = ctx.request().requestId();
      for (String signal : next) {
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
        md.append("`temporal workflow signal --workflow-id ")
            .append(id)
            .append(" --name ")
            .append(signal)
            .append("`\n");
      }
    }
    return md.toString();
  }

  private static String names(List<MigrationAction> actions) {
    return actions.stream().map(MigrationAction::activityName).collect(Collectors.joining(", "));
  }
}

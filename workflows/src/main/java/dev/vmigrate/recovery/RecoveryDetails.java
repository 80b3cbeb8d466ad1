package dev.vmigrate.recovery;

import java.util.List;

/** The Markdown the Temporal web UI shows as a recovery's current details. */
final class RecoveryDetails {
  private RecoveryDetails() {}

  static String markdown(
      VmRecovery r,
      String state,
      String current,
      List<String> done,
      List<String> queued,
      String lastError) {
    StringBuilder md = new StringBuilder();
    md.append("### ")
        .append(r.vmName() == null ? r.migrationId() : r.vmName())
        .append(" · recovery · ")
        .append(state)
        .append("\n\n");
    md.append("**vCenter:** ").append(r.vcenter()).append("\n\n");
    md.append("**Found:** ").append(r.finding()).append("\n\n");
    md.append("**Doing:** ")
        .append(r.action().description())
        .append(" (lost migration ")
        .append(r.migrationId())
        .append(")\n\n");
    if (current != null) {
      md.append("**Current step:** ").append(current).append("\n\n");
    }
    if (!done.isEmpty()) {
      md.append("**Done:**\n\n");
      done.forEach(d -> md.append("- ").append(d).append('\n'));
      md.append('\n');
    }
    if (!queued.isEmpty()) {
      md.append("**Queued:** ").append(String.join(", ", queued)).append("\n\n");
    }
    if (lastError != null) {
      md.append("**Last error:** ")
          .append(lastError)
          .append("\n\n**What you can do next:** fix the cause, then `vmigrate recover ")
          .append(r.vcenter())
          .append(" --apply --vm ")
          .append(r.vmName())
          .append("` starts this recovery again.\n");
    }
    return md.toString();
  }
}

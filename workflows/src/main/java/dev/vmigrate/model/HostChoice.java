package dev.vmigrate.model;

import java.util.List;
import java.util.Locale;

/**
 * Why SelectDestination chose its host: the chosen host's score and its parts, and every host of
 * the cluster that was filtered out with the reason. The score is the sum of the parts; the highest
 * score wins, ties go to the lowest host id.
 *
 * @param requestId the request (plan order) the choice was made for, or null
 * @param hostName the chosen host's name
 * @param score the chosen host's score
 * @param parts the score's parts by name (memory, cpu, plan, inFlight), in that order
 * @param placedByRequest VMs of this request already placed on the chosen host (not this VM)
 * @param inFlight other migrations headed for the chosen host
 * @param candidates hosts that passed the filter
 * @param rejected hosts filtered out, as "name: reason"
 * @param stayed whether the VM stays on its current host (a candidate itself), scores aside
 */
public record HostChoice(
    String requestId,
    String hostName,
    double score,
    List<ScorePart> parts,
    int placedByRequest,
    int inFlight,
    int candidates,
    List<String> rejected,
    boolean stayed) {

  public HostChoice {
    parts = parts == null ? List.of() : List.copyOf(parts);
    rejected = rejected == null ? List.of() : List.copyOf(rejected);
  }

  /**
   * Why this host, in one line for an operator: the score and its parts, how many VMs of the same
   * request and migrations in flight it already has, and which hosts were filtered out and why.
   */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    if (stayed) {
      sb.append("stays on its current host; ");
    }
    sb.append(String.format(Locale.ROOT, "score %.1f", score));
    if (!parts.isEmpty()) {
      sb.append(" (");
      for (int i = 0; i < parts.size(); i++) {
        ScorePart p = parts.get(i);
        sb.append(i == 0 ? "" : ", ")
            .append(p.name())
            .append(String.format(Locale.ROOT, " %+.1f", p.points() + 0.0)); // no "-0.0"
      }
      sb.append(')');
    }
    sb.append("; ")
        .append(placedByRequest)
        .append(placedByRequest == 1 ? " VM" : " VMs")
        .append(" of this request and ")
        .append(inFlight)
        .append(inFlight == 1 ? " migration" : " migrations")
        .append(" in flight there; ")
        .append(candidates)
        .append(candidates == 1 ? " host" : " hosts")
        .append(" passed the filter");
    if (!rejected.isEmpty()) {
      sb.append(", filtered out: ").append(String.join("; ", rejected));
    }
    return sb.toString();
  }

  /**
   * One part of a host's score.
   *
   * @param name what it weighs: "memory", "cpu", "plan" or "inFlight"
   * @param value the measure (free fraction after placing the VM, or a count)
   * @param points what it adds to the score (negative for counts)
   */
  public record ScorePart(String name, double value, double points) {}
}

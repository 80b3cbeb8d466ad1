package dev.vmigrate.vsphere.recovery;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.model.Placement;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.recovery.RecoveryAction;
import dev.vmigrate.recovery.RecoveryIds;
import dev.vmigrate.recovery.VmRecovery;
import dev.vmigrate.recovery.VmRecovery.Reservation;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.MigrationMarks;
import dev.vmigrate.vsphere.MigrationMarks.MarkedDatastore;
import dev.vmigrate.vsphere.MigrationMarks.MarkedVm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Matches the marks vmigrate left in one vCenter ({@link MigrationMarks}) against the migrations
 * that still run (Temporal) and the outcomes the ledger recorded, and lists the leftovers with what
 * to do about each. vCenter is the source of truth: with no live migration and no ledger at all, a
 * VM is judged from its own marks. Pure: every fact comes in as an argument.
 *
 * <p>Rules, for a VM with marks and no running migration of its marks:
 *
 * <ul>
 *   <li>the result (vmigrate.result, else the ledger) names the lost migration as migrated: marks
 *       left on a finished VM, clear them; as rolled back: clear them, or roll back if the VM is
 *       away from its origin after all;
 *   <li>no result, and the VM away from its recorded origin (host, resource pool or .vmx datastore
 *       differ) or powered off though it ran there: roll back to the origin;
 *   <li>no result, the VM at its origin: clear the lock, destination and reservations;
 *   <li>an origin in another vCenter: nothing proposed (recover moves VMs within one vCenter),
 *       unless the operator finalises it.
 * </ul>
 *
 * A VM the operator names in {@code finalise} is accepted where it is instead of rolled back.
 */
public final class LeftoverClassifier {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private LeftoverClassifier() {}

  /**
   * Every workflow id whose state the classification needs: the migrations the marks name (lock,
   * result, placement, reservations) and the recovery of each marked VM.
   */
  public static Set<String> workflowIds(MigrationMarks marks) {
    Set<String> ids = new LinkedHashSet<>();
    for (MarkedVm vm : marks.vms()) {
      ids.addAll(migrationIds(vm));
      if (vm.instanceUuid() != null) {
        ids.add(RecoveryIds.forVm(marks.vcenterId(), vm.instanceUuid()));
      }
    }
    for (MarkedDatastore ds : marks.datastores()) {
      for (String id : reservations(ds).keySet()) {
        ids.add(id);
        ids.add(RecoveryIds.forReservations(marks.vcenterId(), id));
      }
    }
    return ids;
  }

  /** The migration ids one VM's marks name, the lock first. */
  public static Set<String> migrationIds(MarkedVm vm) {
    Set<String> ids = new LinkedHashSet<>();
    if (vm.mark(MigrationAttributes.LOCK) != null) {
      ids.add(vm.mark(MigrationAttributes.LOCK));
    }
    String result = resultId(vm.mark(MigrationAttributes.RESULT));
    if (result != null) {
      ids.add(result);
    }
    String placed = field(vm.mark(MigrationAttributes.PLACEMENT), "migration");
    if (placed != null) {
      ids.add(placed);
    }
    return ids;
  }

  /**
   * The leftovers of a vCenter.
   *
   * @param marks what the scan read
   * @param running workflow ids Temporal reports as running (migrations and recoveries)
   * @param ledger outcome by migration id from the ledger ("completed", "rolled_back", "failed",
   *     "started", ...), empty when the database is empty or lost
   * @param finalise names of VMs the operator accepts where they are instead of rolling back
   */
  public static List<Leftover> classify(
      MigrationMarks marks, Set<String> running, Map<String, String> ledger, Set<String> finalise) {
    return classify(marks, running, ledger, finalise, Map.of());
  }

  /**
   * As {@link #classify(MigrationMarks, Set, Map, Set)}, naming hosts, resource pools and
   * datastores in the findings by {@code names} (managed object id to name) where it knows them.
   */
  public static List<Leftover> classify(
      MigrationMarks marks,
      Set<String> running,
      Map<String, String> ledger,
      Set<String> finalise,
      Map<String, String> names) {
    String vc = marks.vcenterId();
    // Reservations by migration id, each with its datastores.
    Map<String, List<Reservation>> held = new LinkedHashMap<>();
    for (MarkedDatastore ds : marks.datastores()) {
      reservations(ds)
          .forEach(
              (id, bytes) ->
                  held.computeIfAbsent(id, k -> new ArrayList<>())
                      .add(new Reservation(ds.id(), id, bytes)));
    }
    Set<String> claimed = new LinkedHashSet<>();
    List<Leftover> out = new ArrayList<>();
    for (MarkedVm vm : marks.vms()) {
      List<Reservation> mine = new ArrayList<>();
      String uuid = vm.instanceUuid() == null ? null : vm.instanceUuid().toLowerCase(Locale.ROOT);
      String lock = vm.mark(MigrationAttributes.LOCK);
      held.forEach(
          (id, list) -> {
            if (id.equals(lock) || (uuid != null && id.toLowerCase(Locale.ROOT).contains(uuid))) {
              claimed.add(id);
              if (!running.contains(id)) {
                mine.addAll(list);
              }
            }
          });
      Leftover l = classifyVm(vc, vm, mine, running, ledger, finalise.contains(vm.name()), names);
      if (l != null) {
        out.add(l);
      }
    }
    held.forEach(
        (id, list) -> {
          if (claimed.contains(id) || running.contains(id)) {
            return;
          }
          VmRecovery r =
              new VmRecovery(
                  vc,
                  null,
                  null,
                  null,
                  id,
                  RecoveryAction.CLEAR_MARKS,
                  null,
                  list,
                  "reservations of lost migration " + id + ", whose VM is not in " + vc);
          out.add(
              new Leftover(
                  null,
                  null,
                  Leftover.Kind.STALE_RESERVATION,
                  List.of(
                      describe(list, names) + " held by " + id + " (not running; no marked VM)"),
                  RecoveryAction.CLEAR_MARKS,
                  null,
                  r,
                  running.contains(r.workflowId())));
        });
    return out;
  }

  private static Leftover classifyVm(
      String vc,
      MarkedVm vm,
      List<Reservation> reservations,
      Set<String> running,
      Map<String, String> ledger,
      boolean finalise,
      Map<String, String> names) {
    String lock = vm.mark(MigrationAttributes.LOCK);
    String destination = vm.mark(MigrationAttributes.DESTINATION);
    String result = vm.mark(MigrationAttributes.RESULT);
    if (lock != null && running.contains(lock)) {
      return null; // a live migration holds it: its marks are its own
    }
    Placement origin = origin(vm.mark(MigrationAttributes.ORIGIN));
    String subject =
        lock != null
            ? lock
            : !reservations.isEmpty()
                ? reservations.get(0).migrationId()
                : firstNonNull(
                    field(vm.mark(MigrationAttributes.PLACEMENT), "migration"), resultId(result));
    boolean inFlightMarks = lock != null || destination != null || !reservations.isEmpty();
    boolean sameVcenter = origin != null && vc.equals(origin.vcenter());
    boolean away = sameVcenter && !atOrigin(vm, origin);
    boolean powerDiffers =
        sameVcenter
            && origin.powerState() == PowerState.POWERED_ON
            && vm.powerState() != PowerState.POWERED_ON;
    String outcome = outcome(subject, result, ledger);
    if (!inFlightMarks && !(origin != null && outcome == null && away)) {
      return null; // origin, result and placement marks are kept after a migration by design
    }
    if (subject != null && running.contains(subject)) {
      return null;
    }

    List<String> found = new ArrayList<>();
    if (lock != null) {
      found.add(MigrationAttributes.LOCK + " = " + lock + " (no such migration running)");
    }
    if (destination != null) {
      found.add(
          MigrationAttributes.DESTINATION
              + " set (host "
              + name(field(destination, "host"), names)
              + ")");
    }
    if (!reservations.isEmpty()) {
      found.add(describe(reservations, names));
    }
    if (origin == null) {
      found.add("no " + MigrationAttributes.ORIGIN + " recorded (nothing was moved)");
    } else if (!sameVcenter) {
      found.add(MigrationAttributes.ORIGIN + " in another vCenter: " + origin.vcenter());
    } else if (away) {
      found.add(
          "away from its origin: on "
              + where(vm.host(), vm.resourcePool(), vm.vmxDatastore(), names)
              + "; origin "
              + where(origin.host(), origin.resourcePool(), origin.vmxDatastore(), names));
    } else {
      found.add("at its origin (host " + name(origin.host(), names) + ")");
    }
    if (powerDiffers) {
      found.add("powered off, but on at its origin");
    }
    found.add(
        outcome == null
            ? "no result recorded for " + subject
            : "result: " + outcome + (result != null ? " (" + result + ")" : " (ledger)"));

    Leftover.Kind kind;
    RecoveryAction action;
    String note = null;
    boolean migrated = outcome != null && outcome.startsWith("migrated");
    boolean rolledBack = outcome != null && outcome.startsWith("rolled-back");
    if (migrated) {
      kind = Leftover.Kind.MARKS_ON_FINISHED_VM;
      action = RecoveryAction.CLEAR_MARKS;
    } else if (rolledBack && !(away || powerDiffers)) {
      kind = Leftover.Kind.MARKS_ON_FINISHED_VM;
      action = RecoveryAction.CLEAR_MARKS;
    } else if (origin != null && !sameVcenter) {
      kind = lock != null ? Leftover.Kind.LOCKED_WITHOUT_MIGRATION : Leftover.Kind.AWAY_FROM_ORIGIN;
      action = null;
      note =
          "recover moves VMs within one vCenter: roll it back to "
              + origin.vcenter()
              + " by hand, or accept it here with --finalise "
              + vm.name();
    } else if (away || powerDiffers) {
      kind = Leftover.Kind.AWAY_FROM_ORIGIN;
      action = RecoveryAction.ROLLBACK;
    } else if (lock != null) {
      kind = Leftover.Kind.LOCKED_WITHOUT_MIGRATION;
      action = RecoveryAction.CLEAR_MARKS;
    } else {
      kind = Leftover.Kind.STALE_RESERVATION;
      action = RecoveryAction.CLEAR_MARKS;
    }
    if (finalise && (action == RecoveryAction.ROLLBACK || action == null)) {
      action = RecoveryAction.FINALISE;
      note = "finalised as asked: accepted where it is";
    }
    if (subject == null) {
      subject = "unknown";
    }
    VmRecovery recovery =
        action == null || vm.instanceUuid() == null
            ? null
            : new VmRecovery(
                vc,
                vm.id(),
                vm.name(),
                vm.instanceUuid(),
                subject,
                action,
                action == RecoveryAction.ROLLBACK ? origin : null,
                reservations,
                kind.description() + ": " + String.join("; ", found));
    return new Leftover(
        vm.id(),
        vm.name(),
        kind,
        found,
        action,
        note,
        recovery,
        recovery != null && running.contains(recovery.workflowId()));
  }

  /** "migrated" or "rolled-back" from the VM's result naming the migration, else the ledger's. */
  private static String outcome(String subject, String result, Map<String, String> ledger) {
    if (subject != null && result != null && subject.equals(resultId(result))) {
      return result.startsWith("migrated ") ? "migrated" : "rolled-back";
    }
    String row = subject == null ? null : ledger.get(subject);
    if (row == null) {
      return null;
    }
    return switch (row.toLowerCase(Locale.ROOT)) {
      case "completed" -> "migrated (ledger: completed)";
      case "rolled_back" -> "rolled-back (ledger: rolled_back)";
      default -> null;
    };
  }

  private static boolean atOrigin(MarkedVm vm, Placement o) {
    return Objects.equals(vm.host(), o.host())
        && Objects.equals(vm.resourcePool(), o.resourcePool())
        && Objects.equals(vm.vmxDatastore(), o.vmxDatastore());
  }

  private static String where(String host, String pool, String ds, Map<String, String> names) {
    return "host "
        + name(host, names)
        + ", pool "
        + name(pool, names)
        + ", datastore "
        + name(ds, names);
  }

  private static String name(String id, Map<String, String> names) {
    String n = id == null ? null : names.get(id);
    return n == null ? String.valueOf(id) : n + " (" + id + ")";
  }

  private static String describe(List<Reservation> list, Map<String, String> names) {
    List<String> parts = new ArrayList<>();
    for (Reservation r : list) {
      parts.add(r.bytes() + " bytes on " + name(r.datastore(), names));
    }
    return "reservation " + String.join(", ", parts);
  }

  /** The migration id of "migrated ID TIME" or "rolled-back ID TIME". */
  static String resultId(String result) {
    if (result == null) {
      return null;
    }
    String[] parts = result.trim().split("\\s+");
    return parts.length >= 2 && (parts[0].equals("migrated") || parts[0].equals("rolled-back"))
        ? parts[1]
        : null;
  }

  static Placement origin(String json) {
    if (json == null) {
      return null;
    }
    try {
      return JSON.readValue(json, Placement.class);
    } catch (Exception e) {
      return null; // an unreadable origin counts as none: nothing is moved on its word
    }
  }

  private static Map<String, Long> reservations(MarkedDatastore ds) {
    String text = ds.mark(MigrationAttributes.RESERVATIONS);
    if (text == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(text, new TypeReference<LinkedHashMap<String, Long>>() {});
    } catch (Exception e) {
      return Map.of();
    }
  }

  private static String field(String json, String name) {
    if (json == null) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(json).get(name);
      return n == null || n.isNull() ? null : n.asText();
    } catch (Exception e) {
      return null;
    }
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }
}

package dev.vmigrate.vsphere.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.model.Placement;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.recovery.RecoveryAction;
import dev.vmigrate.recovery.VmRecovery;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.MigrationMarks;
import dev.vmigrate.vsphere.MigrationMarks.MarkedDatastore;
import dev.vmigrate.vsphere.MigrationMarks.MarkedVm;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The classifier's rules on marks as vmigrate writes them, with no Temporal and no ledger. */
class LeftoverClassifierTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VC = "vc1";
  private static final String UUID = "5001aaaa-0000-0000-0000-000000000001";
  private static final String MIGRATION = "migrate-vc1-" + UUID;
  private static final Placement ORIGIN =
      new Placement(
          VC,
          "host-1",
          "domain-c1",
          "resgroup-1",
          "group-v1",
          "[ds-a] web/web.vmx",
          "datastore-1",
          List.of(),
          List.of(),
          PowerState.POWERED_ON);

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** web01 on host/pool/datastore with these marks. */
  private static MarkedVm vm(
      String host, String pool, String ds, PowerState power, Map<String, String> marks) {
    return new MarkedVm("vm-1", "web01", UUID, power, host, pool, ds, marks);
  }

  private static Map<String, String> marks(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static List<Leftover> classify(MigrationMarks m, Set<String> running) {
    return LeftoverClassifier.classify(m, running, Map.of(), Set.of());
  }

  private static MarkedDatastore reservation(String id, String migration, long bytes) {
    return new MarkedDatastore(
        id, "ds", Map.of(MigrationAttributes.RESERVATIONS, json(Map.of(migration, bytes))));
  }

  @Test
  void lockedAndMovedWithNoResultIsRolledBackToTheOrigin() {
    MarkedVm vm =
        vm(
            "host-2",
            "resgroup-2",
            "datastore-1",
            PowerState.POWERED_ON,
            marks(
                MigrationAttributes.LOCK,
                MIGRATION,
                MigrationAttributes.ORIGIN,
                json(ORIGIN),
                MigrationAttributes.DESTINATION,
                "{\"host\":\"host-2\"}"));
    MigrationMarks m =
        new MigrationMarks(VC, List.of(vm), List.of(reservation("datastore-2", MIGRATION, 42)));

    List<Leftover> out = classify(m, Set.of());

    assertEquals(1, out.size());
    Leftover l = out.get(0);
    assertEquals(Leftover.Kind.AWAY_FROM_ORIGIN, l.kind());
    assertEquals(RecoveryAction.ROLLBACK, l.action());
    VmRecovery r = l.recovery();
    assertEquals(MIGRATION, r.migrationId());
    assertEquals(ORIGIN, r.origin());
    assertEquals(
        List.of(new VmRecovery.Reservation("datastore-2", MIGRATION, 42)), r.reservations());
    assertEquals("recover-vc1-" + UUID, l.workflowId());
    assertFalse(l.recoveryRunning());
  }

  @Test
  void aLiveMigrationsMarksAreNotLeftovers() {
    MarkedVm vm =
        vm(
            "host-2",
            "resgroup-2",
            "datastore-1",
            PowerState.POWERED_ON,
            marks(MigrationAttributes.LOCK, MIGRATION, MigrationAttributes.ORIGIN, json(ORIGIN)));
    MigrationMarks m =
        new MigrationMarks(VC, List.of(vm), List.of(reservation("datastore-2", MIGRATION, 42)));
    assertEquals(List.of(), classify(m, Set.of(MIGRATION)));
    assertTrue(LeftoverClassifier.workflowIds(m).contains(MIGRATION));
    assertTrue(LeftoverClassifier.workflowIds(m).contains("recover-vc1-" + UUID));
  }

  @Test
  void lockedAtTheOriginOnlyHasItsMarksCleared() {
    MarkedVm vm =
        vm(
            "host-1",
            "resgroup-1",
            "datastore-1",
            PowerState.POWERED_ON,
            marks(MigrationAttributes.LOCK, MIGRATION, MigrationAttributes.ORIGIN, json(ORIGIN)));
    Leftover l = classify(new MigrationMarks(VC, List.of(vm), List.of()), Set.of()).get(0);
    assertEquals(Leftover.Kind.LOCKED_WITHOUT_MIGRATION, l.kind());
    assertEquals(RecoveryAction.CLEAR_MARKS, l.action());
    assertNull(l.recovery().origin(), "nothing to move back");
  }

  @Test
  void poweredOffAtTheOriginThoughOnThereIsRolledBackToPowerItOn() {
    MarkedVm vm =
        vm(
            "host-1",
            "resgroup-1",
            "datastore-1",
            PowerState.POWERED_OFF,
            marks(MigrationAttributes.LOCK, MIGRATION, MigrationAttributes.ORIGIN, json(ORIGIN)));
    Leftover l = classify(new MigrationMarks(VC, List.of(vm), List.of()), Set.of()).get(0);
    assertEquals(RecoveryAction.ROLLBACK, l.action());
    assertTrue(l.found().contains("powered off, but on at its origin"), l.found().toString());
  }

  @Test
  void lockedWithoutOriginHasNothingToMove() {
    MarkedVm vm =
        vm(
            "host-1",
            "resgroup-1",
            "datastore-1",
            PowerState.POWERED_ON,
            marks(MigrationAttributes.LOCK, MIGRATION));
    Leftover l = classify(new MigrationMarks(VC, List.of(vm), List.of()), Set.of()).get(0);
    assertEquals(Leftover.Kind.LOCKED_WITHOUT_MIGRATION, l.kind());
    assertEquals(RecoveryAction.CLEAR_MARKS, l.action());
  }

  @Test
  void aFinishedVmWithItsLockLeftHasTheMarksCleared() {
    MarkedVm vm =
        vm(
            "host-2",
            "resgroup-2",
            "datastore-1",
            PowerState.POWERED_ON,
            marks(
                MigrationAttributes.LOCK,
                MIGRATION,
                MigrationAttributes.ORIGIN,
                json(ORIGIN),
                MigrationAttributes.RESULT,
                "migrated " + MIGRATION + " 2026-11-27T10:00:00Z"));
    Leftover l = classify(new MigrationMarks(VC, List.of(vm), List.of()), Set.of()).get(0);
    assertEquals(Leftover.Kind.MARKS_ON_FINISHED_VM, l.kind());
    assertEquals(RecoveryAction.CLEAR_MARKS, l.action());
  }

  @Test
  void theLedgersOutcomeCountsWhenTheVmHasNoResult() {
    MarkedVm vm =
        vm(
            "host-2",
            "resgroup-2",
            "datastore-1",
            PowerState.POWERED_ON,
            marks(MigrationAttributes.LOCK, MIGRATION, MigrationAttributes.ORIGIN, json(ORIGIN)));
    MigrationMarks m = new MigrationMarks(VC, List.of(vm), List.of());
    Leftover l =
        LeftoverClassifier.classify(m, Set.of(), Map.of(MIGRATION, "completed"), Set.of()).get(0);
    assertEquals(Leftover.Kind.MARKS_ON_FINISHED_VM, l.kind());
    assertEquals(RecoveryAction.CLEAR_MARKS, l.action());
  }

  @Test
  void aMigratedVmWithOnlyItsKeptMarksIsNoLeftover() {
    MarkedVm vm =
        vm(
            "host-2",
            "resgroup-2",
            "datastore-1",
            PowerState.POWERED_ON,
            marks(
                MigrationAttributes.ORIGIN, json(ORIGIN),
                MigrationAttributes.PLACEMENT, "{\"migration\":\"" + MIGRATION + "\"}",
                MigrationAttributes.RESULT, "migrated " + MIGRATION + " 2026-11-27T10:00:00Z"));
    assertEquals(List.of(), classify(new MigrationMarks(VC, List.of(vm), List.of()), Set.of()));
  }

  @Test
  void awayFromTheOriginWithNoResultAndNoLockIsRolledBack() {
    MarkedVm vm =
        vm(
            "host-2",
            "resgroup-2",
            "datastore-1",
            PowerState.POWERED_ON,
            marks(
                MigrationAttributes.ORIGIN,
                json(ORIGIN),
                MigrationAttributes.PLACEMENT,
                "{\"migration\":\"" + MIGRATION + "\"}"));
    Leftover l = classify(new MigrationMarks(VC, List.of(vm), List.of()), Set.of()).get(0);
    assertEquals(Leftover.Kind.AWAY_FROM_ORIGIN, l.kind());
    assertEquals(RecoveryAction.ROLLBACK, l.action());
    assertEquals(MIGRATION, l.recovery().migrationId());
  }

  @Test
  void theOperatorCanFinaliseInsteadOfRollingBack() {
    MarkedVm vm =
        vm(
            "host-2",
            "resgroup-2",
            "datastore-1",
            PowerState.POWERED_ON,
            marks(MigrationAttributes.LOCK, MIGRATION, MigrationAttributes.ORIGIN, json(ORIGIN)));
    Leftover l =
        LeftoverClassifier.classify(
                new MigrationMarks(VC, List.of(vm), List.of()), Set.of(), Map.of(), Set.of("web01"))
            .get(0);
    assertEquals(RecoveryAction.FINALISE, l.action());
    assertNull(l.recovery().origin());
  }

  @Test
  void anOriginInAnotherVcenterIsLeftToTheOperator() {
    Placement elsewhere =
        new Placement(
            "vc0",
            "host-9",
            null,
            "resgroup-9",
            "group-v9",
            "[x] a.vmx",
            "datastore-9",
            null,
            null,
            PowerState.POWERED_ON);
    MarkedVm vm =
        vm(
            "host-2",
            "resgroup-2",
            "datastore-1",
            PowerState.POWERED_ON,
            marks(
                MigrationAttributes.LOCK, MIGRATION, MigrationAttributes.ORIGIN, json(elsewhere)));
    Leftover l = classify(new MigrationMarks(VC, List.of(vm), List.of()), Set.of()).get(0);
    assertNull(l.action());
    assertNull(l.recovery());
    assertTrue(l.note().contains("--finalise web01"), l.note());
  }

  @Test
  void aReservationWithoutItsVmIsReleasedOnItsOwn() {
    String lost = "migrate-vc1-5001bbbb-0000-0000-0000-000000000002";
    MigrationMarks m =
        new MigrationMarks(VC, List.of(), List.of(reservation("datastore-3", lost, 7)));
    Leftover l = classify(m, Set.of()).get(0);
    assertEquals(Leftover.Kind.STALE_RESERVATION, l.kind());
    assertEquals(RecoveryAction.CLEAR_MARKS, l.action());
    assertNull(l.vmId());
    assertEquals("recover-vc1-reservations-" + lost, l.workflowId());
    assertEquals(List.of(), classify(m, Set.of(lost)), "a running migration's reservation");
  }

  @Test
  void aRunningRecoveryIsShown() {
    MarkedVm vm =
        vm(
            "host-1",
            "resgroup-1",
            "datastore-1",
            PowerState.POWERED_ON,
            marks(MigrationAttributes.LOCK, MIGRATION));
    Leftover l =
        classify(new MigrationMarks(VC, List.of(vm), List.of()), Set.of("recover-vc1-" + UUID))
            .get(0);
    assertTrue(l.recoveryRunning());
  }
}

package dev.vmigrate.model;

import static dev.vmigrate.model.MigrationAction.COMPLETE_DESTINATION;
import static dev.vmigrate.model.MigrationAction.COMPLETE_SOURCE;
import static dev.vmigrate.model.MigrationAction.CREATE_DESTINATION_VM;
import static dev.vmigrate.model.MigrationAction.INITIATE_DESTINATION;
import static dev.vmigrate.model.MigrationAction.INITIATE_SOURCE;
import static dev.vmigrate.model.MigrationAction.POWER_OFF_SOURCE;
import static dev.vmigrate.model.MigrationAction.POWER_ON_DESTINATION;
import static dev.vmigrate.model.MigrationAction.PREPARE_DESTINATION;
import static dev.vmigrate.model.MigrationAction.PREPARE_SOURCE;
import static dev.vmigrate.model.MigrationAction.RECONFIGURE_VM;
import static dev.vmigrate.model.MigrationAction.REGISTER_DESTINATION_VM;
import static dev.vmigrate.model.MigrationAction.RELAYOUT_SNAPSHOT;
import static dev.vmigrate.model.MigrationAction.SWITCH_HOST_AND_POOL;
import static dev.vmigrate.model.MigrationAction.UNREGISTER_SOURCE_VM;
import static dev.vmigrate.model.MigrationMode.COLD;
import static dev.vmigrate.model.MigrationMode.HOT;
import static dev.vmigrate.model.PowerState.POWERED_OFF;
import static dev.vmigrate.model.PowerState.POWERED_ON;
import static dev.vmigrate.model.PowerState.SUSPENDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.MigrationItinerary.Facts;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The lists ComputeSpec appended before the itinerary became data, one per combination of facts.
 * Recorded histories replay only while these stay exactly as they are.
 */
class MigrationItineraryTest {

  private static List<MigrationAction> after(
      MigrationMode mode, boolean cross, PowerState power, boolean storage, boolean network) {
    return MigrationItinerary.after(new Facts(mode, cross, power, storage, network));
  }

  @Test
  void everyMigrationQueuesTheSamePrefixEndingWithComputeSpecThenCallbacks() {
    assertEquals(
        List.of(
            MigrationAction.INVOKE_PRECHECKS,
            MigrationAction.SELECT_DESTINATION,
            MigrationAction.CHECK_PERMISSION,
            MigrationAction.CHECK_COMPATIBILITY,
            MigrationAction.RESERVE_DIRECTORY,
            MigrationAction.CREATE_INVENTORY_VM,
            MigrationAction.COMPUTE_SPEC,
            MigrationAction.INVOKE_CALLBACKS),
        MigrationItinerary.PREFIX);
  }

  @Test
  void hotWithoutNetworkChangeIsTheRelocateBetweenPrepareAndComplete() {
    List<MigrationAction> hot =
        List.of(
            PREPARE_SOURCE,
            PREPARE_DESTINATION,
            INITIATE_DESTINATION,
            INITIATE_SOURCE,
            SWITCH_HOST_AND_POOL,
            COMPLETE_SOURCE,
            COMPLETE_DESTINATION);
    assertEquals(hot, after(HOT, false, POWERED_ON, true, false));
    assertEquals(hot, after(HOT, false, POWERED_ON, false, false), "compute-only vMotion");
  }

  @Test
  void hotWithNetworkChangeReconfiguresRightAfterTheRelocate() {
    assertEquals(
        List.of(
            PREPARE_SOURCE,
            PREPARE_DESTINATION,
            INITIATE_DESTINATION,
            INITIATE_SOURCE,
            RECONFIGURE_VM,
            SWITCH_HOST_AND_POOL,
            COMPLETE_SOURCE,
            COMPLETE_DESTINATION),
        after(HOT, false, POWERED_ON, true, true));
  }

  @Test
  void coldOfARunningVmPowersItOffThenRelocatesWithinOneVcenter() {
    List<MigrationAction> cold =
        List.of(
            PREPARE_SOURCE,
            POWER_OFF_SOURCE,
            CREATE_DESTINATION_VM,
            SWITCH_HOST_AND_POOL,
            RELAYOUT_SNAPSHOT,
            POWER_ON_DESTINATION,
            COMPLETE_DESTINATION);
    assertEquals(cold, after(COLD, false, POWERED_ON, true, false));
    // A storage change does not change the list: within one vCenter the relocate does both.
    assertEquals(cold, after(COLD, false, POWERED_ON, false, false));
    assertEquals(cold, after(COLD, false, SUSPENDED, true, false), "suspended is powered off too");
  }

  @Test
  void coldOfAPoweredOffVmSkipsThePowerOffAndReconfiguresAfterTheSwitch() {
    assertEquals(
        List.of(
            PREPARE_SOURCE,
            CREATE_DESTINATION_VM,
            SWITCH_HOST_AND_POOL,
            RECONFIGURE_VM,
            RELAYOUT_SNAPSHOT,
            POWER_ON_DESTINATION,
            COMPLETE_DESTINATION),
        after(COLD, false, POWERED_OFF, true, true));
    assertEquals(
        List.of(
            PREPARE_SOURCE,
            CREATE_DESTINATION_VM,
            SWITCH_HOST_AND_POOL,
            RELAYOUT_SNAPSHOT,
            POWER_ON_DESTINATION,
            COMPLETE_DESTINATION),
        after(COLD, false, POWERED_OFF, false, false));
  }

  @Test
  void acrossVcentersTheVmIsUnregisteredAndRegisteredInsteadOfRelocated() {
    assertEquals(
        List.of(
            PREPARE_SOURCE,
            POWER_OFF_SOURCE,
            UNREGISTER_SOURCE_VM,
            REGISTER_DESTINATION_VM,
            SWITCH_HOST_AND_POOL,
            RECONFIGURE_VM,
            RELAYOUT_SNAPSHOT,
            POWER_ON_DESTINATION,
            COMPLETE_DESTINATION),
        after(COLD, true, POWERED_ON, false, true));
    assertEquals(
        List.of(
            PREPARE_SOURCE,
            UNREGISTER_SOURCE_VM,
            REGISTER_DESTINATION_VM,
            SWITCH_HOST_AND_POOL,
            RELAYOUT_SNAPSHOT,
            POWER_ON_DESTINATION,
            COMPLETE_DESTINATION),
        after(COLD, true, POWERED_OFF, false, false));
  }

  @Test
  void reRegistrationCannotChangeStorage() {
    assertThrows(IllegalArgumentException.class, () -> after(COLD, true, POWERED_ON, true, false));
  }

  @Test
  void hotNeedsARunningVmAndAPlanThatDoesNotAskForColdAndAutoGoesColdAcrossVcenters() {
    // NETWORK has no hot or cold: its queue is NETWORK_ONLY from the start (below).
    for (MigrationType type : List.of(MigrationType.AUTO, MigrationType.HOT, MigrationType.COLD)) {
      for (PowerState power : PowerState.values()) {
        for (boolean cross : new boolean[] {false, true}) {
          boolean hot =
              power == POWERED_ON
                  && (type == MigrationType.HOT || (type == MigrationType.AUTO && !cross));
          assertEquals(
              hot ? HOT : COLD,
              MigrationItinerary.mode(type, power, cross),
              type + ", " + power + ", cross=" + cross);
        }
      }
    }
  }

  @Test
  void everyActionIsQueuedByTheItineraryForSomeFacts() {
    Set<MigrationAction> queued = EnumSet.copyOf(MigrationItinerary.PREFIX);
    queued.addAll(MigrationItinerary.AFTER_MIGRATION);
    queued.addAll(MigrationItinerary.AFTER_ROLLBACK);
    for (MigrationMode mode : MigrationMode.values()) {
      for (PowerState power : PowerState.values()) {
        for (boolean network : new boolean[] {false, true}) {
          queued.addAll(after(mode, false, power, true, network));
          queued.addAll(after(mode, true, power, false, network));
        }
      }
    }
    assertEquals(EnumSet.allOf(MigrationAction.class), queued);
  }

  @Test
  void aNetworkOnlyMigrationQueuesTheNicActionsAndNothingThatMovesTheVm() {
    assertEquals(
        List.of(
            MigrationAction.INVOKE_PRECHECKS,
            MigrationAction.SELECT_DESTINATION,
            MigrationAction.CHECK_PERMISSION,
            MigrationAction.CHECK_COMPATIBILITY,
            MigrationAction.PREPARE_SOURCE,
            MigrationAction.RECONFIGURE_VM,
            MigrationAction.COMPLETE_DESTINATION),
        MigrationItinerary.start(MigrationType.NETWORK));
    for (MigrationAction a : MigrationItinerary.NETWORK_ONLY) {
      assertFalse(a.movesData(), a + " moves data");
    }
    // Every change it makes has its undo, so a rollback leaves the VM as it was.
    assertEquals(
        List.of("UnprepareSource", "RevertReconfigureVm", "UncompleteDestination"),
        MigrationItinerary.NETWORK_ONLY.stream()
            .filter(MigrationAction::hasCompensation)
            .map(MigrationAction::compensationName)
            .toList());
    for (MigrationType t : List.of(MigrationType.AUTO, MigrationType.HOT, MigrationType.COLD)) {
      assertEquals(MigrationItinerary.PREFIX, MigrationItinerary.start(t), t.name());
    }
  }

  @Test
  void aNetworkOnlyMappingMapsNetworksOnlyWithinOneVcenter() {
    assertEquals(
        List.of(),
        new InfrastructureMapping("vc1", "vc1", null, null, Map.of("VM Network", "DVPG0"))
            .networkOnlyProblems());
    List<String> problems =
        new InfrastructureMapping(
                "vc1",
                "vc2",
                List.of(new ClusterMapping("C0", "C1", null, null)),
                Map.of("ds1", "ds2"),
                Map.of())
            .networkOnlyProblems();
    assertEquals(4, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("mapping.destinationVcenter: must be the source"));
    assertTrue(problems.get(1).startsWith("mapping.clusters: must be empty"));
    assertTrue(problems.get(2).startsWith("mapping.datastores: must be empty"));
    assertTrue(problems.get(3).startsWith("mapping.networks: must map at least one network"));
  }
}

package dev.vmigrate.model;

import static dev.vmigrate.model.MigrationAction.CHECK_COMPATIBILITY;
import static dev.vmigrate.model.MigrationAction.CHECK_PERMISSION;
import static dev.vmigrate.model.MigrationAction.COMPLETE_DESTINATION;
import static dev.vmigrate.model.MigrationAction.COMPLETE_SOURCE;
import static dev.vmigrate.model.MigrationAction.COMPUTE_SPEC;
import static dev.vmigrate.model.MigrationAction.CREATE_DESTINATION_VM;
import static dev.vmigrate.model.MigrationAction.CREATE_INVENTORY_VM;
import static dev.vmigrate.model.MigrationAction.INITIATE_DESTINATION;
import static dev.vmigrate.model.MigrationAction.INITIATE_SOURCE;
import static dev.vmigrate.model.MigrationAction.INVOKE_CALLBACKS;
import static dev.vmigrate.model.MigrationAction.INVOKE_PRECHECKS;
import static dev.vmigrate.model.MigrationAction.POWER_OFF_SOURCE;
import static dev.vmigrate.model.MigrationAction.POWER_ON_DESTINATION;
import static dev.vmigrate.model.MigrationAction.PREPARE_DESTINATION;
import static dev.vmigrate.model.MigrationAction.PREPARE_SOURCE;
import static dev.vmigrate.model.MigrationAction.RECONFIGURE_VM;
import static dev.vmigrate.model.MigrationAction.REGISTER_DESTINATION_VM;
import static dev.vmigrate.model.MigrationAction.RELAYOUT_SNAPSHOT;
import static dev.vmigrate.model.MigrationAction.RESERVE_DIRECTORY;
import static dev.vmigrate.model.MigrationAction.SELECT_DESTINATION;
import static dev.vmigrate.model.MigrationAction.SWITCH_HOST_AND_POOL;
import static dev.vmigrate.model.MigrationAction.UNREGISTER_SOURCE_VM;

import java.util.List;
import java.util.function.Predicate;

/**
 * Every itinerary of a migration, as data: the fixed prefix that every migration queues, and the
 * hot and cold lists of guarded actions that ComputeSpec appends once it knows the migration's
 * {@link Facts}. Hot or cold is decided here and nowhere else. Pure: no vSphere, no Temporal, so
 * the same facts always give the same list (recorded histories depend on it).
 */
public final class MigrationItinerary {
  private MigrationItinerary() {}

  /** The fixed prefix that every migration queues; ComputeSpec appends the rest. */
  public static final List<MigrationAction> PREFIX =
      List.of(
          INVOKE_PRECHECKS,
          SELECT_DESTINATION,
          CHECK_PERMISSION,
          CHECK_COMPATIBILITY,
          RESERVE_DIRECTORY,
          CREATE_INVENTORY_VM,
          COMPUTE_SPEC,
          INVOKE_CALLBACKS);

  /**
   * The whole queue of a network-only migration ({@link MigrationType#NETWORK}): the VM stays on
   * its host and datastores, and only its NICs move to the mapped networks by a ReconfigVM_Task, so
   * no relocate, no reservation, no callbacks and no ComputeSpec. SelectDestination keeps the VM's
   * placement and resolves the mapped networks; CheckPermission asks for the privileges a NIC
   * change needs; CheckCompatibility checks that the VM's host sees them; PrepareSource locks the
   * VM and records its origin (the NICs' backings and MACs), which RevertReconfigureVm puts back;
   * CompleteDestination verifies the UUIDs, MACs and NIC flags.
   */
  public static final List<MigrationAction> NETWORK_ONLY =
      List.of(
          INVOKE_PRECHECKS,
          SELECT_DESTINATION,
          CHECK_PERMISSION,
          CHECK_COMPATIBILITY,
          PREPARE_SOURCE,
          RECONFIGURE_VM,
          COMPLETE_DESTINATION);

  /** The queue a migration starts with: {@link #NETWORK_ONLY} for NETWORK, else {@link #PREFIX}. */
  public static List<MigrationAction> start(MigrationType type) {
    return type == MigrationType.NETWORK ? NETWORK_ONLY : PREFIX;
  }

  /**
   * Queued once the queue has run and any verification is confirmed, when the plan has
   * post-migration hooks: the migration is then complete but not yet finalised, so a hook that
   * holds the migration leaves the VM locked and a rollback still possible.
   */
  public static final List<MigrationAction> AFTER_MIGRATION =
      List.of(MigrationAction.INVOKE_POST_MIGRATION_HOOKS);

  /**
   * Run once a rollback has run every compensation and recorded itself on the VM, when the plan has
   * post-rollback hooks.
   */
  public static final List<MigrationAction> AFTER_ROLLBACK =
      List.of(MigrationAction.INVOKE_POST_ROLLBACK_HOOKS);

  /**
   * What ComputeSpec found out about the migration, and all the itinerary depends on.
   *
   * @param mode hot or cold, from {@link #mode}
   * @param crossVcenter source and destination vCenters differ
   * @param originPower the VM's power state at the origin
   * @param storageChange the .vmx or a disk changes datastore
   * @param networkChange a NIC changes network
   */
  public record Facts(
      MigrationMode mode,
      boolean crossVcenter,
      PowerState originPower,
      boolean storageChange,
      boolean networkChange) {}

  /** One stop of an itinerary: the action, queued when its guard holds for the facts. */
  private record Stop(MigrationAction action, Predicate<Facts> guard) {}

  // The relocate carries the NIC changes; ReconfigureVm checks them and applies any that a server
  // did not (it is a no-op when the relocate already did).
  private static final List<Stop> HOT =
      List.of(
          always(PREPARE_SOURCE),
          always(PREPARE_DESTINATION),
          always(INITIATE_DESTINATION),
          always(INITIATE_SOURCE),
          when(Facts::networkChange, RECONFIGURE_VM),
          always(SWITCH_HOST_AND_POOL),
          always(COMPLETE_SOURCE),
          always(COMPLETE_DESTINATION));

  // Within one vCenter a cold move is a relocate, as vCenter does it: unregistering would lose the
  // VM's id, permissions and custom attributes. Across vCenters without shared-nothing vMotion the
  // VM is re-registered on shared storage, which keeps its UUIDs.
  private static final List<Stop> COLD =
      List.of(
          always(PREPARE_SOURCE),
          when(f -> f.originPower() != PowerState.POWERED_OFF, POWER_OFF_SOURCE),
          when(Facts::crossVcenter, UNREGISTER_SOURCE_VM),
          when(Facts::crossVcenter, REGISTER_DESTINATION_VM),
          when(f -> !f.crossVcenter(), CREATE_DESTINATION_VM),
          always(SWITCH_HOST_AND_POOL),
          when(Facts::networkChange, RECONFIGURE_VM),
          always(RELAYOUT_SNAPSHOT),
          always(POWER_ON_DESTINATION),
          always(COMPLETE_DESTINATION));

  /**
   * Hot when the VM runs and the plan does not ask for cold; a plan that leaves it to vmigrate
   * (AUTO) goes cold across vCenters, where the VM is re-registered.
   */
  public static MigrationMode mode(
      MigrationType requested, PowerState power, boolean crossVcenter) {
    if (power != PowerState.POWERED_ON || requested == MigrationType.COLD) {
      return MigrationMode.COLD;
    }
    return requested == MigrationType.HOT || !crossVcenter ? MigrationMode.HOT : MigrationMode.COLD;
  }

  /**
   * The actions ComputeSpec appends after the prefix, in order.
   *
   * @throws IllegalArgumentException for a cold move across vCenters that changes storage, which
   *     re-registration cannot do (ComputeSpec rejects it first, with the VM's name)
   */
  public static List<MigrationAction> after(Facts facts) {
    if (facts.mode() == MigrationMode.COLD && facts.crossVcenter() && facts.storageChange()) {
      throw new IllegalArgumentException(
          "a cold migration across vCenters re-registers the VM and cannot change its storage");
    }
    List<Stop> stops = facts.mode() == MigrationMode.HOT ? HOT : COLD;
    return stops.stream().filter(s -> s.guard().test(facts)).map(Stop::action).toList();
  }

  private static Stop always(MigrationAction action) {
    return new Stop(action, f -> true);
  }

  private static Stop when(Predicate<Facts> guard, MigrationAction action) {
    return new Stop(action, guard);
  }
}

package dev.vmigrate.vsphere;

import dev.vmigrate.model.NicBackingChange;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one narrow interface through which every activity talks to one vCenter. Implementations: the
 * vim25 SOAP client for real vCenters and {@code SimulatedVsphere} in process. Every entity is
 * named by its managed object id ("vm-42", "host-12", "datastore-7", "network-9", "dvportgroup-3",
 * "resgroup-5", "group-v4"). Every method throws a {@link VsphereException} subtype that says
 * whether a retry can help.
 *
 * <p>Operations that vSphere runs as tasks return a {@link TaskRef} at once; callers follow it with
 * {@link #task}. Thread-safe.
 */
public interface VsphereGateway {

  /** The id of the vCenter connection this gateway talks to. */
  String vcenterId();

  // ---- inventory reads ----

  /** The whole inventory, read in a handful of round trips (not one call per VM). */
  Inventory inventory();

  /**
   * The inventory without its VMs ({@code vms()} is empty): datacenters, clusters, hosts,
   * datastores, networks, resource pools and folders. This is what one migration's checks read; on
   * a vCenter with thousands of VMs it is a small fraction of {@link #inventory()}, whose VM
   * properties (devices above all) make up most of the bytes.
   */
  Inventory infrastructure();

  /**
   * For every VM with the custom attribute {@code key} set, its id and that value: one property of
   * each VM, not the whole VM.
   */
  Map<String, String> vmCustomValues(String key);

  /**
   * Every VM and datastore carrying a {@code vmigrate.} custom attribute, with the VMs' names,
   * instance UUIDs, power states and placements, in one bulk property read (no call per VM): what
   * {@code vmigrate recover} starts from when vmigrate's own state is lost.
   */
  MigrationMarks migrationMarks();

  /** The VM named {@code name} directly in the VM folder {@code folderId}, if there is one. */
  Optional<VmInfo> findVmInFolder(String folderId, String name);

  /** One VM with its disks, NICs, placement, UUIDs, snapshots and custom attributes. */
  VmInfo vm(String vmId);

  /** The VM with this instance UUID, if registered in this vCenter. */
  Optional<VmInfo> findVmByInstanceUuid(String instanceUuid);

  HostInfo host(String hostId);

  DatastoreInfo datastore(String datastoreId);

  /**
   * Asks vCenter whether {@link #relocate} with this spec would succeed, without moving anything:
   * CheckRelocate_Task with every test (source, host, resource pool, datastore, network), followed
   * to its end. Read-only.
   *
   * @return the errors and warnings found, or empty when this server has no provisioning checker
   *     (an older vCenter or a simulator without CheckRelocate_Task)
   */
  Optional<RelocateCheck> checkRelocate(String vmId, RelocateSpec spec);

  // ---- operations ----

  /**
   * Starts RelocateVM_Task: host, resource pool, folder, datastore for the .vmx, datastore per disk
   * and NIC backing changes (fields left null stay as they are). Works powered on (vMotion) and
   * powered off (cold relocate).
   */
  TaskRef relocate(String vmId, RelocateSpec spec);

  /** UnregisterVM: removes a powered-off VM from the inventory, keeping its files. */
  void unregister(String vmId);

  /** RegisterVM_Task: registers a .vmx; the task result is the new VM's managed object id. */
  TaskRef register(RegisterSpec spec);

  /** ReconfigVM_Task changing NIC backings only (standard or distributed port groups). */
  TaskRef reconfigureNics(String vmId, List<NicBackingChange> changes);

  /** MoveIntoFolder_Task for one VM. */
  TaskRef moveIntoFolder(String vmId, String folderId);

  TaskRef powerOn(String vmId);

  TaskRef powerOff(String vmId);

  /** ShutdownGuest: asks the guest to shut down; returns before it has. */
  void shutdownGuest(String vmId);

  /**
   * Sets a custom attribute on an entity, defining the field first if it does not exist. An empty
   * value clears it. Idempotent and checked first: when the entity already has the value, nothing
   * is sent to vCenter (a retry after a late reply makes no second SetField).
   */
  void setCustomValue(String entityId, String key, String value);

  /**
   * HasPrivilegeOnEntities for the session's user: for each entity, the privileges it lacks (an
   * entity with none lacking is absent from the result).
   */
  Map<String, Set<String>> missingPrivileges(List<String> entityIds, Set<String> privileges);

  /** The current state of a task. */
  TaskInfo task(TaskRef ref);

  /**
   * The tasks vCenter lists on an entity (its {@code recentTask} property: queued and running
   * tasks, and those that finished a short while ago), each with its current {@code info}, oldest
   * first, whoever started them. This is how a task whose reference was lost (the worker died right
   * after submitting it) is found again: look for an unfinished one with the wanted {@link
   * TaskInfo#operation} and entity. A task that vCenter drops from its list while this reads it is
   * left out.
   *
   * @throws VsphereException.NotFound when the entity does not exist
   */
  List<TaskInfo> recentTasks(String entityId);

  /**
   * The tasks vCenter recorded on an entity (the entity itself, not its children) that were queued
   * at or after {@code since}, in whatever state (queued, running, success or error), each with its
   * current {@code info}, oldest first, whoever started them: vCenter's task history (a
   * TaskHistoryCollector filtered by entity and queue time, read and destroyed), which keeps
   * finished tasks long after {@link #recentTasks} has dropped them. This is how a change whose
   * reply was late or lost is recognised as done rather than sent again. At most the newest 100.
   * Read-only; an entity that does not exist has no history (empty, or NotFound).
   */
  List<TaskInfo> taskHistory(String entityId, Instant since);

  /**
   * Asks vCenter to cancel a running task (CancelTask): a relocate that is cancelled ends in error
   * with the VM left where it was. Answers false, and changes nothing, when the task has already
   * finished or the server cannot cancel it; the caller then follows the task to its end.
   */
  boolean cancelTask(TaskRef ref);
}

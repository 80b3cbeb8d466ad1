package dev.vmigrate.activity.impl;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.model.Destination;
import dev.vmigrate.model.DiskLocator;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.vsphere.DatastoreInfo;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VsphereGateway;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Capacity reservations kept on each destination datastore as the {@link
 * MigrationAttributes#RESERVATIONS} custom attribute (JSON of migration id to bytes), so that they
 * survive worker restarts and are visible to every worker. Read-modify-write is serialised per
 * datastore within this process.
 */
final class DatastoreReservations {
  private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();

  private DatastoreReservations() {}

  /**
   * Bytes the move copies onto each destination datastore (none across vCenters: shared storage).
   */
  static Map<String, Long> needed(MigrationContext ctx) {
    Map<String, Long> needed = new LinkedHashMap<>();
    if (ctx.request().mapping().crossVcenter()) {
      return needed;
    }
    Destination d = ctx.destination();
    Map<Integer, String> target = new HashMap<>();
    for (DiskLocator l : d.disks()) {
      target.put(l.diskKey(), l.datastore());
    }
    for (VirtualDisk disk : ctx.origin().disks()) {
      String ds = target.getOrDefault(disk.key(), d.vmxDatastore());
      if (!disk.rdm() && !ds.equals(disk.datastore())) {
        needed.merge(ds, disk.capacityBytes(), Long::sum);
      }
    }
    return needed;
  }

  /** Every datastore a reservation of this migration may be on. */
  static Set<String> candidates(Destination d) {
    Set<String> all = new LinkedHashSet<>();
    all.add(d.vmxDatastore());
    d.disks().forEach(l -> all.add(l.datastore()));
    return all;
  }

  /**
   * Reserves bytes for a migration; false when it already holds a reservation there.
   *
   * @throws io.temporal.failure.ApplicationFailure InsufficientResources when the space left after
   *     others' reservations is too small
   */
  static boolean reserve(VsphereGateway gw, String datastoreId, String migrationId, long bytes) {
    synchronized (lockFor(gw, datastoreId)) {
      DatastoreInfo ds = VsphereSupport.call(() -> gw.datastore(datastoreId));
      Map<String, Long> entries = read(ds);
      if (entries.containsKey(migrationId)) {
        return false;
      }
      long others = entries.values().stream().mapToLong(Long::longValue).sum();
      if (ds.freeBytes() - others < bytes) {
        throw VsphereSupport.nonRetryable(
            FailureTypes.INSUFFICIENT_RESOURCES,
            "datastore "
                + ds.name()
                + " has "
                + ds.freeBytes()
                + " bytes free of which "
                + others
                + " are reserved by "
                + entries.size()
                + " other migration(s); "
                + bytes
                + " are needed");
      }
      entries.put(migrationId, bytes);
      VsphereSupport.run(
          () ->
              gw.setCustomValue(
                  datastoreId, MigrationAttributes.RESERVATIONS, VsphereSupport.json(entries)));
      return true;
    }
  }

  /** Removes a migration's reservation; false when it had none there. */
  static boolean release(VsphereGateway gw, String datastoreId, String migrationId) {
    synchronized (lockFor(gw, datastoreId)) {
      DatastoreInfo ds = VsphereSupport.call(() -> gw.datastore(datastoreId));
      Map<String, Long> entries = read(ds);
      if (entries.remove(migrationId) == null) {
        return false;
      }
      String value = entries.isEmpty() ? "" : VsphereSupport.json(entries);
      VsphereSupport.run(
          () -> gw.setCustomValue(datastoreId, MigrationAttributes.RESERVATIONS, value));
      return true;
    }
  }

  private static Map<String, Long> read(DatastoreInfo ds) {
    String text = ds.customValue(MigrationAttributes.RESERVATIONS);
    if (text == null) {
      return new TreeMap<>();
    }
    try {
      JsonNode node = VsphereSupport.JSON.readTree(text);
      return new TreeMap<>(
          VsphereSupport.JSON.convertValue(node, new TypeReference<Map<String, Long>>() {}));
    } catch (Exception e) {
      // An unreadable attribute must not block every migration; it is rewritten on the next change.
      return new TreeMap<>();
    }
  }

  private static Object lockFor(VsphereGateway gw, String datastoreId) {
    return LOCKS.computeIfAbsent(gw.vcenterId() + "/" + datastoreId, k -> new Object());
  }
}

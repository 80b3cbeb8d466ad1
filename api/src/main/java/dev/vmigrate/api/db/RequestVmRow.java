package dev.vmigrate.api.db;

import dev.vmigrate.model.VmOrder;
import dev.vmigrate.request.VmTaskState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * One VM of a request: the ledger row. {@code proposal} is what the approval policy proposes
 * ("approve" or "skip", with {@code reason}); {@code approvedPosition} orders the approved VMs for
 * the request workflow. Datastore lists are comma-separated managed object ids.
 */
@MappedEntity("request_vm")
public record RequestVmRow(
    @Id String id,
    String requestId,
    int position,
    @Nullable Integer approvedPosition,
    String vmId,
    String instanceUuid,
    String name,
    String state,
    String proposal,
    @Nullable String reason,
    @Nullable String migrationId,
    @Nullable String message,
    int vmMigratePercent,
    int diskMigratePercent,
    long diskBytes,
    long memoryBytes,
    boolean poweredOn,
    @Nullable String sourceHost,
    String sourceDatastores,
    String destinationDatastores,
    boolean storageChange,
    long vmotionLinkMbps,
    @Nullable Instant deliveredAt,
    Instant updatedAt) {

  /**
   * The VM as the request workflow loads it from the ledger ({@code LedgerActivities}), with what
   * admission control needs to cost its migration.
   */
  public VmOrder toVmOrder() {
    return new VmOrder(
        vmId,
        name,
        instanceUuid,
        diskBytes,
        memoryBytes,
        poweredOn,
        sourceHost,
        split(sourceDatastores),
        split(destinationDatastores),
        storageChange,
        vmotionLinkMbps,
        migrationId);
  }

  private static List<String> split(String s) {
    return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
  }

  /** A new ledger row of a VM at {@code position} in a request; the rest has defaults. */
  public static Builder builder(
      String requestId, int position, String vmId, String instanceUuid, String name, Instant now) {
    return new Builder(requestId, position, vmId, instanceUuid, name, now);
  }

  /**
   * Builds a new row: not yet approved, started or delivered, no sizes or placement unless given.
   */
  public static final class Builder {
    private final String requestId;
    private final int position;
    private final String vmId;
    private final String instanceUuid;
    private final String name;
    private final Instant now;
    private String state;
    private String proposal;
    private String reason;
    private String migrationId;
    private String message;
    private int vmMigratePercent;
    private int diskMigratePercent;
    private long diskBytes;
    private long memoryBytes;
    private boolean poweredOn;
    private String sourceHost;
    private String sourceDatastores = "";
    private String destinationDatastores = "";
    private boolean storageChange;
    private long vmotionLinkMbps;

    private Builder(
        String requestId,
        int position,
        String vmId,
        String instanceUuid,
        String name,
        Instant now) {
      this.requestId = requestId;
      this.position = position;
      this.vmId = vmId;
      this.instanceUuid = instanceUuid;
      this.name = name;
      this.now = now;
    }

    public Builder state(VmTaskState state) {
      this.state = state.name();
      return this;
    }

    /** What the approval policy proposes ("approve" or "skip") and why. */
    public Builder proposal(String proposal, @Nullable String reason) {
      this.proposal = proposal;
      this.reason = reason;
      return this;
    }

    /** The workflow id chosen when the row is made (a repeat migration's), else null. */
    public Builder migrationId(@Nullable String migrationId) {
      this.migrationId = migrationId;
      return this;
    }

    public Builder message(@Nullable String message) {
      this.message = message;
      return this;
    }

    public Builder progress(int vmPercent, int diskPercent) {
      this.vmMigratePercent = vmPercent;
      this.diskMigratePercent = diskPercent;
      return this;
    }

    public Builder size(long diskBytes, long memoryBytes, boolean poweredOn) {
      this.diskBytes = diskBytes;
      this.memoryBytes = memoryBytes;
      this.poweredOn = poweredOn;
      return this;
    }

    /** Where the VM is and where its disks go; datastores as comma-separated ids. */
    public Builder placement(
        @Nullable String sourceHost,
        String sourceDatastores,
        String destinationDatastores,
        boolean storageChange,
        long vmotionLinkMbps) {
      this.sourceHost = sourceHost;
      this.sourceDatastores = sourceDatastores;
      this.destinationDatastores = destinationDatastores;
      this.storageChange = storageChange;
      this.vmotionLinkMbps = vmotionLinkMbps;
      return this;
    }

    public RequestVmRow build() {
      return new RequestVmRow(
          UUID.randomUUID().toString(),
          requestId,
          position,
          null,
          vmId,
          instanceUuid,
          name,
          state,
          proposal,
          reason,
          migrationId,
          message,
          vmMigratePercent,
          diskMigratePercent,
          diskBytes,
          memoryBytes,
          poweredOn,
          sourceHost,
          sourceDatastores,
          destinationDatastores,
          storageChange,
          vmotionLinkMbps,
          null,
          now);
    }
  }
}

package dev.vmigrate.request;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.TemporalEndpoint;
import java.time.Instant;

/**
 * Input of one request run. The VM list is not carried here (10,000 VMs would approach Temporal's
 * payload limit): the workflow pages it from the ledger with {@link LedgerActivities#loadVmOrders}.
 *
 * @param requestId the request id (also the workflow id's suffix)
 * @param planName the plan's name
 * @param mapping the plan's mapping
 * @param options migration options for every VM
 * @param limits admission limits
 * @param totalVms number of approved VMs in the ledger
 * @param checkpoint state carried across continue-as-new; null on the first run
 * @param windowStart when the plan's time window opens: the first run waits for it on a durable
 *     timer that cancel and pause interrupt; null to start at once (and in continued runs)
 * @param temporal the Temporal frontend and namespace the request runs on, passed to its migrations
 *     for the commands their details show; null when unknown
 */
public record RequestInput(
    String requestId,
    String planName,
    InfrastructureMapping mapping,
    MigrationOptions options,
    AdmissionLimits limits,
    int totalVms,
    RequestCheckpoint checkpoint,
    Instant windowStart,
    TemporalEndpoint temporal) {

  // Jackson must pick this one: histories recorded before windowStart and temporal existed lack
  // them (null).
  @JsonCreator
  public RequestInput {}

  /** A run that starts at once and names no Temporal endpoint. */
  public RequestInput(
      String requestId,
      String planName,
      InfrastructureMapping mapping,
      MigrationOptions options,
      AdmissionLimits limits,
      int totalVms,
      RequestCheckpoint checkpoint) {
    this(requestId, planName, mapping, options, limits, totalVms, checkpoint, null, null);
  }
}

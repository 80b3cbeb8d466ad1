package dev.vmigrate.request;

import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationOptions;

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
 */
public record RequestInput(
    String requestId,
    String planName,
    InfrastructureMapping mapping,
    MigrationOptions options,
    AdmissionLimits limits,
    int totalVms,
    RequestCheckpoint checkpoint) {}

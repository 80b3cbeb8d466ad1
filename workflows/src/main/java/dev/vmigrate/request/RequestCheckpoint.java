package dev.vmigrate.request;

import dev.vmigrate.model.VmOrder;
import java.util.List;

/**
 * What a request run carries into its next run after continue-as-new. Running children are
 * re-attached by workflow id.
 *
 * @param nextOffset ledger offset of the next VM not yet loaded
 * @param running migration workflow ids still running, with their orders
 * @param queued orders loaded but not yet admitted
 * @param progress counters so far
 * @param paused whether the request is paused
 */
public record RequestCheckpoint(
    int nextOffset,
    List<VmOrder> running,
    List<VmOrder> queued,
    RequestProgress progress,
    boolean paused) {}

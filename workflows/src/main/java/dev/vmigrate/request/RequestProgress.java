package dev.vmigrate.request;

import dev.vmigrate.model.RequestState;

/**
 * Aggregated progress of a request, returned by the {@code progress} query.
 *
 * @param requestId request id
 * @param state active, paused, cancelling or finished (its lowercase value on the wire)
 * @param total approved VMs
 * @param queued waiting for admission
 * @param running migrations in flight
 * @param completed completed
 * @param failed failed
 * @param rolledBack rolled back
 * @param skipped skipped
 * @param percent whole-plan progress, 0 to 100
 */
public record RequestProgress(
    String requestId,
    RequestState state,
    int total,
    int queued,
    int running,
    int completed,
    int failed,
    int rolledBack,
    int skipped,
    int percent) {}

package dev.vmigrate.admission;

/**
 * What admission control holds on one resource at a moment: how many jobs wait for it, how many run
 * on it, and how much of its cost limit they use.
 *
 * @param resource resource key, e.g. {@code host:host-12}, {@code net:host-12}, {@code ds:ds-3},
 *     {@code vc:vc1}, {@code request}
 * @param queued queued jobs that need this resource
 * @param running running jobs charged against it
 * @param used cost in use by the running jobs
 * @param limit the resource's cost limit
 */
public record ResourceLoad(String resource, int queued, int running, int used, int limit) {}

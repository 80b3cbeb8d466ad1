package dev.vmigrate.simulation;

/**
 * An interval in which one resource was the most used of all (the bottleneck), in seconds from the
 * simulated request's start.
 *
 * @param fromSecond the interval's start
 * @param toSecond the interval's end
 * @param resource the resource: {@code link:HOST} (a host's vMotion link, by host name) or {@code
 *     datastore:NAME}
 * @param utilisation the share of its capacity in use, 0 to 1
 * @param transfers how many transfers were crossing it
 */
public record BottleneckSpan(
    long fromSecond, long toSecond, String resource, double utilisation, int transfers) {}

package dev.vmigrate.vsphere.simulated;

import java.time.Instant;

/**
 * The most utilised shared resource of a simulated vSphere under its {@link PhysicalModel}, from
 * {@code at} until the next sample: recorded whenever the transfers' shares are recomputed (a
 * transfer starts or ends) and the top resource, its utilisation or its transfer count changed. The
 * top resource is the one whose transfers' rates add up to the largest share of its capacity; ties
 * go to the one with more transfers, then to the first by name.
 *
 * @param at when it became so, in the simulator's clock
 * @param resource {@code link:HOST} (a host's vMotion link, by host name) or {@code
 *     datastore:NAME}; null when no transfer runs
 * @param utilisation the transfers' rates over its capacity, 0 to 1 (0 when nothing runs)
 * @param transfers how many transfers cross it
 */
public record ResourceSample(Instant at, String resource, double utilisation, int transfers) {}

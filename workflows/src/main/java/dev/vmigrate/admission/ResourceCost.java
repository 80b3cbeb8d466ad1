package dev.vmigrate.admission;

/**
 * What one migration charges against one resource of vCenter's cost model.
 *
 * @param resource resource key, e.g. {@code host:host-12}, {@code net:host-12}, {@code ds:ds-3}
 * @param cost the operation's cost on that resource
 * @param limit the resource's cost limit; a cost above it means the job runs alone there
 */
public record ResourceCost(String resource, int cost, int limit) {

  public ResourceCost {
    if (cost < 0 || limit <= 0) {
      throw new IllegalArgumentException("cost >= 0 and limit > 0 required: " + resource);
    }
  }
}

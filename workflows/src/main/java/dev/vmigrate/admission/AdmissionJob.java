package dev.vmigrate.admission;

import java.util.List;

/**
 * One unit of work for admission control: a VM migration reduced to its cost on each resource and
 * its estimated duration.
 *
 * @param id unique id (the VM id)
 * @param estimatedMillis estimated duration, from bytes over bandwidth
 * @param costs one entry per distinct resource
 */
public record AdmissionJob(String id, long estimatedMillis, List<ResourceCost> costs) {

  public AdmissionJob {
    costs = List.copyOf(costs);
    if (estimatedMillis < 0) {
      throw new IllegalArgumentException("negative duration for " + id);
    }
  }
}

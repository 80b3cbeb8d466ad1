package dev.vmigrate.vsphere;

import java.util.List;

/**
 * vCenter's verdict on a relocate before it is made: the errors and warnings of CheckRelocate_Task
 * (VirtualMachineProvisioningChecker) for one VM and spec.
 *
 * @param errors faults that would make the relocate fail, each with vCenter's fault type and text
 * @param warnings faults that would not stop it (e.g. a device that will be disconnected)
 */
public record RelocateCheck(List<VsphereException> errors, List<VsphereException> warnings) {

  public RelocateCheck {
    errors = errors == null ? List.of() : List.copyOf(errors);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  /** A check that found nothing. */
  public static RelocateCheck passed() {
    return new RelocateCheck(List.of(), List.of());
  }

  public boolean ok() {
    return errors.isEmpty();
  }
}

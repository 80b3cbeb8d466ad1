package dev.vmigrate.model;

import java.util.List;

/**
 * What InvokePrechecks found: the VM, where it is now, and the findings.
 *
 * @param vm the VM's identity
 * @param origin where the VM is now
 * @param findings blocking and warning findings
 * @param snapshots names of the VM's snapshots, in tree order, to check after the move
 */
public record PrecheckReport(
    VmIdentity vm, Placement origin, List<PrecheckFinding> findings, List<String> snapshots) {

  public PrecheckReport {
    findings = findings == null ? List.of() : List.copyOf(findings);
    snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
  }

  public List<PrecheckFinding> blocking() {
    return findings.stream().filter(f -> f.severity() == Severity.BLOCKING).toList();
  }
}

package dev.vmigrate.model;

/**
 * One precheck result.
 *
 * @param severity blocking or warning
 * @param code stable machine-readable code, e.g. "VM_TEMPLATE", "RDM_DISK"
 * @param message what an operator reads
 */
public record PrecheckFinding(Severity severity, String code, String message) {}

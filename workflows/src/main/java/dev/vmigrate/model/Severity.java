package dev.vmigrate.model;

/** How bad a precheck finding is; BLOCKING stops the migration. */
public enum Severity {
  BLOCKING,
  WARNING
}

package dev.vmigrate.model;

/** How the VM moves; AUTO picks hot for a powered-on VM and cold otherwise. */
public enum MigrationType {
  AUTO,
  HOT,
  COLD
}

package dev.vmigrate.model;

/** The power state a VM should have at the destination. */
public enum TargetPowerState {
  SAME,
  ON,
  OFF
}

package dev.vmigrate.model;

/** A VM's power state, as vSphere's {@code VirtualMachinePowerState}. */
public enum PowerState {
  POWERED_ON,
  POWERED_OFF,
  SUSPENDED
}

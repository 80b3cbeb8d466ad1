package dev.vmigrate.request;

/** Per-VM status within a plan's request. */
public enum VmTaskState {
  PLANNED,
  APPROVED,
  STARTED,
  COMPLETED,
  FAILED,
  ROLLED_BACK,
  SKIPPED;

  public boolean finished() {
    return this == COMPLETED || this == FAILED || this == ROLLED_BACK || this == SKIPPED;
  }
}

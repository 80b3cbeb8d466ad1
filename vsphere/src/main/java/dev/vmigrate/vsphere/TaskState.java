package dev.vmigrate.vsphere;

/** vSphere's {@code TaskInfoState}. */
public enum TaskState {
  QUEUED,
  RUNNING,
  SUCCESS,
  ERROR;

  public boolean finished() {
    return this == SUCCESS || this == ERROR;
  }
}

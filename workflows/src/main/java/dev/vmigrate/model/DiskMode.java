package dev.vmigrate.model;

/** A virtual disk's backing mode; independent disks are excluded from snapshots. */
public enum DiskMode {
  PERSISTENT,
  INDEPENDENT_PERSISTENT,
  INDEPENDENT_NONPERSISTENT
}

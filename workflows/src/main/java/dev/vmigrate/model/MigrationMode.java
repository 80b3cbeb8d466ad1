package dev.vmigrate.model;

/** The itinerary that ComputeSpec chose. */
public enum MigrationMode {
  HOT,
  COLD
}

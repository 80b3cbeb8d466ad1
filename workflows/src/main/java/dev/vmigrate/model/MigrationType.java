package dev.vmigrate.model;

/**
 * How the VM moves; AUTO picks hot for a powered-on VM and cold otherwise. NETWORK does not move
 * the VM at all: it moves its NICs to the mapped networks with one ReconfigVM_Task, on the host it
 * runs on ({@link MigrationItinerary#NETWORK_ONLY}).
 */
public enum MigrationType {
  AUTO,
  HOT,
  COLD,
  NETWORK
}

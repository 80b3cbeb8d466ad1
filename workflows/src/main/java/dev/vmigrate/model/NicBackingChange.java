package dev.vmigrate.model;

/** Which network one NIC is attached to at the destination, by managed object id. */
public record NicBackingChange(int nicKey, String network) {}

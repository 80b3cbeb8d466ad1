package dev.vmigrate.model;

/** Where one disk goes: a disk key and a destination datastore's managed object id. */
public record DiskLocator(int diskKey, String datastore) {}

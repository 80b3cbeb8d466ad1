package dev.vmigrate.vsphere;

/**
 * Arguments of RegisterVM_Task.
 *
 * @param vmPathName the .vmx path, e.g. "[ds-1] web01/web01.vmx"
 * @param name the inventory name
 * @param folder the folder to register into
 * @param resourcePool the resource pool
 * @param host the host, or null to let vCenter choose within the pool's cluster
 */
public record RegisterSpec(
    String vmPathName, String name, String folder, String resourcePool, String host) {}

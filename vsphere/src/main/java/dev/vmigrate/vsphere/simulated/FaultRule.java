package dev.vmigrate.vsphere.simulated;

import dev.vmigrate.vsphere.VsphereException;

/**
 * One armed fault of a {@link SimulatedVsphere}: calls of a gateway operation (by method name, e.g.
 * "relocate"), optionally only for one entity id and, for {@code setCustomValue}, one key, fail
 * with a chosen {@link VsphereException}. Created armed by {@link SimulatedVsphere#failNext} (a
 * number of calls) or {@link SimulatedVsphere#failAlways} (until cleared); the fluent setters
 * narrow it. The default fault is a retryable HostCommunication.
 */
public final class FaultRule {
  private final String operation;
  private volatile String entityId;
  private volatile String key;
  private volatile VsphereException fault;
  private int remaining;

  FaultRule(String operation, int remaining) {
    this.operation = operation;
    this.remaining = remaining;
    this.fault =
        new VsphereException.Transient(
            "HostCommunication", "simulated fault in " + operation + ": host not reachable");
  }

  /** Only calls about this entity (VM, host, datastore, or the .vmx path for register). */
  public FaultRule on(String entity) {
    this.entityId = entity;
    return this;
  }

  /** Only {@code setCustomValue} calls for this custom attribute. */
  public FaultRule key(String customAttribute) {
    this.key = customAttribute;
    return this;
  }

  /** The fault to throw; its {@code retryable()} says whether it is transient. */
  public FaultRule with(VsphereException f) {
    this.fault = f;
    return this;
  }

  /** Calls still to fail, or -1 while failing until cleared. */
  public synchronized int remaining() {
    return remaining;
  }

  /** Whether this rule fires for the call, consuming one failure when it does. */
  synchronized boolean fire(String op, String entity, String k) {
    if (remaining == 0 || !operation.equals(op)) {
      return false;
    }
    if (entityId != null && !entityId.equals(entity)) {
      return false;
    }
    if (key != null && !key.equals(k)) {
      return false;
    }
    if (remaining > 0) {
      remaining--;
    }
    return true;
  }

  VsphereException fault() {
    return fault;
  }
}

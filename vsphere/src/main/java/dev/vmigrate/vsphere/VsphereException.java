package dev.vmigrate.vsphere;

/**
 * A failure talking to vSphere. {@link #fault()} is vSphere's fault type name (e.g. "InvalidState",
 * "ManagedObjectNotFound") or a local one for transport errors, and {@link #retryable()} says
 * whether the same call can succeed later without anyone changing anything.
 */
public class VsphereException extends RuntimeException {
  private final String fault;
  private final boolean retryable;

  public VsphereException(String fault, String message, boolean retryable) {
    this(fault, message, retryable, null);
  }

  public VsphereException(String fault, String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.fault = fault;
    this.retryable = retryable;
  }

  public String fault() {
    return fault;
  }

  public boolean retryable() {
    return retryable;
  }

  /** A managed object or file that does not exist (ManagedObjectNotFound, FileNotFound). */
  public static class NotFound extends VsphereException {
    public NotFound(String fault, String message) {
      super(fault, message, false);
    }
  }

  /** The entity is in the wrong state for the call (InvalidState, InvalidPowerState). */
  public static class InvalidState extends VsphereException {
    public InvalidState(String fault, String message) {
      super(fault, message, false);
    }
  }

  /** Bad credentials or a dead session that re-login could not revive (InvalidLogin). */
  public static class Authentication extends VsphereException {
    public Authentication(String fault, String message) {
      super(fault, message, false);
    }
  }

  /** The session lacks a privilege (NoPermission). */
  public static class NoPermission extends VsphereException {
    public NoPermission(String message) {
      super("NoPermission", message, false);
    }
  }

  /** Not enough capacity (InsufficientResourcesFault, InsufficientDisk, NoDiskSpace). */
  public static class InsufficientResources extends VsphereException {
    public InsufficientResources(String fault, String message) {
      super(fault, message, false);
    }
  }

  /**
   * The request is invalid for this inventory (InvalidArgument, DuplicateName, an incompatible
   * destination such as a host that does not see a datastore or network).
   */
  public static class InvalidRequest extends VsphereException {
    public InvalidRequest(String fault, String message) {
      super(fault, message, false);
    }
  }

  /**
   * A failure that may pass: connection errors, timeouts, HostCommunication, busy or
   * TaskInProgress.
   */
  public static class Transient extends VsphereException {
    public Transient(String fault, String message) {
      super(fault, message, true);
    }

    public Transient(String fault, String message, Throwable cause) {
      super(fault, message, true, cause);
    }
  }
}

package dev.vmigrate.vsphere.vim25;

import dev.vmigrate.vsphere.VsphereException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The one classification of vCenter's faults, for refused SOAP calls and failed tasks alike: each
 * vim25 fault type (and each failure vmigrate's client names itself, such as a connection error) is
 * either transient, retried a few times with a short backoff, or permanent, held at once for an
 * operator (non-retryable: the migration goes to FAILED_WAITING). docs/operations.md shows this
 * table; a fault not in it is permanent.
 */
public final class Faults {
  private Faults() {}

  /** What a fault means for the call that met it, and the typed exception it becomes. */
  public enum Kind {
    TRANSIENT(true, VsphereException.Transient::new),
    AUTHENTICATION(false, VsphereException.Authentication::new),
    NO_PERMISSION(false, (type, text) -> new VsphereException.NoPermission(text)),
    NOT_FOUND(false, VsphereException.NotFound::new),
    INVALID_STATE(false, VsphereException.InvalidState::new),
    INSUFFICIENT_RESOURCES(false, VsphereException.InsufficientResources::new),
    INVALID_REQUEST(false, VsphereException.InvalidRequest::new),
    /**
     * vCenter failed in a way it does not explain further (SystemError): repeating only repeats.
     */
    PERMANENT(false, (type, text) -> new VsphereException(type, text, false));

    private final boolean transientFault;
    private final BiFunction<String, String, VsphereException> exception;

    Kind(boolean transientFault, BiFunction<String, String, VsphereException> exception) {
      this.transientFault = transientFault;
      this.exception = exception;
    }

    /** Whether the same call may succeed when repeated shortly. */
    public boolean isTransient() {
      return transientFault;
    }
  }

  private static final Map<String, Kind> TABLE = new LinkedHashMap<>();

  static {
    // Transient: the host, the session or the connection comes back, or another task finishes.
    put(
        Kind.TRANSIENT,
        "HostCommunication",
        "HostNotConnected",
        "HostNotReachable",
        // A session that is gone even after vmigrate logged in again (a vCenter restarting).
        "NotAuthenticated",
        "TaskInProgress",
        "Timedout",
        "ConcurrentAccess",
        "ResourceInUse",
        // A task cancelled in vCenter; a data mover that followed it holds instead (TaskFollower).
        "RequestCanceled",
        // vmigrate's client: a call that timed out, a refused or broken connection, an HTTP 5xx
        // without a SOAP fault.
        "Timeout",
        "ConnectionRefused",
        "ConnectionError",
        "HttpStatus500",
        "HttpStatus502",
        "HttpStatus503",
        "HttpStatus504",
        "Interrupted");
    put(
        Kind.AUTHENTICATION,
        "InvalidLogin",
        "PasswordExpired",
        "InvalidClientCertificate",
        "TlsVerification");
    put(Kind.NO_PERMISSION, "NoPermission");
    put(
        Kind.NOT_FOUND,
        "ManagedObjectNotFound",
        "FileNotFound",
        "NotFound",
        "VmConfigFileNotFound");
    put(
        Kind.INVALID_STATE,
        "InvalidState",
        "InvalidPowerState",
        "InvalidHostState",
        "InvalidVmState",
        "InvalidDatastoreState",
        "HostInMaintenanceMode",
        "MethodDisabled",
        "DisallowedOperationOnFailoverHost");
    put(
        Kind.INSUFFICIENT_RESOURCES,
        "InsufficientResourcesFault",
        "InsufficientHostCapacityFault",
        "InsufficientCpuResourcesFault",
        "InsufficientMemoryResourcesFault",
        "InsufficientStorageSpace",
        "InsufficientDisk",
        "NoDiskSpace");
    put(
        Kind.INVALID_REQUEST,
        "InvalidArgument",
        "InvalidRequest",
        "InvalidType",
        "InvalidName",
        "InvalidProperty",
        "InvalidDatastorePath",
        "InvalidDatastore",
        "DuplicateName",
        "AlreadyExists",
        "FileAlreadyExists",
        "NotSupported",
        "MethodNotFound");
    put(Kind.PERMANENT, "SystemError", "RuntimeFault", "InvalidResponse");
  }

  private static void put(Kind kind, String... faults) {
    for (String f : faults) {
      if (TABLE.putIfAbsent(f, kind) != null) {
        throw new IllegalStateException(f + " is classified twice");
      }
    }
  }

  /** The table, in its documented order: fault type to kind. */
  public static Map<String, Kind> table() {
    return Collections.unmodifiableMap(TABLE);
  }

  /** The kind of a fault type; a fault vmigrate does not know is permanent. */
  public static Kind kind(String faultType) {
    return faultType == null ? Kind.PERMANENT : TABLE.getOrDefault(faultType, Kind.PERMANENT);
  }

  /** Whether a call that met this fault may succeed when repeated shortly. */
  public static boolean isTransient(String faultType) {
    return kind(faultType).isTransient();
  }

  /** The typed exception for a vim25 fault type and message. */
  public static VsphereException toException(String faultType, String message) {
    String type = faultType == null ? "SoapFault" : faultType;
    String text = type + ": " + (message == null ? "" : message);
    return kind(type).exception.apply(type, text);
  }

  public static VsphereException toException(SoapFault fault) {
    return toException(fault.faultType(), fault.getMessage());
  }
}

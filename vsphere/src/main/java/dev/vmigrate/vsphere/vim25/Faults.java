package dev.vmigrate.vsphere.vim25;

import dev.vmigrate.vsphere.VsphereException;
import java.util.Set;

/** Maps vim25 fault types to the gateway's typed {@link VsphereException}s. */
public final class Faults {
  private Faults() {}

  private static final Set<String> AUTHENTICATION =
      Set.of("InvalidLogin", "NotAuthenticated", "PasswordExpired", "InvalidClientCertificate");
  private static final Set<String> NOT_FOUND =
      Set.of("ManagedObjectNotFound", "FileNotFound", "NotFound", "VmConfigFileNotFound");
  private static final Set<String> INVALID_STATE =
      Set.of(
          "InvalidState",
          "InvalidPowerState",
          "InvalidHostState",
          "InvalidVmState",
          "InvalidDatastoreState",
          "HostInMaintenanceMode",
          "MethodDisabled",
          "DisallowedOperationOnFailoverHost");
  private static final Set<String> INSUFFICIENT =
      Set.of(
          "InsufficientResourcesFault",
          "InsufficientHostCapacityFault",
          "InsufficientCpuResourcesFault",
          "InsufficientMemoryResourcesFault",
          "InsufficientStorageSpace",
          "InsufficientDisk",
          "NoDiskSpace");
  private static final Set<String> INVALID_REQUEST =
      Set.of(
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
  private static final Set<String> TRANSIENT =
      Set.of(
          "HostCommunication",
          "HostNotConnected",
          "HostNotReachable",
          "TaskInProgress",
          "Timedout",
          "ConcurrentAccess",
          "ResourceInUse",
          "RequestCanceled",
          "SystemError");

  /** The typed exception for a vim25 fault type and message. */
  public static VsphereException toException(String faultType, String message) {
    String type = faultType == null ? "SoapFault" : faultType;
    String text = type + ": " + (message == null ? "" : message);
    if (AUTHENTICATION.contains(type)) {
      return new VsphereException.Authentication(type, text);
    }
    if (NOT_FOUND.contains(type)) {
      return new VsphereException.NotFound(type, text);
    }
    if (INVALID_STATE.contains(type)) {
      return new VsphereException.InvalidState(type, text);
    }
    if (INSUFFICIENT.contains(type)) {
      return new VsphereException.InsufficientResources(type, text);
    }
    if (INVALID_REQUEST.contains(type)) {
      return new VsphereException.InvalidRequest(type, text);
    }
    if ("NoPermission".equals(type)) {
      return new VsphereException.NoPermission(text);
    }
    if (TRANSIENT.contains(type)) {
      return new VsphereException.Transient(type, text);
    }
    return new VsphereException(type, text, false);
  }

  public static VsphereException toException(SoapFault fault) {
    return toException(fault.faultType(), fault.getMessage());
  }
}

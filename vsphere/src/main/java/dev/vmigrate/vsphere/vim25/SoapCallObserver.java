package dev.vmigrate.vsphere.vim25;

/**
 * Told about every vim25 SOAP call a gateway sends, once it has an answer or has failed: the
 * process wires this to its metrics. Called on the caller's thread, so it must be quick and must
 * not throw.
 */
@FunctionalInterface
public interface SoapCallObserver {

  /** Observes nothing. */
  SoapCallObserver NONE = (vcenterId, method, nanos, fault) -> {};

  /**
   * @param vcenterId the vCenter the call went to (its configured id)
   * @param method the SOAP method, e.g. {@code RetrievePropertiesEx}
   * @param nanos how long the call took, from sending to the parsed answer or the failure
   * @param fault null when vCenter answered without a fault; else the fault type vCenter named
   *     (e.g. {@code NotAuthenticated}, {@code ManagedObjectNotFound}) or the client's own for a
   *     call that got no usable answer ({@code Timeout}, {@code ConnectionRefused}, ...)
   */
  void called(String vcenterId, String method, long nanos, String fault);
}

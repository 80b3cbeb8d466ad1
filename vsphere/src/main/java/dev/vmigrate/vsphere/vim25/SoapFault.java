package dev.vmigrate.vsphere.vim25;

/**
 * A SOAP fault answered by vCenter, before it is mapped to a typed {@link
 * dev.vmigrate.vsphere.VsphereException}.
 */
public final class SoapFault extends Exception {
  private final String faultType;
  private final transient XmlNode detail;

  public SoapFault(String faultType, String message, XmlNode detail) {
    super(message);
    this.faultType = faultType;
    this.detail = detail;
  }

  /** The vim25 fault type, e.g. "InvalidPowerState". */
  public String faultType() {
    return faultType;
  }

  /** The fault's detail element, or null. */
  public XmlNode detail() {
    return detail;
  }
}

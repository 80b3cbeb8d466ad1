package dev.vmigrate.vsphere.vim25;

import java.nio.file.Path;
import java.util.Locale;

/**
 * How the vim25 client verifies vCenter's certificate. Verified by default against the JVM's trust
 * store; skipping verification is an explicit, logged choice.
 *
 * @param mode how to verify
 * @param trustStore a trust store file for {@link Mode#TRUST_STORE}
 * @param trustStorePassword its password (may be null for PEM-free PKCS12 without a password)
 * @param trustStoreType "PKCS12" (default) or "JKS"
 * @param thumbprint the expected SHA-256 fingerprint of the server certificate for {@link
 *     Mode#PINNED_THUMBPRINT}, hex with or without colons
 */
public record TlsSettings(
    Mode mode,
    Path trustStore,
    String trustStorePassword,
    String trustStoreType,
    String thumbprint) {

  /** Verification modes. */
  public enum Mode {
    /** The JVM's default trust store, with host name verification. */
    JVM_TRUST_STORE,
    /** A given trust store, with host name verification. */
    TRUST_STORE,
    /** Accept exactly the certificate with this SHA-256 thumbprint. */
    PINNED_THUMBPRINT,
    /** Accept any certificate: for labs only; logged as a warning. */
    INSECURE_SKIP_VERIFY
  }

  public TlsSettings {
    if (mode == null) {
      mode = Mode.JVM_TRUST_STORE;
    }
    if (mode == Mode.TRUST_STORE && trustStore == null) {
      throw new IllegalArgumentException("TRUST_STORE needs a trust store file");
    }
    if (mode == Mode.PINNED_THUMBPRINT) {
      if (thumbprint == null) {
        throw new IllegalArgumentException("PINNED_THUMBPRINT needs a thumbprint");
      }
      thumbprint = normalizeThumbprint(thumbprint);
      if (thumbprint.length() != 64) {
        throw new IllegalArgumentException("a SHA-256 thumbprint has 32 bytes");
      }
    }
  }

  public static TlsSettings jvmTrustStore() {
    return new TlsSettings(Mode.JVM_TRUST_STORE, null, null, null, null);
  }

  public static TlsSettings trustStore(Path file, String password) {
    return new TlsSettings(Mode.TRUST_STORE, file, password, "PKCS12", null);
  }

  public static TlsSettings pinned(String sha256Thumbprint) {
    return new TlsSettings(Mode.PINNED_THUMBPRINT, null, null, null, sha256Thumbprint);
  }

  public static TlsSettings insecureSkipVerify() {
    return new TlsSettings(Mode.INSECURE_SKIP_VERIFY, null, null, null, null);
  }

  /** Lower-case hex without separators. */
  static String normalizeThumbprint(String t) {
    return t.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "TlsSettings[mode="
        + mode
        + (trustStore != null ? ", trustStore=" + trustStore : "")
        + (thumbprint != null ? ", thumbprint=" + thumbprint : "")
        + "]";
  }
}

package dev.vmigrate.vsphere.vcsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.vim25.PasswordSource;
import dev.vmigrate.vsphere.vim25.TlsSettings;
import dev.vmigrate.vsphere.vim25.Vim25Connection;
import dev.vmigrate.vsphere.vim25.Vim25Gateway;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Certificate verification of the vim25 client against vcsim serving HTTPS. */
class Vim25TlsTest {

  @RegisterExtension static final VcsimExtension vcsim = VcsimExtension.perClass("-tls");

  private static Vim25Gateway gateway(TlsSettings tls) {
    return new Vim25Gateway(
        new Vim25Connection(
            "vc-tls",
            vcsim.url(),
            "user",
            PasswordSource.of("pass"),
            tls,
            Duration.ofSeconds(5),
            Duration.ofSeconds(30)));
  }

  private static int vmCount(TlsSettings tls) {
    try (Vim25Gateway g = gateway(tls)) {
      return g.inventory().vms().size();
    }
  }

  private static void refused(TlsSettings tls) {
    try (Vim25Gateway g = gateway(tls)) {
      VsphereException e = assertThrows(VsphereException.class, g::inventory);
      assertEquals("TlsVerification", e.fault());
      assertFalse(e.retryable(), "a certificate that does not verify will not verify later");
    }
  }

  @Test
  void aPinnedThumbprintIsAccepted() {
    assertEquals(4, vmCount(TlsSettings.pinned(vcsim.thumbprint())));
  }

  @Test
  void anotherThumbprintIsRefused() {
    refused(TlsSettings.pinned("00".repeat(32)));
  }

  @Test
  void theJvmTrustStoreRefusesASelfSignedCertificate() {
    refused(TlsSettings.jvmTrustStore());
  }

  @Test
  void aTrustStoreHoldingTheCertificateVerifiesItWithTheHostName(@TempDir Path dir)
      throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("vcsim", serverCertificate());
    Path file = dir.resolve("trust.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, "changeit".toCharArray());
    }
    assertEquals(4, vmCount(TlsSettings.trustStore(file, "changeit")));
  }

  @Test
  void skippingVerificationIsExplicit() {
    assertEquals(4, vmCount(TlsSettings.insecureSkipVerify()));
  }

  // Test-only: reads the certificate the simulator presents, to build a trust store from it.
  private static X509Certificate serverCertificate() throws Exception {
    AtomicReference<X509Certificate> seen = new AtomicReference<>();
    X509TrustManager capture =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {
            seen.set(chain[0]);
          }

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {capture}, null);
    try (SSLSocket s =
        (SSLSocket)
            ctx.getSocketFactory().createSocket(vcsim.url().getHost(), vcsim.url().getPort())) {
      s.startHandshake();
    }
    return seen.get();
  }
}

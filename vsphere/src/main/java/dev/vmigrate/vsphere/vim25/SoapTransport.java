package dev.vmigrate.vsphere.vim25;

import dev.vmigrate.vsphere.VsphereException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpCookie;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.xml.stream.XMLStreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts vim25 SOAP calls over {@link HttpClient} with the connection's TLS settings and timeouts,
 * and carries the session cookie. Counts round trips so that callers (and benchmarks) can see how
 * many calls an operation took.
 */
public final class SoapTransport {
  private static final Logger log = LoggerFactory.getLogger(SoapTransport.class);
  private static final String SESSION_COOKIE = "vmware_soap_session";

  private final Vim25Connection connection;
  private final HttpClient http;
  private final AtomicReference<String> cookie = new AtomicReference<>();
  private final AtomicInteger roundTrips = new AtomicInteger();
  private final SoapCallObserver observer;
  private volatile String soapAction = "urn:vim25";

  public SoapTransport(Vim25Connection connection) {
    this(connection, SoapCallObserver.NONE);
  }

  /** A transport that tells {@code observer} about every call it sends. */
  public SoapTransport(Vim25Connection connection, SoapCallObserver observer) {
    this.connection = connection;
    this.observer = observer;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(connection.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER);
    if ("https".equalsIgnoreCase(connection.url().getScheme())) {
      b.sslContext(sslContext(connection.tls(), connection.id()));
    }
    this.http = b.build();
  }

  /** Sets the SOAPAction to the API version the server announced, as vCenter expects. */
  void apiVersion(String version) {
    if (version != null && !version.isBlank()) {
      soapAction = "urn:vim25/" + version;
    }
  }

  /** Forgets the session cookie, e.g. before a fresh login. */
  void clearSession() {
    cookie.set(null);
  }

  /** SOAP calls sent so far. */
  public int roundTrips() {
    return roundTrips.get();
  }

  /**
   * Sends one call and returns its response element.
   *
   * @throws SoapFault when vCenter answers with a fault
   * @throws VsphereException.Transient on connection errors, timeouts and 5xx without a fault
   */
  public XmlNode call(XmlElement call) throws SoapFault {
    long start = System.nanoTime();
    String fault = null;
    try {
      return send(call);
    } catch (SoapFault f) {
      fault = f.faultType();
      throw f;
    } catch (VsphereException e) {
      fault = e.fault();
      throw e;
    } catch (RuntimeException e) {
      fault = e.getClass().getSimpleName();
      throw e;
    } finally {
      observe(call.name(), System.nanoTime() - start, fault);
    }
  }

  private void observe(String method, long nanos, String fault) {
    try {
      observer.called(connection.id(), method, nanos, fault);
    } catch (RuntimeException e) {
      log.debug("call observer failed: {}", e.toString());
    }
  }

  private XmlNode send(XmlElement call) throws SoapFault {
    byte[] body;
    try {
      body = SoapCodec.request(call);
    } catch (IllegalArgumentException e) {
      throw new VsphereException.InvalidRequest(
          "InvalidArgument", call.name() + ": " + e.getMessage());
    }
    HttpRequest.Builder req =
        HttpRequest.newBuilder(connection.url())
            .timeout(connection.callTimeout())
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", soapAction)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    String c = cookie.get();
    if (c != null) {
      req.header("Cookie", c);
    }
    HttpResponse<byte[]> res;
    roundTrips.incrementAndGet();
    try {
      res = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw new VsphereException.Transient(
          "Timeout", call.name() + " timed out after " + connection.callTimeout(), e);
    } catch (SSLException e) {
      // A certificate that does not verify will not verify on retry either.
      throw new VsphereException(
          "TlsVerification",
          "TLS to " + connection.url().getHost() + " failed: " + e.getMessage(),
          false,
          e);
    } catch (ConnectException e) {
      throw new VsphereException.Transient(
          "ConnectionRefused", "cannot connect to " + connection.url().getHost(), e);
    } catch (IOException e) {
      if (e.getCause() instanceof SSLException ssl) {
        throw new VsphereException(
            "TlsVerification",
            "TLS to " + connection.url().getHost() + " failed: " + ssl.getMessage(),
            false,
            e);
      }
      throw new VsphereException.Transient(
          "ConnectionError", call.name() + ": " + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VsphereException.Transient("Interrupted", call.name() + " interrupted", e);
    }
    rememberCookie(res.headers().allValues("Set-Cookie"));
    int status = res.statusCode();
    XmlNode envelope;
    try {
      envelope = SoapCodec.parse(res.body());
    } catch (XMLStreamException e) {
      if (status >= 500) {
        throw new VsphereException.Transient("HttpStatus" + status, call.name() + ": " + status);
      }
      throw new VsphereException(
          "InvalidResponse", call.name() + ": unreadable response (HTTP " + status + ")", false, e);
    }
    return SoapCodec.responseBody(envelope);
  }

  private void rememberCookie(List<String> setCookies) {
    for (String header : setCookies) {
      for (HttpCookie hc : HttpCookie.parse(header)) {
        if (SESSION_COOKIE.equals(hc.getName())) {
          // vCenter quotes the value; send it back exactly as issued.
          cookie.set(hc.getName() + "=" + quoteIfNeeded(hc.getValue(), header));
        }
      }
    }
  }

  private static String quoteIfNeeded(String value, String header) {
    return header.contains(SESSION_COOKIE + "=\"") ? "\"" + value + "\"" : value;
  }

  /** The TLS context for these settings (also used by tools that talk to the same endpoint). */
  public static SSLContext sslContext(TlsSettings tls, String vcenterId) {
    try {
      switch (tls.mode()) {
        case JVM_TRUST_STORE:
          return SSLContext.getDefault();
        case TRUST_STORE:
          {
            KeyStore ks =
                KeyStore.getInstance(
                    tls.trustStoreType() == null ? "PKCS12" : tls.trustStoreType());
            try (InputStream in = Files.newInputStream(tls.trustStore())) {
              ks.load(
                  in,
                  tls.trustStorePassword() == null ? null : tls.trustStorePassword().toCharArray());
            }
            TrustManagerFactory tmf =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
          }
        case PINNED_THUMBPRINT:
          {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new PinnedTrustManager(tls.thumbprint())}, null);
            return ctx;
          }
        case INSECURE_SKIP_VERIFY:
        default:
          {
            log.warn(
                "TLS certificate verification is DISABLED for vCenter {}: use a trust store or a"
                    + " pinned thumbprint outside of labs",
                vcenterId);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new PinnedTrustManager(null)}, null);
            return ctx;
          }
      }
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot set up TLS for vCenter " + vcenterId, e);
    }
  }

  /** SHA-256 thumbprint of a certificate, lower-case hex without separators. */
  static String thumbprint(X509Certificate cert) throws CertificateException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new CertificateException(e);
    }
  }

  /**
   * Accepts exactly the server certificate whose SHA-256 thumbprint is pinned (no host name check:
   * the pin is stricter), or, with a null pin, any certificate.
   */
  static final class PinnedTrustManager extends X509ExtendedTrustManager {
    private final String pin;

    PinnedTrustManager(String pin) {
      this.pin = pin;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
      if (pin == null) {
        return;
      }
      if (chain == null || chain.length == 0) {
        throw new CertificateException("no server certificate");
      }
      String actual = thumbprint(chain[0]);
      if (!MessageDigest.isEqual(actual.getBytes(), pin.getBytes())) {
        throw new CertificateException(
            "server certificate thumbprint " + actual + " does not match the pinned one");
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("client certificates are not accepted");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("client certificates are not accepted");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("client certificates are not accepted");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}

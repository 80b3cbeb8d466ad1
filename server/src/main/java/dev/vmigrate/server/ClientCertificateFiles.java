package dev.vmigrate.server;

import io.grpc.util.AdvancedTlsX509KeyManager;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mTLS client certificate and key as PEM files, read again at the next TLS handshake after
 * either file changed (modification time or size), so a certificate rotated on disk (a key manager,
 * cert-manager, a renewed secret mount) needs no restart. A pair that cannot be read (for example
 * while only one of the two files has been replaced) keeps the previous one in use and is tried
 * again at the next handshake. gRPC's {@link AdvancedTlsX509KeyManager} parses the files.
 */
final class ClientCertificateFiles extends X509ExtendedKeyManager {
  private static final Logger log = LoggerFactory.getLogger(ClientCertificateFiles.class);

  private final Path cert;
  private final Path key;
  private final AdvancedTlsX509KeyManager delegate = new AdvancedTlsX509KeyManager();
  private List<Object> loadedVersion;

  /**
   * Reads the pair once, now.
   *
   * @throws IllegalArgumentException naming the files when they are not a PEM certificate and key
   */
  ClientCertificateFiles(Path cert, Path key) {
    this.cert = cert;
    this.key = key;
    try {
      List<Object> version = version();
      delegate.updateIdentityCredentials(cert.toFile(), key.toFile());
      loadedVersion = version;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          "Temporal mTLS: cannot load client certificate "
              + cert
              + " with key "
              + key
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  private List<Object> version() throws IOException {
    BasicFileAttributes c = Files.readAttributes(cert, BasicFileAttributes.class);
    BasicFileAttributes k = Files.readAttributes(key, BasicFileAttributes.class);
    return List.of(c.lastModifiedTime(), c.size(), k.lastModifiedTime(), k.size());
  }

  /** Re-reads the pair when the files changed since it was last read. */
  synchronized void refresh() {
    try {
      List<Object> version = version();
      if (version.equals(loadedVersion)) {
        return;
      }
      delegate.updateIdentityCredentials(cert.toFile(), key.toFile());
      loadedVersion = version;
      log.info("Temporal mTLS: client certificate {} re-read after it changed", cert);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // Only the exception's type: a parser's message could quote key material.
      log.warn(
          "Temporal mTLS: cannot re-read client certificate {} with key {} ({}); keeping the"
              + " previous one",
          cert,
          key,
          e.getClass().getSimpleName());
    }
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    refresh();
    return delegate.chooseEngineClientAlias(keyType, issuers, engine);
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    refresh();
    return delegate.chooseClientAlias(keyType, issuers, socket);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return delegate.getClientAliases(keyType, issuers);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return delegate.getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return delegate.getPrivateKey(alias);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }
}

package dev.vmigrate.vsphere.vim25;

import dev.vmigrate.vsphere.VcenterUrl;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach one vCenter. The password is a {@link PasswordSource}, read at login; {@link
 * #toString()} never shows it.
 *
 * @param id the vCenter id that workflows carry
 * @param url the SDK endpoint, e.g. {@code https://vc01.example.com/sdk}; plain http only on
 *     loopback addresses (test simulators)
 * @param username the login user
 * @param password where the password comes from
 * @param tls certificate verification
 * @param connectTimeout TCP and TLS connect timeout
 * @param callTimeout the limit for any one SOAP call
 */
public record Vim25Connection(
    String id,
    URI url,
    String username,
    PasswordSource password,
    TlsSettings tls,
    Duration connectTimeout,
    Duration callTimeout) {

  public Vim25Connection {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    tls = tls == null ? TlsSettings.jvmTrustStore() : tls;
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
    callTimeout = callTimeout == null ? Duration.ofSeconds(60) : callTimeout;
    VcenterUrl.validate("url", url);
  }

  /**
   * Reads a connection from configuration keys: {@code url}, {@code username}, {@code password} or
   * {@code password-file}, {@code tls.mode} (jvm-trust-store, trust-store, pinned-thumbprint,
   * insecure-skip-verify), {@code tls.trust-store}, {@code tls.trust-store-password}, {@code
   * tls.trust-store-type}, {@code tls.thumbprint}, {@code connect-timeout} and {@code call-timeout}
   * (ISO-8601 durations such as PT30S).
   */
  public static Vim25Connection fromConfig(String id, Map<String, String> config) {
    String url = required(config, "url");
    PasswordSource password;
    if (config.containsKey("password-file")) {
      password = PasswordSource.ofSecretFile(Path.of(config.get("password-file")));
    } else {
      password = PasswordSource.of(required(config, "password"));
    }
    String mode = config.getOrDefault("tls.mode", "jvm-trust-store");
    TlsSettings tls =
        new TlsSettings(
            TlsSettings.Mode.valueOf(mode.toUpperCase(Locale.ROOT).replace('-', '_')),
            config.containsKey("tls.trust-store") ? Path.of(config.get("tls.trust-store")) : null,
            config.get("tls.trust-store-password"),
            config.getOrDefault("tls.trust-store-type", "PKCS12"),
            config.get("tls.thumbprint"));
    return new Vim25Connection(
        id,
        VcenterUrl.parse("url", url),
        required(config, "username"),
        password,
        tls,
        config.containsKey("connect-timeout")
            ? Duration.parse(config.get("connect-timeout"))
            : null,
        config.containsKey("call-timeout") ? Duration.parse(config.get("call-timeout")) : null);
  }

  private static String required(Map<String, String> config, String key) {
    String v = config.get(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("vCenter configuration lacks " + key);
    }
    return v;
  }

  @Override
  public String toString() {
    return "Vim25Connection[id="
        + id
        + ", url="
        + url
        + ", username="
        + username
        + ", password=****, tls="
        + tls
        + ", connectTimeout="
        + connectTimeout
        + ", callTimeout="
        + callTimeout
        + "]";
  }
}

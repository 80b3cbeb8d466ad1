package dev.vmigrate.server;

import java.util.Map;

/**
 * vmigrate's own Temporal connection settings from one source (flags, a {@code --config} file, the
 * {@code VMIGRATE_TEMPORAL_*} variables); a null field is not set there. {@link #over} layers them,
 * and {@link TemporalConnection#resolve} fills what none sets from Temporal's environment
 * configuration. Paths only: the API key itself is read from {@code apiKeyFile} when resolving.
 *
 * @param address the frontend's {@code host:port}
 * @param namespace the Temporal namespace
 * @param profile the profile of Temporal's TOML configuration file to read
 * @param tlsCa the CA certificate (PEM) that signed the server's certificate
 * @param tlsServerName the name the server's certificate must carry, when not the address's host
 * @param tlsCert the client certificate (PEM) for mTLS
 * @param tlsKey the client certificate's private key (PEM, PKCS#8) for mTLS
 * @param apiKeyFile a file whose content is an API key (sent as Authorization: Bearer)
 * @param searchAttributes false forces vmigrate's search attributes off; null or true uses them
 *     when the namespace has them
 */
public record TemporalSettings(
    String address,
    String namespace,
    String profile,
    String tlsCa,
    String tlsServerName,
    String tlsCert,
    String tlsKey,
    String apiKeyFile,
    Boolean searchAttributes) {

  public TemporalSettings {
    address = blankToNull(address);
    namespace = blankToNull(namespace);
    profile = blankToNull(profile);
    tlsCa = blankToNull(tlsCa);
    tlsServerName = blankToNull(tlsServerName);
    tlsCert = blankToNull(tlsCert);
    tlsKey = blankToNull(tlsKey);
    apiKeyFile = blankToNull(apiKeyFile);
  }

  public static final TemporalSettings NONE =
      new TemporalSettings(null, null, null, null, null, null, null, null, null);

  public static TemporalSettings of(String address, String namespace) {
    return new TemporalSettings(
        blankToNull(address), blankToNull(namespace), null, null, null, null, null, null, null);
  }

  /** These settings, with each one not set here taken from {@code lower}. */
  public TemporalSettings over(TemporalSettings lower) {
    return new TemporalSettings(
        first(address, lower.address),
        first(namespace, lower.namespace),
        first(profile, lower.profile),
        first(tlsCa, lower.tlsCa),
        first(tlsServerName, lower.tlsServerName),
        first(tlsCert, lower.tlsCert),
        first(tlsKey, lower.tlsKey),
        first(apiKeyFile, lower.apiKeyFile),
        searchAttributes != null ? searchAttributes : lower.searchAttributes);
  }

  /** The {@code vmigrate.temporal.*} keys of flattened configuration properties. */
  public static TemporalSettings fromProperties(Map<String, ?> p) {
    return read(key -> "vmigrate.temporal." + key, name -> text(p.get(name)));
  }

  /** The {@code VMIGRATE_TEMPORAL_*} variables of {@code env}. */
  public static TemporalSettings fromEnvironment(Map<String, String> env) {
    return read(
        key -> "VMIGRATE_TEMPORAL_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_'),
        name -> blankToNull(env.get(name)));
  }

  // Each setting under the name {@code nameOf} gives its key (address, tls-ca, ...), as {@code
  // value} reads it; a search-attributes value that is not a boolean is refused by its name.
  private static TemporalSettings read(
      java.util.function.UnaryOperator<String> nameOf,
      java.util.function.UnaryOperator<String> value) {
    java.util.function.UnaryOperator<String> setting = key -> value.apply(nameOf.apply(key));
    return new TemporalSettings(
        setting.apply("address"),
        setting.apply("namespace"),
        setting.apply("profile"),
        setting.apply("tls-ca"),
        setting.apply("tls-server-name"),
        setting.apply("tls-cert"),
        setting.apply("tls-key"),
        setting.apply("api-key-file"),
        bool(nameOf.apply("search-attributes"), setting.apply("search-attributes")));
  }

  private static String text(Object v) {
    return v == null ? null : blankToNull(v.toString());
  }

  private static Boolean bool(String name, String v) {
    if (v == null) {
      return null;
    }
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.valueOf(v);
    }
    throw new IllegalArgumentException(name + ": '" + v + "' is neither true nor false");
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }
}

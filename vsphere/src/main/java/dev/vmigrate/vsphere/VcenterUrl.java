package dev.vmigrate.vsphere;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one rule for a vCenter's SDK endpoint, shared by the API (vCenter records) and the worker
 * (its configuration): an {@code https://} URL with a host, or {@code http://} only to a loopback
 * host (127.0.0.0/8, ::1, localhost) for test endpoints such as vcsim; no credentials in the URL.
 * The path is kept as written (vCenter's is {@code /sdk}); nothing is added to it.
 */
public final class VcenterUrl {
  private static final Pattern IPV4_LOOPBACK =
      Pattern.compile("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){2}");
  private static final Pattern IPV6_LOOPBACK = Pattern.compile("(0{1,4}:){7}0{0,3}1|::1");

  private VcenterUrl() {}

  /**
   * The URL, when it follows the rule.
   *
   * @param field what names the value in messages, e.g. {@code url} or {@code
   *     vmigrate.vcenters.vc01.url}
   * @throws IllegalArgumentException whose message starts with {@code field + ": "}
   */
  public static URI parse(String field, String url) {
    if (url == null || url.isBlank()) {
      throw invalid(field, "required, " + EXPECTED);
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw invalid(field, "not a URL (" + e.getMessage() + "); expected " + EXPECTED);
    }
    validate(field, uri);
    return uri;
  }

  /** Checks a URL against the rule; see {@link #parse}. */
  public static void validate(String field, URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
      throw invalid(field, "'" + uri + "' is not " + EXPECTED);
    }
    if (uri.getRawUserInfo() != null) {
      throw invalid(field, "must not carry credentials; they are configured separately");
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      throw invalid(
          field,
          "plain http:// is allowed only to a loopback host (127.0.0.0/8, ::1, localhost),"
              + " not "
              + uri.getHost()
              + "; use https://");
    }
  }

  /** Whether a URL host names the loopback interface, without any name lookup. */
  public static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    h = h.toLowerCase(Locale.ROOT);
    return h.equals("localhost")
        || IPV4_LOOPBACK.matcher(h).matches()
        || IPV6_LOOPBACK.matcher(h).matches();
  }

  private static final String EXPECTED =
      "an https:// URL of the vCenter (http:// only to a loopback test endpoint)";

  private static IllegalArgumentException invalid(String field, String problem) {
    return new IllegalArgumentException(field + ": " + problem);
  }
}

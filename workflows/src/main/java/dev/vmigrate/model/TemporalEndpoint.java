package dev.vmigrate.model;

import java.util.regex.Pattern;

/**
 * The Temporal frontend and namespace a workflow runs on, as an operator's Temporal CLI must name
 * them so that a command copied from the workflow's details reaches this workflow and no other.
 * Carried in workflow inputs so that the details are a deterministic function of the history; it
 * holds an address and a namespace only, never a credential or API key.
 *
 * @param address the frontend's host:port as the CLI dials it; null when not reachable by the CLI
 *     (Temporal's in-memory test server)
 * @param namespace the namespace
 */
public record TemporalEndpoint(String address, String namespace) {
  // Both end up inside Markdown code spans: no spaces, backticks or shell metacharacters.
  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._\\-\\[\\]:]{1,255}");
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._\\-]{1,255}");

  public TemporalEndpoint {
    if (address != null && !ADDRESS.matcher(address).matches()) {
      throw new IllegalArgumentException(
          "temporal.address: expected host:port of at most 255 characters, got '"
              + abbreviate(address)
              + "'");
    }
    if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          "temporal.namespace: expected a namespace name of at most 255 letters, digits, '.', '_'"
              + " or '-', got '"
              + abbreviate(namespace)
              + "'");
    }
  }

  /**
   * The endpoint of a client's gRPC target and namespace; a target the CLI's {@code --address}
   * cannot take as it is (an in-process server's null, a "dns:///" URI) names no address.
   */
  public static TemporalEndpoint ofTarget(String target, String namespace) {
    boolean usable = target != null && ADDRESS.matcher(target).matches();
    return new TemporalEndpoint(usable ? target : null, namespace);
  }

  /** The Temporal CLI flags that reach this endpoint, each preceded by a space. */
  public String cliFlags() {
    return (address == null ? "" : " --address " + address) + " --namespace " + namespace;
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}

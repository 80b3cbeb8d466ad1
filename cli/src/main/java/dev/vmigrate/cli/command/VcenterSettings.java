package dev.vmigrate.cli.command;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options that describe a vCenter connection, shared by {@code vcenter add} and {@code vcenter
 * update}. The password is never given here: {@code --credentials} names where the API finds it.
 */
public class VcenterSettings {
  @Option(names = "--url", required = true, description = "SDK endpoint, e.g. https://vc01/sdk.")
  String url;

  @Option(
      names = "--credentials",
      required = true,
      paramLabel = "REF",
      description = "Where the API reads the login: config:KEY or file:/path/to/secret.")
  String credentialsRef;

  @Option(names = "--thumbprint", description = "Pinned SHA-256 certificate thumbprint.")
  String thumbprint;

  @Option(names = "--trust-store", paramLabel = "PATH", description = "PKCS#12 trust store.")
  String trustStore;

  @Option(names = "--insecure", description = "Skip TLS verification (logged by the server).")
  boolean insecure;

  /** The API's body for the connection with this id. */
  Map<String, Object> body(String id) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("url", url);
    body.put("thumbprint", thumbprint);
    body.put("trustStore", trustStore);
    body.put("insecure", insecure);
    body.put("credentialsRef", credentialsRef);
    return body;
  }
}

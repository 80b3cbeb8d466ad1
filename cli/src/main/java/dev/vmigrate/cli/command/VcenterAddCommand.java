package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import io.micronaut.context.annotation.Prototype;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vmigrate vcenter add}: registers a vCenter connection. The password is never given here:
 * {@code --credentials} names where the API finds it.
 */
@Prototype
@Command(name = "add", description = "Register a vCenter connection.")
public class VcenterAddCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The vCenter's id, e.g. vc01.")
  String id;

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

  @Override
  protected void execute() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("url", url);
    body.put("thumbprint", thumbprint);
    body.put("trustStore", trustStore);
    body.put("insecure", insecure);
    body.put("credentialsRef", credentialsRef);
    JsonNode v = api().post(ApiPaths.vcenters(), body);
    if (jsonOutput()) {
      printJson(v);
    } else {
      out().println("vCenter " + text(v, "id") + " registered at " + text(v, "url"));
    }
  }
}

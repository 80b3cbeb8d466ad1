package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.cli.output.Table;
import io.micronaut.context.annotation.Prototype;
import picocli.CommandLine.Command;

/** {@code vmigrate vcenter list}. */
@Prototype
@Command(name = "list", description = "List vCenter connections.")
public class VcenterListCommand extends ClientCommand {
  @Override
  protected void execute() {
    JsonNode list = api().get(ApiPaths.vcenters());
    if (jsonOutput()) {
      printJson(list);
      return;
    }
    Table t = new Table("ID", "URL", "TLS", "CREDENTIALS", "CONNECTION");
    for (JsonNode v : list) {
      t.row(
          text(v, "id"), text(v, "url"), tls(v), text(v, "credentialsRef"), text(v, "connection"));
    }
    t.print(out());
  }

  public static String tls(JsonNode v) {
    // A plain-http vCenter (a simulator) has no TLS to verify at all.
    if (v.path("url").asText("").toLowerCase(java.util.Locale.ROOT).startsWith("http://")) {
      return "none (http)";
    }
    if (v.path("insecure").asBoolean(false)) {
      return "NOT VERIFIED";
    }
    if (v.hasNonNull("thumbprint")) {
      return "pinned thumbprint";
    }
    return v.hasNonNull("trustStore") ? "trust store" : "system trust";
  }
}

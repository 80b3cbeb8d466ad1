package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import io.micronaut.context.annotation.Prototype;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vmigrate vcenter show ID}. */
@Prototype
@Command(name = "show", description = "Show a vCenter connection.")
public class VcenterShowCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The vCenter's id.")
  String id;

  @Override
  protected void execute() {
    JsonNode v = api().get(ApiPaths.vcenter(id));
    if (jsonOutput()) {
      printJson(v);
      return;
    }
    out().printf("vCenter %s%n", text(v, "id"));
    out().printf("  url          %s%n", text(v, "url"));
    out().printf("  TLS          %s%n", VcenterListCommand.tls(v));
    out().printf("  credentials  %s%n", text(v, "credentialsRef"));
    out().printf("  connection   %s%n", text(v, "connection"));
    out().printf("  updated      %s%n", text(v, "updatedAt"));
  }
}

package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import io.micronaut.context.annotation.Prototype;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code vmigrate vcenter update}: replaces a connection's settings, as {@code add} gives them. */
@Prototype
@Command(name = "update", description = "Replace a vCenter connection's settings.")
public class VcenterUpdateCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The vCenter's id.")
  String id;

  @Mixin VcenterSettings settings;

  @Override
  protected void execute() {
    JsonNode v = api().put(ApiPaths.vcenter(id), settings.body(id));
    if (jsonOutput()) {
      printJson(v);
    } else {
      out().println("vCenter " + text(v, "id") + " updated: " + text(v, "url"));
    }
  }
}

package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import io.micronaut.context.annotation.Prototype;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin VcenterSettings settings;

  @Override
  protected void execute() {
    JsonNode v = api().post(ApiPaths.vcenters(), settings.body(id));
    if (jsonOutput()) {
      printJson(v);
    } else {
      out().println("vCenter " + text(v, "id") + " registered at " + text(v, "url"));
    }
  }
}

package dev.vmigrate.cli.command;

import dev.vmigrate.cli.client.ApiPaths;
import io.micronaut.context.annotation.Prototype;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vmigrate vcenter|mapping|plan delete}: one command under each group, which decides what it
 * deletes. The API refuses (409, exit code 4) to delete what something still needs, such as a
 * mapping a plan uses or a plan whose request is still running.
 */
@Prototype
@Command(name = "delete", description = "Delete it by id or name.")
public class DeleteCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "Its id or name.")
  String target;

  @Override
  protected void execute() {
    String group = spec.parent().name();
    String path =
        switch (group) {
          case "vcenter" -> ApiPaths.vcenter(target);
          case "mapping" -> ApiPaths.mapping(target);
          case "plan" -> ApiPaths.plan(target);
          default -> throw new IllegalStateException("delete under " + group);
        };
    api().delete(path);
    String kind = group.equals("vcenter") ? "vCenter" : group;
    if (jsonOutput()) {
      printJson(json.createObjectNode().put("deleted", target).put("kind", kind));
    } else {
      out().println(kind + " " + target + " deleted");
    }
  }
}

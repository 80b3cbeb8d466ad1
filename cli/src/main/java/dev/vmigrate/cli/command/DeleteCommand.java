package dev.vmigrate.cli.command;

import dev.vmigrate.cli.CliException;
import dev.vmigrate.cli.client.ApiPaths;
import io.micronaut.context.annotation.Prototype;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vmigrate vcenter|mapping|plan delete}: one command under each group, which decides what it
 * deletes. The API refuses (409, exit code 4) to delete what something still needs, such as a
 * mapping a plan uses or a plan whose request is still running. A plan that was ordered is archived
 * rather than deleted, so that its requests stay readable; the command says which it was.
 */
@Prototype
@Command(name = "delete", description = "Delete it by id or name.")
public class DeleteCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "Its id or name.")
  String target;

  /** Whether the plan just deleted is still there, archived. */
  private boolean archived(String path) {
    try {
      return api().get(path).hasNonNull("archivedAt");
    } catch (CliException gone) {
      return false;
    }
  }

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
    boolean archived = group.equals("plan") && archived(path);
    if (jsonOutput()) {
      var answer = json.createObjectNode().put("deleted", target).put("kind", kind);
      if (archived) {
        answer.put("archived", true);
      }
      printJson(answer);
    } else if (archived) {
      out()
          .println(
              "plan "
                  + target
                  + " archived: it has requests, which stay readable (vmigrate plan list"
                  + " --archived)");
    } else {
      out().println(kind + " " + target + " deleted");
    }
  }
}

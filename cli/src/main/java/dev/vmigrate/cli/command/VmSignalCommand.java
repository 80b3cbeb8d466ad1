package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import io.micronaut.context.annotation.Prototype;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Sends one of the migration workflow's operator actions through the API, which sends it as the
 * workflow's Update of that name: the migration answers what it will do, or refuses an action its
 * state does not take with the reason (409, exit code 4). The names are the workflow's own, so
 * {@code temporal workflow signal --name pause} sends the same action as a signal (one that does
 * not apply is then recorded as ignored in the migration's details).
 */
public abstract class VmSignalCommand extends ClientCommand {
  @Mixin VmTarget target;

  /** The workflow signal this command sends. */
  protected abstract String signal();

  @Override
  protected void execute() {
    // The API resolves the VM as given (moref, instance UUID or name): 404 or 409 name the problem.
    JsonNode r = api().post(ApiPaths.vmSignal(target.requestId, target.vm, signal()), Map.of());
    if (jsonOutput()) {
      printJson(r);
    } else {
      String answer = text(r, "answer");
      out()
          .println(
              answer == null || answer.isEmpty()
                  ? "sent " + signal() + " to " + text(r, "migrationId")
                  : text(r, "migrationId") + ": " + answer);
    }
  }

  /** {@code vmigrate vm pause}. */
  @Prototype
  @Command(name = "pause", description = "Stop before the next action until resumed.")
  public static class Pause extends VmSignalCommand {
    @Override
    protected String signal() {
      return "pause";
    }
  }

  /** {@code vmigrate vm resume}. */
  @Prototype
  @Command(
      name = "resume",
      description = "Continue a paused migration, or retry the failed action of a held one.")
  public static class Resume extends VmSignalCommand {
    @Override
    protected String signal() {
      return "resume";
    }
  }

  /** {@code vmigrate vm rollback}. */
  @Prototype
  @Command(name = "rollback", description = "Undo the migration's steps in reverse order.")
  public static class Rollback extends VmSignalCommand {
    @Override
    protected String signal() {
      return "rollback";
    }
  }

  /** {@code vmigrate vm confirm}. */
  @Prototype
  @Command(name = "confirm", description = "Finalise a migration waiting in VERIFYING.")
  public static class Confirm extends VmSignalCommand {
    @Override
    protected String signal() {
      return "confirm";
    }
  }
}

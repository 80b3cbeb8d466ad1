package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vmigrate.cli.CliException;
import dev.vmigrate.cli.ExitCode;
import dev.vmigrate.cli.client.ApiPaths;
import io.micronaut.context.annotation.Prototype;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Sends {@code pause}, {@code resume} or {@code cancel} to a request's workflow through the API.
 * The workflow records paused and active in the request itself when it acts on the signal, so pause
 * and resume wait (briefly, by default) until the request reads so.
 */
public abstract class RequestSignalCommand extends ClientCommand {
  private static final Duration POLL = Duration.ofMillis(200);

  @Parameters(index = "0", paramLabel = "REQUEST", description = "The request's id.")
  String requestId;

  @Option(
      names = "--wait",
      defaultValue = "PT10S",
      paramLabel = "DURATION",
      description =
          "How long to wait for the request to read the new state (ISO-8601, default"
              + " ${DEFAULT-VALUE}; PT0S does not wait).")
  Duration wait;

  private final String signal;
  private final String awaitedState;

  /**
   * @param signal the workflow signal this command sends
   * @param awaitedState the request state the signal leads to, or null when none is awaited
   */
  protected RequestSignalCommand(String signal, String awaitedState) {
    this.signal = signal;
    this.awaitedState = awaitedState;
  }

  @Override
  protected void execute() {
    JsonNode sent = api().post(ApiPaths.requestSignal(requestId, signal), Map.of());
    String state = awaitedState == null ? null : awaitState();
    if (jsonOutput()) {
      ObjectNode answer = sent.deepCopy();
      answer.put("request_state", state);
      printJson(answer);
    } else if (state == null) {
      out().println("sent " + signal + " to request " + requestId);
    } else if (state.equals(awaitedState)) {
      out().println("request " + requestId + " is " + state);
    } else {
      out()
          .println(
              "sent "
                  + signal
                  + " to request "
                  + requestId
                  + "; it still reads "
                  + state
                  + " (the workflow records "
                  + awaitedState
                  + " when it acts on the signal)");
    }
  }

  /** Polls the request until it reads the awaited state or finished, or the wait is over. */
  private String awaitState() {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      String state = text(api().get(ApiPaths.request(requestId)), "request_state");
      if (awaitedState.equals(state) || "finished".equals(state)) {
        return state;
      }
      if (System.nanoTime() >= deadline) {
        return state;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(ExitCode.FAILURE, "interrupted");
      }
    }
  }

  /** {@code vmigrate request pause}. */
  @Prototype
  @Command(
      name = "pause",
      description = {
        "Stop admitting the request's VMs; migrations already running go on.",
        "The request reads paused once its workflow acted on the signal."
      })
  public static class Pause extends RequestSignalCommand {
    public Pause() {
      super("pause", "paused");
    }
  }

  /** {@code vmigrate request resume}. */
  @Prototype
  @Command(name = "resume", description = "Admit the paused request's VMs again.")
  public static class Resume extends RequestSignalCommand {
    public Resume() {
      super("resume", "active");
    }
  }

  /** {@code vmigrate request cancel}. */
  @Prototype
  @Command(
      name = "cancel",
      description = {
        "Cancel the request: admit no more VMs and roll back the running migrations.",
        "Follow it with `vmigrate request status REQUEST --watch`."
      })
  public static class Cancel extends RequestSignalCommand {
    public Cancel() {
      super("cancel", null);
    }
  }
}

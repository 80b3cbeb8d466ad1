package dev.vmigrate.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.cli.CliException;
import dev.vmigrate.cli.ExitCode;
import dev.vmigrate.cli.client.ApiClient;
import dev.vmigrate.cli.client.ApiPaths;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * Polls a request until it ends, redrawing its progress in place on a terminal, or printing a frame
 * per change when the output is a file or a pipe; JSON mode prints one JSON line per change.
 */
public final class RequestWatcher {
  private final ApiClient api;
  private final PrintWriter out;

  /** {@link #out} for text from the API; the cursor movements go to {@code out} itself. */
  private final PrintWriter text;

  private final ObjectMapper jsonLines;
  private final boolean ansi;

  /**
   * @param jsonLines a mapper to print JSON lines with, or null for text frames
   */
  public RequestWatcher(ApiClient api, PrintWriter out, ObjectMapper jsonLines) {
    this(api, out, jsonLines, System.console() != null && System.getenv("TERM") != null);
  }

  public RequestWatcher(ApiClient api, PrintWriter out, ObjectMapper jsonLines, boolean ansi) {
    this.api = api;
    this.out = out;
    this.text = jsonLines != null ? out : TerminalText.writer(out);
    this.jsonLines = jsonLines;
    this.ansi = ansi;
  }

  /**
   * Follows the request until it ends, or until every VM is finished or held for an operator;
   * returns 0 when no VM failed, 1 when one did, 6 (held) when VMs wait for an operator.
   */
  public int watch(String requestId, Duration interval) {
    int drawn = 0;
    String last = null;
    JsonNode request;
    while (true) {
      request = api.get(ApiPaths.request(requestId));
      if (jsonLines != null) {
        String line = request.toString();
        if (!line.equals(last)) {
          out.println(line);
          out.flush();
          last = line;
        }
      } else {
        List<String> frame = RequestView.lines(request);
        String shown = String.join("\n", frame);
        if (ansi) {
          // Move up over the previous frame and clear it, so the bars update in place.
          out.print(drawn > 0 ? "\u001b[" + drawn + "F\u001b[J" : "");
          text.println(shown);
          drawn = frame.size();
        } else if (!shown.equals(last)) {
          text.println(shown);
        }
        out.flush();
        last = shown;
      }
      if (RequestView.finished(request)) {
        break;
      }
      if (RequestView.held(request)) {
        // Nothing moves until an operator acts: say who waits and how to let it go on.
        if (jsonLines == null) {
          text.println();
          RequestView.summary(request, text);
          text.println();
          RequestView.heldVms(request, text);
          out.flush();
        }
        return ExitCode.HELD.code();
      }
      sleep(interval);
    }
    if (jsonLines == null) {
      text.println();
      RequestView.summary(request, text);
      out.flush();
    }
    for (JsonNode t : request.path("tasks")) {
      if (t.path("state").asText().equals("failed")) {
        return ExitCode.FAILURE.code();
      }
    }
    return ExitCode.OK.code();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.FAILURE, "interrupted");
    }
  }
}

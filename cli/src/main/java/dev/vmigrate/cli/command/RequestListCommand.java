package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.cli.output.RequestView;
import dev.vmigrate.cli.output.Table;
import io.micronaut.context.annotation.Prototype;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vmigrate request list [--plan PLAN]}: requests, newest first. */
@Prototype
@Command(
    name = "list",
    description =
        "List requests, newest first: approval, state (active, paused, ...) and progress.")
public class RequestListCommand extends ClientCommand {
  @Option(
      names = "--plan",
      paramLabel = "PLAN",
      description = "Only the requests of this plan (id or name).")
  String plan;

  @Override
  protected void execute() {
    JsonNode list = api().get(plan == null ? ApiPaths.requests() : ApiPaths.planRequests(plan));
    if (jsonOutput()) {
      printJson(list);
      return;
    }
    Table t = new Table("ID", "PLAN", "APPROVAL", "STATE", "STATUS", "DONE", "CREATED", "MESSAGE");
    for (JsonNode r : list) {
      t.row(
          text(r, "id"),
          text(r, "planName"),
          text(r, "approval_state"),
          text(r, "request_state"),
          text(r, "status"),
          done(r.path("counts")),
          text(r, "createdAt"),
          text(r, "message"));
    }
    t.print(out());
  }

  /** "done/total" of a request's VM counts, done being a final state. */
  static String done(JsonNode counts) {
    int total = 0;
    int done = 0;
    for (var it = counts.fields(); it.hasNext(); ) {
      var e = it.next();
      total += e.getValue().asInt();
      done += RequestView.FINAL_TASK_STATES.contains(e.getKey()) ? e.getValue().asInt() : 0;
    }
    return done + "/" + total;
  }
}

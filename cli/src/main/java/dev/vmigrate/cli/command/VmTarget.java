package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.CliException;
import dev.vmigrate.cli.ExitCode;
import dev.vmigrate.cli.client.ApiClient;
import dev.vmigrate.cli.client.ApiPaths;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Parameters;

/** The VM of a request a {@code vm} command acts on, named by managed object id, name or UUID. */
public class VmTarget {
  @Parameters(index = "0", paramLabel = "REQUEST", description = "The request's id.")
  String requestId;

  @Parameters(
      index = "1",
      paramLabel = "VM",
      description = "The VM's managed object id, name or instance UUID.")
  String vm;

  /**
   * The request's task for this VM, found as the API finds it: by managed object id, else instance
   * UUID, else name. Exit code 3 when the request has no such VM, 4 when several VMs have the name.
   */
  JsonNode task(ApiClient api) {
    JsonNode request = api.get(ApiPaths.request(requestId));
    List<JsonNode> tasks = new ArrayList<>();
    request.path("tasks").forEach(tasks::add);
    for (JsonNode t : tasks) {
      if (vm.equals(t.path("vmId").asText())) {
        return t;
      }
    }
    for (JsonNode t : tasks) {
      if (vm.equalsIgnoreCase(t.path("instanceUuid").asText())) {
        return t;
      }
    }
    List<JsonNode> named = tasks.stream().filter(t -> vm.equals(t.path("name").asText())).toList();
    if (named.size() > 1) {
      throw new CliException(
          ExitCode.CONFLICT,
          named.size()
              + " VMs of request "
              + requestId
              + " are named '"
              + vm
              + "': "
              + String.join(
                  ", ",
                  named.stream()
                      .map(
                          t ->
                              t.path("vmId").asText()
                                  + " (instance UUID "
                                  + t.path("instanceUuid").asText()
                                  + ")")
                      .toList())
              + "; name one by its managed object id or instance UUID");
    }
    if (named.isEmpty()) {
      throw new CliException(
          ExitCode.NOT_FOUND, "request " + requestId + " has no VM '" + vm + "'");
    }
    return named.get(0);
  }
}

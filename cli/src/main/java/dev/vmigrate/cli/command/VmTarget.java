package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.CliException;
import dev.vmigrate.cli.ExitCode;
import dev.vmigrate.cli.client.ApiClient;
import dev.vmigrate.cli.client.ApiPaths;
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

  /** The request's task for this VM; exit code 3 when the request has no such VM. */
  JsonNode task(ApiClient api) {
    JsonNode request = api.get(ApiPaths.request(requestId));
    for (JsonNode t : request.path("tasks")) {
      if (vm.equals(t.path("vmId").asText())
          || vm.equals(t.path("name").asText())
          || vm.equalsIgnoreCase(t.path("instanceUuid").asText())) {
        return t;
      }
    }
    throw new CliException(ExitCode.NOT_FOUND, "request " + requestId + " has no VM '" + vm + "'");
  }
}

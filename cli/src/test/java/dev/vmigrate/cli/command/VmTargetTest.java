package dev.vmigrate.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.cli.CliException;
import dev.vmigrate.cli.ExitCode;
import dev.vmigrate.cli.client.ApiClient;
import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** A {@code vm} command finds its VM as the API does: moref, then instance UUID, then name. */
class VmTargetTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String REQUEST =
      "{\"tasks\":["
          + "{\"vmId\":\"vm-1\",\"name\":\"twin\",\"instanceUuid\":\"5001-AA\"},"
          + "{\"vmId\":\"vm-2\",\"name\":\"twin\",\"instanceUuid\":\"5002-bb\"},"
          + "{\"vmId\":\"vm-3\",\"name\":\"vm-1\",\"instanceUuid\":\"5003-cc\"}]}";

  private static JsonNode task(String vm) {
    ApiClient api =
        new ApiClient(URI.create("http://127.0.0.1:1"), null, JSON, null) {
          @Override
          public JsonNode get(String path) {
            assertEquals("/requests/r1", path);
            try {
              return JSON.readTree(REQUEST);
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
          }
        };
    VmTarget t = new VmTarget();
    t.requestId = "r1";
    t.vm = vm;
    return t.task(api);
  }

  @Test
  void aVmIsFoundByMorefInstanceUuidOrName() {
    assertEquals("vm-1", task("vm-1").get("vmId").asText(), "a moref before a name");
    assertEquals("vm-1", task("5001-aa").get("vmId").asText());
    assertEquals("vm-2", task("5002-BB").get("vmId").asText());
  }

  @Test
  void aSharedNameIsAConflictListingTheCandidatesAndAnUnknownOneNotFound() {
    CliException twin = assertThrows(CliException.class, () -> task("twin"));
    assertEquals(ExitCode.CONFLICT, twin.exitCode());
    assertEquals(
        "2 VMs of request r1 are named 'twin': vm-1 (instance UUID 5001-AA), vm-2 (instance UUID"
            + " 5002-bb); name one by its managed object id or instance UUID",
        twin.getMessage());
    CliException none = assertThrows(CliException.class, () -> task("nope"));
    assertEquals(ExitCode.NOT_FOUND, none.exitCode());
    assertEquals("request r1 has no VM 'nope'", none.getMessage());
  }
}

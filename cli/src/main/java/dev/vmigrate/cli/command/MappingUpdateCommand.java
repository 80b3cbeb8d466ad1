package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import io.micronaut.context.annotation.Prototype;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vmigrate mapping update MAPPING}: the mapping as it is, with what the file and the options
 * give in its place (a repeated option such as {@code --datastore} replaces that whole list).
 */
@Prototype
@Command(name = "update", description = "Change an infrastructure mapping.")
public class MappingUpdateCommand extends MappingCreateCommand {
  /** The fields a mapping's body has; the view's id and times are not among them. */
  private static final List<String> BODY =
      List.of("name", "sourceVcenter", "destinationVcenter", "clusters", "datastores", "networks");

  @Parameters(index = "0", paramLabel = "MAPPING", description = "The mapping's id or name.")
  String mapping;

  @Override
  protected Map<String, Object> start() {
    JsonNode current = api().get(ApiPaths.mapping(mapping));
    Map<String, Object> body = new LinkedHashMap<>();
    for (String field : BODY) {
      body.put(field, json.convertValue(current.get(field), Object.class));
    }
    return body;
  }

  @Override
  protected JsonNode submit(Map<String, Object> body) {
    return api().put(ApiPaths.mapping(mapping), body);
  }

  @Override
  protected String done() {
    return "updated";
  }
}

package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.cli.output.Sizes;
import dev.vmigrate.cli.output.Table;
import io.micronaut.context.annotation.Prototype;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vmigrate inventory list VCENTER [--kind vms|hosts|datastores|clusters|networks]}. */
@Prototype
@Command(name = "list", description = "List the VMs, hosts, datastores, clusters or networks.")
public class InventoryListCommand extends ClientCommand {
  /** What to list. */
  public enum Kind {
    vms,
    hosts,
    datastores,
    clusters,
    networks
  }

  @Parameters(index = "0", paramLabel = "VCENTER", description = "The vCenter's id.")
  String vcenter;

  @Option(
      names = "--kind",
      defaultValue = "vms",
      description = "One of ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  Kind kind;

  @Override
  protected void execute() {
    JsonNode inv = api().get(ApiPaths.inventory(vcenter));
    JsonNode items = inv.path(kind.name());
    if (jsonOutput()) {
      printJson(items);
      return;
    }
    Map<String, String> names = names(inv);
    Table t =
        switch (kind) {
          case vms -> vms(items, names);
          case hosts -> hosts(items, names);
          case datastores -> datastores(items);
          case clusters -> named(items, "ID", "NAME");
          case networks -> named(items, "ID", "NAME");
        };
    t.print(out());
  }

  // Managed object ids to names, so that tables show "esx-01-01" rather than "host-13".
  private static Map<String, String> names(JsonNode inv) {
    Map<String, String> names = new HashMap<>();
    for (String kind : new String[] {"clusters", "hosts", "datastores", "networks"}) {
      for (JsonNode n : inv.path(kind)) {
        names.put(n.path("id").asText(), n.path("name").asText());
      }
    }
    return names;
  }

  private static String name(Map<String, String> names, String id) {
    return id == null ? null : names.getOrDefault(id, id);
  }

  private static Table vms(JsonNode items, Map<String, String> names) {
    Table t = new Table("ID", "NAME", "POWER", "CPU", "MEMORY", "DISKS", "HOST");
    for (JsonNode vm : items) {
      long disk = 0;
      for (JsonNode d : vm.path("disks")) {
        disk += d.path("capacityBytes").asLong(0);
      }
      t.row(
          text(vm, "id"),
          text(vm, "name"),
          text(vm, "powerState"),
          text(vm, "cpus"),
          vm.has("memoryMb") ? Sizes.bytes(vm.path("memoryMb").asLong() << 20) : null,
          vm.path("disks").size() + " / " + Sizes.bytes(disk),
          name(names, text(vm, "host")));
    }
    return t;
  }

  private static Table hosts(JsonNode items, Map<String, String> names) {
    Table t = new Table("ID", "NAME", "CLUSTER", "CONNECTION", "MAINTENANCE");
    for (JsonNode h : items) {
      t.row(
          text(h, "id"),
          text(h, "name"),
          name(names, text(h, "cluster")),
          text(h, "connectionState"),
          h.path("inMaintenanceMode").asBoolean() ? "yes" : "no");
    }
    return t;
  }

  private static Table datastores(JsonNode items) {
    Table t = new Table("ID", "NAME", "CAPACITY", "FREE");
    for (JsonNode d : items) {
      t.row(
          text(d, "id"),
          text(d, "name"),
          d.has("capacityBytes") ? Sizes.bytes(d.path("capacityBytes").asLong()) : null,
          d.has("freeBytes") ? Sizes.bytes(d.path("freeBytes").asLong()) : null);
    }
    return t;
  }

  private static Table named(JsonNode items, String... headers) {
    Table t = new Table(headers);
    for (JsonNode n : items) {
      t.row(text(n, "id"), text(n, "name"));
    }
    return t;
  }
}

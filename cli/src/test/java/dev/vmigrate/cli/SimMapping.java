package dev.vmigrate.cli;

import java.util.ArrayList;
import java.util.List;

/** The test vCenter "sim" as the cli tests register and map it, as command-line arguments. */
final class SimMapping {
  private SimMapping() {}

  /** {@code vcenter add sim}. */
  static String[] addVcenter() {
    return new String[] {
      "vcenter",
      "add",
      "sim",
      "--url",
      "https://sim.vmigrate.invalid/sdk",
      "--credentials",
      "config:sim"
    };
  }

  /**
   * {@code mapping create}: the mapping that swaps sim's two clusters, keeps the networks and maps
   * the datastores as given ({@code SRC=DST}), by default each to the next one.
   */
  static String[] create(String name, String... datastores) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "mapping",
                "create",
                "--name",
                name,
                "--source",
                "sim",
                "--destination",
                "sim",
                "--cluster",
                "cluster-01=cluster-02",
                "--cluster",
                "cluster-02=cluster-01"));
    List<String> pairs =
        datastores.length > 0
            ? List.of(datastores)
            : List.of(
                "datastore-01=datastore-02",
                "datastore-02=datastore-03",
                "datastore-03=datastore-01");
    for (String p : pairs) {
      args.add("--datastore");
      args.add(p);
    }
    for (String n : List.of("VM Network", "dvpg-web", "dvpg-app", "dvpg-db")) {
      args.add("--network");
      args.add(n + "=" + n);
    }
    return args.toArray(String[]::new);
  }
}

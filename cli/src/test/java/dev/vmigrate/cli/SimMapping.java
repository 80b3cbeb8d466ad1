package dev.vmigrate.cli;

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

  /** {@code mapping create}: the mapping that swaps sim's two clusters. */
  static String[] create(String name) {
    return new String[] {
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
      "cluster-02=cluster-01",
      "--datastore",
      "datastore-01=datastore-02",
      "--datastore",
      "datastore-02=datastore-03",
      "--datastore",
      "datastore-03=datastore-01",
      "--network",
      "VM Network=VM Network",
      "--network",
      "dvpg-web=dvpg-web",
      "--network",
      "dvpg-app=dvpg-app",
      "--network",
      "dvpg-db=dvpg-db"
    };
  }
}

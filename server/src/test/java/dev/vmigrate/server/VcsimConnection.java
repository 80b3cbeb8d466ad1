package dev.vmigrate.server;

import dev.vmigrate.vsphere.vcsim.VcsimExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The configuration of a process whose vCenter "vc-sim" is the given vcsim, without workers. */
public final class VcsimConnection {
  private VcsimConnection() {}

  /**
   * Properties naming vcsim as vCenter "vc-sim" (its password in a file under {@code dir}), with
   * the migration and ledger workers off; the caller adds its database and the rest.
   */
  public static Map<String, Object> properties(VcsimExtension vcsim, Path dir) throws IOException {
    Path password = dir.resolve("password");
    Files.writeString(password, "pass");
    Map<String, Object> p = new HashMap<>();
    p.put("vmigrate.vcenters.vc-sim.url", vcsim.url().toString());
    p.put("vmigrate.vcenters.vc-sim.username", "user");
    p.put("vmigrate.vcenters.vc-sim.password-file", password.toString());
    if (!vcsim.thumbprint().isEmpty()) {
      p.put("vmigrate.vcenters.vc-sim.thumbprint", vcsim.thumbprint());
    }
    p.put("vmigrate.worker.enabled", false);
    p.put("vmigrate.ledger-worker.enabled", false);
    return p;
  }
}

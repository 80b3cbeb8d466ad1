package dev.vmigrate.server;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs a {@link DevTemporal} in a JVM of its own until killed, so a test can kill that JVM and see
 * what becomes of the child. Arguments: data directory, gRPC port, UI port.
 */
public final class DevTemporalMain {
  private DevTemporalMain() {}

  public static void main(String[] args) throws InterruptedException {
    DevTemporal t =
        DevTemporal.start(
            new DevTemporal.Settings(
                DevTemporal.binary(System.getenv("VMIGRATE_TEMPORAL_BIN")),
                Path.of(args[0]),
                "127.0.0.1",
                Integer.parseInt(args[1]),
                Integer.parseInt(args[2]),
                "default",
                Duration.ofDays(3)));
    System.out.println("READY " + t.processHandle().pid());
    System.out.flush();
    Thread.currentThread().join();
  }
}

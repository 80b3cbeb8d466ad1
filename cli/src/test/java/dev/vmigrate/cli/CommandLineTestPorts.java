package dev.vmigrate.cli;

import java.io.IOException;

/** Free ports for tests in other packages. */
public final class CommandLineTestPorts {
  private CommandLineTestPorts() {}

  public static int free() throws IOException {
    return CommandLineTest.freePort();
  }
}

package dev.vmigrate.server;

import java.io.IOException;
import java.net.ServerSocket;

/** Free TCP ports for tests that start servers; shared with the cli module's tests. */
public final class TestPorts {
  private TestPorts() {}

  public static int free() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

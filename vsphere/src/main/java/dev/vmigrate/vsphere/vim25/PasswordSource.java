package dev.vmigrate.vsphere.vim25;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a vCenter password comes from, read only when logging in so that it is not kept in
 * configuration objects, logs or {@code toString()} output.
 */
@FunctionalInterface
public interface PasswordSource {

  /** The password; callers must not log it. */
  String password();

  /** A password given in configuration. */
  static PasswordSource of(String password) {
    return new PasswordSource() {
      @Override
      public String password() {
        return password;
      }

      @Override
      public String toString() {
        return "PasswordSource[****]";
      }
    };
  }

  /**
   * A password read from a secret file (e.g. a mounted Kubernetes or Docker secret) at each login,
   * so a rotated secret is picked up; a trailing line break is dropped.
   */
  static PasswordSource ofSecretFile(Path file) {
    return new PasswordSource() {
      @Override
      public String password() {
        try {
          String s = Files.readString(file, StandardCharsets.UTF_8);
          return s.endsWith("\r\n")
              ? s.substring(0, s.length() - 2)
              : s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the vCenter secret file " + file, e);
        }
      }

      @Override
      public String toString() {
        return "PasswordSource[file=" + file + "]";
      }
    };
  }
}

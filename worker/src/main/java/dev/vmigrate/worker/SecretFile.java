package dev.vmigrate.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a secret from a file (a Docker or Kubernetes secret mount), trimming the final newline. */
public final class SecretFile {
  private SecretFile() {}

  /**
   * The file's content.
   *
   * @param field the configuration key, named in the error so an operator knows what to fix
   * @throws IllegalStateException naming the field and the path (never the content) when unreadable
   *     or empty
   */
  public static char[] read(String field, String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalStateException(field + ": is required (a file holding the secret)");
    }
    try {
      String s = Files.readString(Path.of(path), StandardCharsets.UTF_8).strip();
      if (s.isEmpty()) {
        throw new IllegalStateException(field + ": file " + path + " is empty");
      }
      return s.toCharArray();
    } catch (IOException e) {
      throw new IllegalStateException(field + ": cannot read " + path + " (" + e + ")", e);
    }
  }
}

package dev.vmigrate.cli.command;

import dev.vmigrate.cli.CliException;
import dev.vmigrate.cli.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/** Reads the files users hand to the CLI: YAML or JSON bodies, CSV or YAML VM lists. */
final class Documents {
  private Documents() {}

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCode.USAGE, "no such file: " + file);
    } catch (IOException e) {
      throw new CliException(ExitCode.FAILURE, "cannot read " + file + ": " + e.getMessage());
    }
  }

  /** A YAML (or JSON, which is YAML) document whose top level is a map. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> yamlMap(Path file) {
    try {
      Object doc = new Yaml().load(read(file));
      if (doc instanceof Map<?, ?> m) {
        return (Map<String, Object>) m;
      }
      throw new CliException(ExitCode.USAGE, file + ": the top level must be a map");
    } catch (YAMLException e) {
      throw new CliException(
          ExitCode.USAGE, file + ": malformed YAML: " + e.getMessage().split("\n")[0]);
    }
  }

  /** The whole file as bytes (a workbook). */
  static byte[] readBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCode.USAGE, "no such file: " + file);
    } catch (IOException e) {
      throw new CliException(ExitCode.FAILURE, "cannot read " + file + ": " + e.getMessage());
    }
  }

  /** The media type of an .xlsx workbook. */
  static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

  /** The media type the API expects for a VM list file, from its extension. */
  static String vmListType(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".xlsx")) {
      return XLSX;
    }
    if (name.endsWith(".csv")) {
      return "text/csv";
    }
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      return "application/yaml";
    }
    throw new CliException(ExitCode.USAGE, file + ": expected a .csv, .xlsx, .yaml or .yml file");
  }

  /** Splits {@code SRC=DST}. */
  static String[] pair(String option, String value) {
    int eq = value.indexOf('=');
    if (eq <= 0 || eq == value.length() - 1) {
      throw new CliException(ExitCode.USAGE, option + " expects SOURCE=DESTINATION, got " + value);
    }
    return new String[] {value.substring(0, eq), value.substring(eq + 1)};
  }
}

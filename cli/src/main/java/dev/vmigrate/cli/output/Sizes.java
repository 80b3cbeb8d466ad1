package dev.vmigrate.cli.output;

import java.util.Locale;

/** Human-readable byte counts in binary units, as vSphere shows them. */
public final class Sizes {
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

  private Sizes() {}

  public static String bytes(long b) {
    double v = b;
    int u = 0;
    while (v >= 1024 && u < UNITS.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? b + " B" : String.format(Locale.ROOT, "%.1f %s", v, UNITS[u]);
  }
}

package dev.vmigrate.cli.output;

/** A text progress bar such as {@code [########------------] 40%}. */
public final class ProgressBar {
  private ProgressBar() {}

  /** Renders {@code percent} (clamped to 0..100) in a bar of {@code width} cells. */
  public static String render(int percent, int width) {
    int p = Math.max(0, Math.min(100, percent));
    int filled = p * width / 100;
    return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + pad(p) + "%";
  }

  private static String pad(int p) {
    return p < 10 ? "  " + p : p < 100 ? " " + p : String.valueOf(p);
  }
}

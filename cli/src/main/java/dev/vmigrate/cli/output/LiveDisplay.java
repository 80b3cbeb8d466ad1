package dev.vmigrate.cli.output;

import java.io.PrintWriter;
import java.util.List;

/**
 * A block of lines redrawn in place on a terminal, with event lines printed above it. Without a
 * terminal it prints a frame only when it changed and at most every {@code minFrameMillis}.
 */
public final class LiveDisplay {
  private final PrintWriter out;
  private final boolean ansi;
  private final long minFrameMillis;
  private int drawn;
  private String lastFrame = "";
  private long lastPrinted;
  private List<String> current = List.of();

  public LiveDisplay(PrintWriter out, boolean ansi, long minFrameMillis) {
    this.out = out;
    this.ansi = ansi;
    this.minFrameMillis = minFrameMillis;
  }

  /** Whether stdout looks like a terminal that understands cursor movement. */
  public static boolean terminal() {
    return System.console() != null && System.getenv("TERM") != null;
  }

  public synchronized void frame(List<String> lines) {
    current = List.copyOf(lines);
    String text = String.join("\n", lines);
    if (ansi) {
      clear();
      out.println(text);
      drawn = lines.size();
    } else if (!text.equals(lastFrame)
        && System.currentTimeMillis() - lastPrinted >= minFrameMillis) {
      out.println(text);
      lastPrinted = System.currentTimeMillis();
      lastFrame = text;
    }
    out.flush();
  }

  /** Prints a line that stays, above the live block. */
  public synchronized void event(String line) {
    if (ansi) {
      clear();
      out.println(line);
      out.println(String.join("\n", current));
      drawn = current.size();
    } else {
      out.println(line);
    }
    out.flush();
  }

  private void clear() {
    if (drawn > 0) {
      out.print("\u001b[" + drawn + "F\u001b[J");
    }
    drawn = 0;
  }
}

package dev.vmigrate.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain text table with a header row and columns padded to their widest cell. */
public final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... headers) {
    this.headers = List.of(headers);
  }

  /**
   * Adds a row; null cells print as "-". A cell's control characters, line breaks included, are
   * shown visibly here already, so the columns are padded to the width they print at.
   */
  public Table row(Object... cells) {
    List<String> row = new ArrayList<>();
    for (Object c : cells) {
      row.add(
          c == null || String.valueOf(c).isEmpty() ? "-" : TerminalText.visible(String.valueOf(c)));
    }
    rows.add(row);
    return this;
  }

  public int size() {
    return rows.size();
  }

  public void print(PrintWriter out) {
    int[] width = new int[headers.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = headers.get(i).length();
    }
    for (List<String> row : rows) {
      for (int i = 0; i < width.length && i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    line(out, headers, width);
    for (List<String> row : rows) {
      line(out, row, width);
    }
    out.flush();
  }

  private static void line(PrintWriter out, List<String> cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < width.length; i++) {
      String c = i < cells.size() ? cells.get(i) : "";
      sb.append(c);
      if (i < width.length - 1) {
        char[] pad = new char[width[i] - c.length() + 2];
        Arrays.fill(pad, ' ');
        sb.append(pad);
      }
    }
    out.println(sb.toString().stripTrailing());
  }
}

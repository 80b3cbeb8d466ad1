package dev.vmigrate.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Text from the API made safe for the operator's terminal: every control character (C0, DEL, C1) is
 * shown as a visible escape, so a name, message or note the server sends can neither move the
 * cursor, clear the screen, set the window title nor ring the bell. ESC reads {@code \e}, so an
 * escape sequence shows as text ({@code \e[2J}); tab, carriage return and line feed read {@code
 * \t}, {@code \r}, {@code \n}; any other C0 or DEL {@code \x07}; a C1 character a backslash, u and
 * its four hex digits (CSI reads u009b after the backslash), and so does a bidirectional formatting
 * character (RIGHT-TO-LEFT OVERRIDE reads u202e after the backslash).
 *
 * <p>The one place the CLI's text output is made safe: in text mode the API client hands commands
 * answers passed through {@link #visibleTree}, so every name and message they print is escaped,
 * line breaks included; {@link #writer} wraps the table and detail printers' stream and keeps only
 * its line breaks, for text that is not from an answer; {@link #visible} escapes line breaks too.
 */
public final class TerminalText {
  private TerminalText() {}

  /**
   * Whether {@code c} would be taken as a control by a terminal, or would reorder the text around
   * it: the C0 and C1 controls, DEL, and Unicode's bidirectional formatting characters (embeddings
   * and overrides U+202A to U+202E, isolates U+2066 to U+2069, the marks U+200E, U+200F and
   * U+061C), with which a name could make a line read as something else.
   */
  public static boolean control(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200e
        || c == 0x200f
        || c == 0x061c;
  }

  /**
   * A copy of an API answer with every text value and field name made {@link #visible}, line breaks
   * included: what a command prints of it can then neither control the terminal nor start a line of
   * its own. The answer itself is left alone.
   */
  public static JsonNode visibleTree(JsonNode n) {
    if (n == null) {
      return null;
    }
    if (n.isTextual()) {
      String v = visible(n.textValue());
      return v.equals(n.textValue()) ? n : TextNode.valueOf(v);
    }
    if (n.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode(n.size());
      n.forEach(e -> out.add(visibleTree(e)));
      return out;
    }
    if (n.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      n.fields().forEachRemaining(e -> out.set(visible(e.getKey()), visibleTree(e.getValue())));
      return out;
    }
    return n;
  }

  /** The text with every control character, line breaks included, shown visibly; null stays. */
  public static String visible(String s) {
    if (s == null || s.chars().noneMatch(c -> control((char) c))) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      appendVisible(sb, s.charAt(i));
    }
    return sb.toString();
  }

  private static void appendVisible(StringBuilder sb, char c) {
    if (!control(c)) {
      sb.append(c);
      return;
    }
    switch (c) {
      case 0x1b -> sb.append("\\e");
      case '\t' -> sb.append("\\t");
      case '\r' -> sb.append("\\r");
      case '\n' -> sb.append("\\n");
      default ->
          sb.append(
              c < 0x80 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
    }
  }

  /**
   * A writer onto {@code out} that shows every control character but the line feed visibly, for
   * printers that lay out lines themselves. It buffers nothing, so it may be mixed with {@code
   * out}.
   */
  public static PrintWriter writer(PrintWriter out) {
    return new PrintWriter(new Visible(out), true);
  }

  private static final class Visible extends FilterWriter {
    Visible(Writer out) {
      super(out);
    }

    @Override
    public void write(int c) throws IOException {
      write(new char[] {(char) c}, 0, 1);
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
      StringBuilder sb = new StringBuilder(len);
      for (int i = off; i < off + len; i++) {
        char c = buf[i];
        if (c == '\n') {
          sb.append(c);
        } else {
          appendVisible(sb, c);
        }
      }
      out.write(sb.toString());
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
      write(str.toCharArray(), off, len);
    }
  }
}

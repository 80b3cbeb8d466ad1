package dev.vmigrate.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TerminalTextTest {
  @Test
  void showsEveryControlCharacterVisibly() {
    assertEquals(
        "a\\e[2Jb\\x07\\x7f\\u009b\\t\\r\\n\\x00",
        TerminalText.visible("a\u001b[2Jb\u0007\u007f\u009b\t\r\n\u0000"));
    assertEquals("Zürich ✓", TerminalText.visible("Zürich ✓"));
    assertEquals(null, TerminalText.visible(null));
  }

  @Test
  void theWriterKeepsLineBreaksOnly() {
    StringWriter sink = new StringWriter();
    PrintWriter out = TerminalText.writer(new PrintWriter(sink));
    out.printf("plan %s%n", "x\u001b]0;owned\u0007");
    out.println("two\nlines\u0085");
    assertEquals("plan x\\e]0;owned\\x07\ntwo\nlines\\u0085\n", sink.toString());
  }

  @Test
  void aTablePadsTheCellAsItPrints() {
    StringWriter sink = new StringWriter();
    new Table("NAME", "N").row("a\u0007", 1).row("bbbbbb", 2).print(new PrintWriter(sink));
    assertEquals("NAME    N\na\\x07   1\nbbbbbb  2\n", sink.toString());
  }

  @Test
  void bidirectionalFormattingCharactersAreShownToo() {
    assertEquals(
        "\\u202a\\u202e\\u2066\\u2069\\u200e\\u200f\\u061c",
        TerminalText.visible("\u202A\u202E\u2066\u2069\u200E\u200F\u061C"));
    // Neighbours that reorder nothing stay as they are.
    assertEquals("\u2029\u2070\u200d", TerminalText.visible("\u2029\u2070\u200d"));
  }

  @Test
  void anAnswersTextAndFieldNamesAreMadeVisibleLineBreaksIncluded() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    var answer =
        json.readTree("{\"name\":\"a\\nb\\u202e\",\"n\":3,\"m\":{\"k\\u0007\":[\"x\\r\"]}}");
    assertEquals(
        "{\"name\":\"a\\\\nb\\\\u202e\",\"n\":3,\"m\":{\"k\\\\x07\":[\"x\\\\r\"]}}",
        json.writeValueAsString(TerminalText.visibleTree(answer)));
  }
}

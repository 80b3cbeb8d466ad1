package dev.vmigrate.api.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Every label value made printable before it is registered: a control character (NUL, escape,
 * carriage return, ...) or an invisible formatting one (right-to-left override U+202E, zero-width
 * characters) is written as the text {@code \\uXXXX}. Prometheus' text format escapes only
 * backslash, double quote and newline, so these would otherwise reach the scrape, and the
 * dashboards and terminals that show it, raw. Applied to every registry of the process (Micronaut
 * adds MeterFilter beans to them before any meter is registered).
 */
@Singleton
public class PrintableLabels implements MeterFilter {

  @Override
  public Meter.Id map(Meter.Id id) {
    boolean changed = false;
    List<Tag> out = new ArrayList<>();
    for (Tag t : id.getTagsAsIterable()) {
      String value = printable(t.getValue());
      changed |= !value.equals(t.getValue());
      out.add(Tag.of(t.getKey(), value));
    }
    return changed ? id.replaceTags(out) : id;
  }

  /** The text with each control or formatting character as {@code \\uXXXX}. */
  static String printable(String text) {
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int type = Character.getType(c);
      boolean hidden =
          type == Character.CONTROL
              || type == Character.FORMAT
              || type == Character.LINE_SEPARATOR
              || type == Character.PARAGRAPH_SEPARATOR;
      if (hidden && b == null) {
        b = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (b != null) {
        if (hidden) {
          b.append(String.format("\\u%04x", (int) c));
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? text : b.toString();
  }
}

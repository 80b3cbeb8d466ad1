package dev.vmigrate.api.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.time.Duration;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collector;
import java.util.stream.Collectors;

/**
 * A JSON body's problem in a client's words: what is wrong and where (line and column), never
 * Jackson's Java types, which mean nothing to a client and say how the server is built.
 */
final class JsonProblems {
  private JsonProblems() {}

  /** The field (JSON path) the problem is at, or {@code body} for the body as a whole. */
  static String field(JsonProcessingException e) {
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    java.util.regex.Matcher key =
        java.util.regex.Pattern.compile("^Duplicate field '(.*)'").matcher(original);
    if (key.find()) {
      // Where the parser or the binding stood: the object around the key given twice, or the key.
      String path =
          e instanceof JsonMappingException jme && !jme.getPath().isEmpty()
              ? mappingPath(jme)
              : e.getProcessor() instanceof JsonParser p ? path(p.getParsingContext()) : "";
      String k = key.group(1);
      if (!(path.equals(k) || path.endsWith("." + k))) {
        path = path.isEmpty() ? k : path + "." + k;
      }
      return path;
    }
    if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
      return mappingPath(jme);
    }
    return "body";
  }

  private static String mappingPath(JsonMappingException jme) {
    return jme.getPath().stream()
        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }

  /** The JSON path of where a parser stands, such as {@code vms[1].name}. */
  private static String path(JsonStreamContext c) {
    StringBuilder out = new StringBuilder();
    for (; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject() && c.getCurrentName() != null) {
        out.insert(0, "." + c.getCurrentName());
      } else if (c.inArray()) {
        out.insert(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
      }
    }
    return out.length() > 0 && out.charAt(0) == '.' ? out.substring(1) : out.toString();
  }

  /** The rule the body breaks: a short name for clients to act on. */
  static String rule(JsonProcessingException e) {
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (e instanceof JacksonSetup.SizeExceeded b) {
      return b.rule();
    }
    if (e instanceof UnrecognizedPropertyException) {
      return "unknown-field";
    }
    if (original.startsWith("Trailing token")) {
      return "trailing-content";
    }
    if (original.startsWith("Duplicate field")) {
      return "duplicate-key";
    }
    if (e instanceof StreamConstraintsException) {
      return original.contains("depth") ? "max-depth" : "max-size";
    }
    if (e instanceof MismatchedInputException) {
      return "type";
    }
    if (e instanceof JsonMappingException) {
      return "invalid";
    }
    return "syntax";
  }

  /** {@code field: what is wrong (line L, column C)}. */
  static String message(JsonProcessingException e) {
    if (e instanceof JacksonSetup.SizeExceeded b) {
      return field(e) + ": " + b.what(); // as the validator words it
    }
    return field(e) + ": " + what(e) + where(e.getLocation());
  }

  private static String what(JsonProcessingException e) {
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (e instanceof UnrecognizedPropertyException u) {
      Collection<Object> known = u.getKnownPropertyIds();
      return "unknown field"
          + (known == null || known.isEmpty()
              ? ""
              : "; known: " + known.stream().map(String::valueOf).sorted().collect(joining()));
    }
    if (original.startsWith("Trailing token")) {
      return "malformed JSON: more after the end of the JSON value";
    }
    if (original.startsWith("Duplicate field")) {
      return "duplicate key: the field is given twice";
    }
    if (e instanceof StreamConstraintsException) {
      return original.contains("depth")
          ? "nested too deeply (at most " + JacksonSetup.MAX_DEPTH + " levels)"
          : "a value or the document is longer than the server reads";
    }
    if (e instanceof InvalidFormatException f) {
      return "expected " + kind(f.getTargetType()) + ", got '" + f.getValue() + "'";
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return "expected " + kind(m.getTargetType());
    }
    if (e instanceof JsonMappingException) {
      return "invalid value: " + scrub(original);
    }
    return "malformed JSON: " + scrub(original);
  }

  /** What a value of the type looks like in JSON. */
  static String kind(Class<?> t) {
    if (CharSequence.class.isAssignableFrom(t) || t == char.class || t == Character.class) {
      return "a string";
    }
    if (t == boolean.class || t == Boolean.class) {
      return "true or false";
    }
    if (t == int.class
        || t == Integer.class
        || t == long.class
        || t == Long.class
        || t == short.class
        || t == Short.class) {
      return "a whole number";
    }
    if (t.isPrimitive() || Number.class.isAssignableFrom(t)) {
      return "a number";
    }
    if (t.isEnum()) {
      return "one of "
          + Arrays.stream(t.getEnumConstants())
              .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
              .collect(joining());
    }
    if (t == Duration.class) {
      return "an ISO-8601 duration such as PT30M";
    }
    if (Temporal.class.isAssignableFrom(t)) {
      return "an ISO-8601 time such as 2026-01-31T22:00:00Z";
    }
    if (t.isArray() || Collection.class.isAssignableFrom(t)) {
      return "a JSON array";
    }
    return "a JSON object";
  }

  private static Collector<CharSequence, ?, String> joining() {
    return Collectors.joining(", ");
  }

  private static String where(JsonLocation at) {
    if (at == null || at.getLineNr() < 1) {
      return "";
    }
    return " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  /** The parser's first line without the Java type names Jackson quotes in backticks. */
  private static String scrub(String s) {
    String line = ErrorHandlers.firstLine(s);
    return line.replaceAll("\\s*\\(class [^)]*\\)", "").replaceAll("`[^`]*`", "a value");
  }
}

package dev.vmigrate.api.service;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.vmigrate.api.web.Dtos.VmRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses VM lists: CSV with a header row (a plain list or an RVTools vInfo export) and YAML (a list
 * of names or of objects, or a map with a {@code vms} list). Errors name the line or entry.
 */
public final class VmListParser {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  // Header aliases, lower case: RVTools vInfo names first, then vmigrate's own field names.
  private static final Map<String, String> COLUMNS =
      Map.ofEntries(
          Map.entry("vm", "name"),
          Map.entry("name", "name"),
          Map.entry("vm name", "name"),
          Map.entry("vm id", "moref"),
          Map.entry("moref", "moref"),
          Map.entry("vm uuid", "instanceUuid"),
          Map.entry("instanceuuid", "instanceUuid"),
          Map.entry("instance uuid", "instanceUuid"),
          Map.entry("smbios uuid", "biosUuid"),
          Map.entry("biosuuid", "biosUuid"),
          Map.entry("remigrate", "remigrate"));

  private VmListParser() {}

  /** Parses CSV (comma or semicolon separated, RFC 4180 quoting). */
  public static List<VmRef> parseCsv(String text) {
    if (text == null || text.isBlank()) {
      throw new ServiceException.Invalid("body", "body: the CSV is empty");
    }
    if (text.charAt(0) == '\uFEFF') {
      text = text.substring(1); // Excel and RVTools write a byte order mark
    }
    List<List<String>> rows = records(text);
    List<String> header = rows.get(0);
    char sep = ','; // detected again per line inside records(); kept for the message only
    int[] index = new int[] {-1, -1, -1, -1, -1};
    String[] fields = {"name", "moref", "instanceUuid", "biosUuid", "remigrate"};
    Map<String, Integer> seen = new java.util.HashMap<>();
    for (int c = 0; c < header.size(); c++) {
      String h = header.get(c).trim();
      Integer before = seen.putIfAbsent(h.toLowerCase(Locale.ROOT), c);
      String f = COLUMNS.get(h.toLowerCase(Locale.ROOT));
      if (before != null && f != null) {
        throw new ServiceException.Invalid(
            "body",
            "body: line 1, column "
                + (c + 1)
                + ": duplicate column '"
                + h
                + "' (also column "
                + (before + 1)
                + ")",
            "duplicate-column",
            1,
            c + 1);
      }
      for (int k = 0; k < fields.length; k++) {
        if (fields[k].equals(f)) {
          if (index[k] >= 0) {
            throw new ServiceException.Invalid(
                "body",
                "body: line 1, column "
                    + (c + 1)
                    + ": column '"
                    + h
                    + "' gives the VM's "
                    + f
                    + " again (also column "
                    + (index[k] + 1)
                    + ", '"
                    + header.get(index[k]).trim()
                    + "')",
                "duplicate-column",
                1,
                c + 1);
          }
          index[k] = c;
        }
      }
    }
    if (index[0] < 0 && index[1] < 0 && index[2] < 0 && index[3] < 0) {
      throw new ServiceException.Invalid(
          "body",
          "body: line 1: the CSV header has none of the columns VM, name, VM ID, moref, VM UUID,"
              + " instanceUuid, SMBIOS UUID (found: "
              + String.join(String.valueOf(sep), header)
              + ")",
          "required",
          1,
          null);
    }
    List<VmRef> refs = new ArrayList<>();
    for (int r = 1; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      if (row.size() == 1 && row.get(0).isBlank()) {
        continue;
      }
      if (row.size() != header.size()) {
        throw new ServiceException.Invalid(
            "body",
            "body: line "
                + (r + 1)
                + ": has "
                + row.size()
                + " fields but the header has "
                + header.size(),
            "columns",
            r + 1,
            null);
      }
      VmRef ref =
          new VmRef(
              cell(row, index[0]),
              cell(row, index[1]),
              cell(row, index[2]),
              cell(row, index[3]),
              flag("body: line " + (r + 1) + ": remigrate", cell(row, index[4])));
      if (ref.name() == null
          && ref.moref() == null
          && ref.instanceUuid() == null
          && ref.biosUuid() == null) {
        throw new ServiceException.Invalid(
            "body",
            "body: line " + (r + 1) + ": no VM name, VM ID or UUID in this row",
            "required",
            r + 1,
            null);
      }
      refs.add(ref);
    }
    return refs;
  }

  /** A yes/no cell: true, yes, y, 1 or x; false, no, n, 0 or empty. */
  private static Boolean flag(String where, String v) {
    if (v == null) {
      return null;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "y", "1", "x" -> true;
      case "false", "no", "n", "0" -> false;
      default ->
          throw new ServiceException.Invalid(
              "body", where + ": '" + v + "' is not a yes/no value (true, yes, 1; false, no, 0)");
    };
  }

  private static String cell(List<String> row, int i) {
    if (i < 0) {
      return null;
    }
    String v = row.get(i).trim();
    return v.isEmpty() ? null : v;
  }

  // Splits into records; the separator is whichever of ',' and ';' the header uses more.
  static List<List<String>> records(String text) {
    int nl = text.indexOf('\n');
    String first = nl < 0 ? text : text.substring(0, nl);
    char sep = count(first, ';') > count(first, ',') ? ';' : ',';
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    int line = 1;
    int recordStartLine = 1;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (quoted) {
        if (ch == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            cell.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          if (ch == '\n') {
            line++;
          }
          cell.append(ch);
        }
      } else if (ch == '"') {
        if (cell.length() > 0) {
          throw new ServiceException.Invalid(
              "body",
              "body: line " + line + ": a quote inside an unquoted field",
              "syntax",
              line,
              null);
        }
        quoted = true;
      } else if (ch == sep) {
        row.add(cell.toString());
        cell.setLength(0);
      } else if (ch == '\n' || ch == '\r') {
        if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        row.add(cell.toString());
        cell.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        line++;
        recordStartLine = line;
      } else {
        cell.append(ch);
      }
    }
    if (quoted) {
      throw new ServiceException.Invalid(
          "body",
          "body: line " + recordStartLine + ": unterminated quoted field",
          "syntax",
          recordStartLine,
          null);
    }
    if (cell.length() > 0 || !row.isEmpty()) {
      row.add(cell.toString());
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new ServiceException.Invalid("body", "body: the CSV is empty");
    }
    return rows;
  }

  private static int count(String s, char c) {
    return (int) s.chars().filter(x -> x == c).count();
  }

  /**
   * Parses YAML: a list of names or of {name|moref|instanceUuid|biosUuid, remigrate} maps, or {vms:
   * list}.
   */
  public static List<VmRef> parseYaml(String text) {
    JsonNode root;
    try {
      refuseAliases(text == null ? "" : text);
      root = YAML.readTree(text == null ? "" : text);
    } catch (ServiceException e) {
      throw e;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      boolean placed = at != null && at.getLineNr() > 0;
      String original = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
      boolean dup = original.startsWith("Duplicate field");
      throw new ServiceException.Invalid(
          "body",
          "body: "
              + (dup
                  ? "duplicate key: " + original.substring("Duplicate field ".length())
                  : "malformed YAML: " + original.split("\n")[0])
              + (placed ? " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : ""),
          dup ? "duplicate-key" : "syntax",
          placed ? at.getLineNr() : null,
          placed ? at.getColumnNr() : null);
    } catch (Exception e) {
      String msg = e.getMessage() == null ? "unreadable" : e.getMessage().split("\n")[0];
      throw new ServiceException.Invalid("body", "body: malformed YAML: " + msg, "syntax");
    }
    if (root != null && root.isObject() && root.has("vms")) {
      root = root.get("vms");
    }
    if (root == null || !root.isArray()) {
      throw new ServiceException.Invalid(
          "body", "body: YAML must be a list of VMs or a map with a 'vms' list");
    }
    List<VmRef> refs = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode n = root.get(i);
      String field = "vms[" + i + "]";
      if (n.isTextual()) {
        refs.add(new VmRef(n.asText(), null, null, null));
      } else if (n.isObject()) {
        var names = n.fieldNames();
        while (names.hasNext()) {
          String k = names.next();
          if (!List.of("name", "moref", "instanceUuid", "biosUuid", "remigrate").contains(k)) {
            throw new ServiceException.Invalid(
                field + "." + k,
                field
                    + "."
                    + k
                    + ": unknown field (expected name, moref, instanceUuid, biosUuid or remigrate)");
          }
        }
        JsonNode again = n.get("remigrate");
        if (again != null && !again.isNull() && !again.isBoolean()) {
          throw new ServiceException.Invalid(
              field + ".remigrate", field + ".remigrate: must be true or false");
        }
        VmRef ref =
            new VmRef(
                text(n, "name"),
                text(n, "moref"),
                text(n, "instanceUuid"),
                text(n, "biosUuid"),
                again == null || again.isNull() ? null : again.asBoolean());
        if (ref.name() == null
            && ref.moref() == null
            && ref.instanceUuid() == null
            && ref.biosUuid() == null) {
          throw new ServiceException.Invalid(
              field, field + ": needs one of name, moref, instanceUuid, biosUuid");
        }
        refs.add(ref);
      } else {
        throw new ServiceException.Invalid(field, field + ": must be a VM name or a map");
      }
    }
    return refs;
  }

  /**
   * Refuses YAML aliases ({@code *a}): a VM list has no use for them, and an alias read as text
   * would name a VM that does not exist (or one that does, by accident). An anchor ({@code &a})
   * without an alias only labels its value, as YAML defines it, and is read as that value.
   */
  private static void refuseAliases(String text) throws java.io.IOException {
    try (YAMLParser p = (YAMLParser) YAML.getFactory().createParser(text)) {
      while (p.nextToken() != null) {
        if (p.isCurrentAlias()) {
          JsonLocation at = p.currentTokenLocation();
          throw new ServiceException.Invalid(
              "body",
              "body: YAML aliases are not accepted, list each VM in full (line "
                  + at.getLineNr()
                  + ", column "
                  + at.getColumnNr()
                  + ")",
              "yaml-alias",
              at.getLineNr(),
              at.getColumnNr());
        }
      }
    }
  }

  private static String text(JsonNode n, String k) {
    JsonNode v = n.get(k);
    return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
  }
}

package dev.vmigrate.api.service;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.vmigrate.api.web.Dtos.VmRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses VM lists: CSV with a header row (a plain list or an RVTools vInfo export, read with
 * Jackson's CSV reader) and YAML (a list of names or of objects, or a map with a {@code vms} list).
 * RVTools workbooks are read by {@link RvToolsWorkbook}. Errors name the line or entry.
 */
public final class VmListParser {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private static final CsvMapper CSV =
      CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

  private VmListParser() {}

  /** Parses CSV (comma or semicolon separated, RFC 4180 quoting) with a header row. */
  public static VmList parseCsv(String text) {
    if (text == null || text.isBlank()) {
      throw new ServiceException.Invalid("body", "body: the CSV is empty");
    }
    if (text.charAt(0) == '\uFEFF') {
      text = text.substring(1); // Excel and RVTools write a byte order mark
    }
    List<VmTable.Row> rows = new ArrayList<>();
    int recordLine = 1;
    try (MappingIterator<String[]> it =
        CSV.readerFor(String[].class)
            .with(CsvSchema.emptySchema().withColumnSeparator(separator(text)))
            .readValues(text)) {
      while (true) {
        // Where the parser stands before a record is the line the record starts on.
        recordLine = it.getParser().currentLocation().getLineNr();
        if (!it.hasNextValue()) {
          break;
        }
        String[] cells = it.nextValue();
        if (cells.length > 0 && !(cells.length == 1 && cells[0].isBlank())) {
          rows.add(new VmTable.Row(recordLine, List.of(cells)));
        }
      }
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? "" : e.getMessage();
      throw new ServiceException.Invalid(
          "body",
          "body: line "
              + recordLine
              + ": "
              + (why.startsWith("Missing closing quote")
                  ? "unterminated quoted field"
                  : "malformed CSV: " + why.split("\n")[0]),
          "syntax",
          recordLine,
          null);
    }
    if (rows.isEmpty()) {
      throw new ServiceException.Invalid("body", "body: the CSV is empty");
    }
    return new VmTable(rows.get(0), rows.subList(1, rows.size()), "line ", "body").vms();
  }

  // The separator is whichever of ',' and ';' the header line uses more.
  private static char separator(String text) {
    int nl = text.indexOf('\n');
    String first = nl < 0 ? text : text.substring(0, nl);
    return count(first, ';') > count(first, ',') ? ';' : ',';
  }

  private static int count(String s, char c) {
    return (int) s.chars().filter(x -> x == c).count();
  }

  /**
   * Parses YAML: a list of names or of {name|moref|instanceUuid|biosUuid, remigrate} maps, or {vms:
   * list}.
   */
  public static VmList parseYaml(String text) {
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
    List<String> places = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode n = root.get(i);
      String field = "vms[" + i + "]";
      places.add(field);
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
    return new VmList(refs, places);
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

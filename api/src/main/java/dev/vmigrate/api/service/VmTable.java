package dev.vmigrate.api.service;

import dev.vmigrate.api.web.Dtos.VmRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A VM list as a table with a header row, from a CSV file or an RVTools sheet: the header's columns
 * are matched by name (RVTools' vInfo names and vmigrate's own), every other column is ignored, and
 * each row becomes one VM reference.
 *
 * @param header the header row and its number
 * @param rows the data rows, each with the number it has in the file (line or sheet row)
 * @param placePrefix what an error puts before a row's number ({@code "line "}, {@code "vInfo row
 *     "})
 * @param field the request field errors name
 */
record VmTable(Row header, List<Row> rows, String placePrefix, String field) {

  /** One data row and its number in the file (1-based, the header being row 1 on its own line). */
  record Row(int number, List<String> cells) {}

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

  private static final List<String> FIELDS =
      List.of("name", "moref", "instanceUuid", "biosUuid", "remigrate");

  /** The rows as VM references; refuses a header without a VM column and rows without a VM. */
  VmList vms() {
    int[] index = columns();
    List<VmRef> refs = new ArrayList<>();
    List<String> places = new ArrayList<>();
    for (Row row : rows) {
      String at = placePrefix + row.number();
      if (row.cells().size() > header.cells().size()) {
        throw invalid(
            at
                + ": has "
                + row.cells().size()
                + " fields but the header has "
                + header.cells().size(),
            "columns",
            row.number(),
            null);
      }
      if (row.cells().size() < header.cells().size() && placePrefix.startsWith("line")) {
        // A short CSV record is a broken line; a sheet's row simply ends at its last filled cell.
        throw invalid(
            at
                + ": has "
                + row.cells().size()
                + " fields but the header has "
                + header.cells().size(),
            "columns",
            row.number(),
            null);
      }
      VmRef ref =
          new VmRef(
              cell(row, index[0]),
              cell(row, index[1]),
              cell(row, index[2]),
              cell(row, index[3]),
              flag(at, cell(row, index[4])));
      if (ref.name() == null
          && ref.moref() == null
          && ref.instanceUuid() == null
          && ref.biosUuid() == null) {
        throw invalid(
            at + ": no VM name, VM ID or UUID in this row", "required", row.number(), null);
      }
      refs.add(ref);
      places.add(at);
    }
    return new VmList(refs, places);
  }

  // For each of FIELDS, the header column that gives it, or -1.
  private int[] columns() {
    int[] index = {-1, -1, -1, -1, -1};
    String headerPlace = placePrefix + headerNumber();
    Map<String, Integer> seen = new HashMap<>();
    for (int c = 0; c < header.cells().size(); c++) {
      String h = header.cells().get(c).trim();
      String key = h.toLowerCase(Locale.ROOT);
      Integer before = seen.putIfAbsent(key, c);
      String f = COLUMNS.get(key);
      if (f == null) {
        continue;
      }
      if (before != null) {
        throw invalid(
            headerPlace
                + ", column "
                + (c + 1)
                + ": duplicate column '"
                + h
                + "' (also column "
                + (before + 1)
                + ")",
            "duplicate-column",
            headerNumber(),
            c + 1);
      }
      int k = FIELDS.indexOf(f);
      if (index[k] >= 0) {
        throw invalid(
            headerPlace
                + ", column "
                + (c + 1)
                + ": column '"
                + h
                + "' gives the VM's "
                + f
                + " again (also column "
                + (index[k] + 1)
                + ", '"
                + header.cells().get(index[k]).trim()
                + "')",
            "duplicate-column",
            headerNumber(),
            c + 1);
      }
      index[k] = c;
    }
    if (index[0] < 0 && index[1] < 0 && index[2] < 0 && index[3] < 0) {
      throw invalid(
          headerPlace
              + ": the header has none of the columns VM, name, VM ID, moref, VM UUID,"
              + " instanceUuid, SMBIOS UUID (found: "
              + String.join(", ", header.cells())
              + ")",
          "required",
          headerNumber(),
          null);
    }
    return index;
  }

  private int headerNumber() {
    return header.number();
  }

  private ServiceException.Invalid invalid(
      String message, String rule, Integer number, Integer column) {
    return new ServiceException.Invalid(field, field + ": " + message, rule, number, column);
  }

  /** A yes/no cell: true, yes, y, 1 or x; false, no, n, 0 or empty. */
  private Boolean flag(String at, String v) {
    if (v == null) {
      return null;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "y", "1", "x" -> true;
      case "false", "no", "n", "0" -> false;
      default ->
          throw new ServiceException.Invalid(
              field,
              field
                  + ": "
                  + at
                  + ": remigrate: '"
                  + v
                  + "' is not a yes/no value (true, yes, 1; false, no, 0)");
    };
  }

  private static String cell(Row row, int i) {
    if (i < 0 || i >= row.cells().size()) {
      return null;
    }
    String v = row.cells().get(i);
    v = v == null ? "" : v.trim();
    return v.isEmpty() ? null : v;
  }
}

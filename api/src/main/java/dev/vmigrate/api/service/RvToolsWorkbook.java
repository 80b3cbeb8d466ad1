package dev.vmigrate.api.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * An RVTools export as operators keep it: an {@code .xlsx} workbook (RVTools' default format) whose
 * {@code vInfo} sheet lists one VM per row, read with Apache POI. The VMs to import are the rows of
 * vInfo (operators delete rows there to pick a wave); the {@code vDisk} and {@code vNetwork}
 * sheets, when present, add what the export says about those VMs' disks and networks, matched by VM
 * UUID, else VM ID, else VM name.
 */
public final class RvToolsWorkbook {
  /** Rows read from one sheet at most, far above any plan's VM count. */
  static final int MAX_ROWS = 100_000;

  /** Columns read from one row at most (RVTools' vInfo has about 90). */
  static final int MAX_COLUMNS = 1_000;

  private final VmList vms;
  private final Summary summary;

  private RvToolsWorkbook(VmList vms, Summary summary) {
    this.vms = vms;
    this.summary = summary;
  }

  /** The VMs of the vInfo sheet. */
  public VmList vms() {
    return vms;
  }

  /** What vDisk and vNetwork say of those VMs (empty where the sheets are missing). */
  public Summary summary() {
    return summary;
  }

  /**
   * What the workbook's other sheets say of the imported VMs, for the operator to check against the
   * plan's mapping: each network a NIC of theirs is on, their disks and disk capacity.
   *
   * @param networks the distinct networks of vNetwork rows of imported VMs, sorted; null without a
   *     vNetwork sheet
   * @param disks vDisk rows of imported VMs; null without a vDisk sheet
   * @param diskCapacityMib their summed {@code Capacity MiB}; null without a vDisk sheet
   */
  public record Summary(List<String> networks, Integer disks, Long diskCapacityMib) {}

  /** Reads a workbook; a file that is not one, or has no vInfo sheet, is a 400 naming it. */
  public static RvToolsWorkbook read(byte[] xlsx) {
    if (xlsx == null || xlsx.length == 0) {
      throw new ServiceException.Invalid("body", "body: the workbook is empty");
    }
    // POI refuses zip bombs by default (compression ratio); this also bounds each part's size.
    ZipSecureFile.setMaxEntrySize(256L * 1024 * 1024);
    try (Workbook book = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
      Sheet info = sheet(book, "vInfo");
      if (info == null) {
        throw new ServiceException.Invalid(
            "body",
            "body: the workbook has no vInfo sheet (sheets: " + sheetNames(book) + ")",
            "required");
      }
      List<VmTable.Row> infoRows = rows(info);
      if (infoRows.isEmpty()) {
        throw new ServiceException.Invalid("body", "body: the vInfo sheet is empty", "required");
      }
      VmList vms =
          new VmTable(infoRows.get(0), infoRows.subList(1, infoRows.size()), "vInfo row ", "body")
              .vms();
      return new RvToolsWorkbook(vms, summary(book, vms));
    } catch (ServiceException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new ServiceException.Invalid(
          "body", "body: not a readable .xlsx workbook: " + why.split("\n")[0], "syntax");
    }
  }

  private static Summary summary(Workbook book, VmList vms) {
    Sheet disk = sheet(book, "vDisk");
    Sheet network = sheet(book, "vNetwork");
    Integer disks = null;
    Long capacity = null;
    if (disk != null) {
      disks = 0;
      capacity = 0L;
      for (Map<String, String> row : ofImported(disk, vms)) {
        disks++;
        capacity += mib(row.get("capacity mib"));
      }
    }
    List<String> networks = null;
    if (network != null) {
      TreeSet<String> seen = new TreeSet<>();
      for (Map<String, String> row : ofImported(network, vms)) {
        String n = row.get("network");
        if (n != null && !n.isBlank()) {
          seen.add(n.trim());
        }
      }
      networks = List.copyOf(seen);
    }
    return new Summary(networks, disks, capacity);
  }

  // The sheet's rows, by lower-case header name, that belong to a VM of the import.
  private static List<Map<String, String>> ofImported(Sheet sheet, VmList vms) {
    List<VmTable.Row> rows = rows(sheet);
    List<Map<String, String>> out = new ArrayList<>();
    if (rows.isEmpty()) {
      return out;
    }
    List<String> header = rows.get(0).cells();
    Keys keys = Keys.of(vms);
    for (VmTable.Row r : rows.subList(1, rows.size())) {
      Map<String, String> row = new LinkedHashMap<>();
      for (int c = 0; c < header.size() && c < r.cells().size(); c++) {
        row.putIfAbsent(header.get(c).trim().toLowerCase(Locale.ROOT), r.cells().get(c));
      }
      if (keys.match(row)) {
        out.add(row);
      }
    }
    return out;
  }

  // The VM UUIDs, VM IDs and names of the import, for matching rows of the other sheets.
  private record Keys(
      java.util.Set<String> uuids, java.util.Set<String> morefs, java.util.Set<String> names) {
    static Keys of(VmList vms) {
      Keys k =
          new Keys(new java.util.HashSet<>(), new java.util.HashSet<>(), new java.util.HashSet<>());
      for (var v : vms.refs()) {
        if (v.instanceUuid() != null) {
          k.uuids.add(v.instanceUuid().toLowerCase(Locale.ROOT));
        }
        if (v.moref() != null) {
          k.morefs.add(v.moref());
        }
        if (v.name() != null) {
          k.names.add(v.name());
        }
      }
      return k;
    }

    boolean match(Map<String, String> row) {
      String uuid = blankToNull(row.get("vm uuid"));
      String moref = blankToNull(row.get("vm id"));
      String name = blankToNull(row.get("vm"));
      return (uuid != null && uuids.contains(uuid.toLowerCase(Locale.ROOT)))
          || (moref != null && morefs.contains(moref))
          || (name != null && names.contains(name));
    }
  }

  private static long mib(String v) {
    if (v == null || v.isBlank()) {
      return 0;
    }
    try {
      return Math.round(Double.parseDouble(v.trim().replace(",", "")));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static Sheet sheet(Workbook book, String name) {
    for (Sheet s : book) {
      if (s.getSheetName().trim().equalsIgnoreCase(name)) {
        return s;
      }
    }
    return null;
  }

  private static String sheetNames(Workbook book) {
    List<String> names = new ArrayList<>();
    book.forEach(s -> names.add(s.getSheetName()));
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  // Each non-empty row's cells as shown in Excel, numbered as Excel numbers rows (from 1).
  private static List<VmTable.Row> rows(Sheet sheet) {
    DataFormatter shown = new DataFormatter(Locale.ROOT);
    List<VmTable.Row> rows = new ArrayList<>();
    for (Row row : sheet) {
      if (rows.size() >= MAX_ROWS) {
        throw new ServiceException.Invalid(
            "body",
            "body: sheet " + sheet.getSheetName() + " has more than " + MAX_ROWS + " rows",
            "size");
      }
      int last = Math.min(row.getLastCellNum(), MAX_COLUMNS);
      List<String> cells = new ArrayList<>();
      boolean any = false;
      for (int c = 0; c < last; c++) {
        Cell cell = row.getCell(c, Row.MissingCellPolicy.RETURN_BLANK_AS_NULL);
        String v = cell == null ? "" : shown.formatCellValue(cell);
        any |= !v.isBlank();
        cells.add(v);
      }
      if (any) {
        rows.add(new VmTable.Row(row.getRowNum() + 1, cells));
      }
    }
    return rows;
  }
}

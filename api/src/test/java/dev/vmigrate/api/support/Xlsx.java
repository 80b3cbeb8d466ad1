package dev.vmigrate.api.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/** Writes .xlsx workbooks for import tests, as RVTools lays them out: a header row per sheet. */
public final class Xlsx {
  private Xlsx() {}

  /**
   * A workbook of the given sheets: a sheet name, then its rows (a {@code List<List<Object>>} whose
   * first row is the header); numbers become numeric cells, null leaves a cell empty.
   */
  public static byte[] workbook(Object... sheetsAndRows) {
    try (XSSFWorkbook book = new XSSFWorkbook();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      for (int s = 0; s < sheetsAndRows.length; s += 2) {
        Sheet sheet = book.createSheet((String) sheetsAndRows[s]);
        @SuppressWarnings("unchecked")
        List<List<Object>> rows = (List<List<Object>>) sheetsAndRows[s + 1];
        for (int r = 0; r < rows.size(); r++) {
          Row row = sheet.createRow(r);
          for (int c = 0; c < rows.get(r).size(); c++) {
            Object v = rows.get(r).get(c);
            if (v instanceof Number n) {
              row.createCell(c).setCellValue(n.doubleValue());
            } else if (v != null) {
              row.createCell(c).setCellValue(v.toString());
            }
          }
        }
      }
      book.write(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.vmigrate.vsphere.vim25;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/operations.md's table of faults says what the code does: each fault in its kind's row. */
class FaultsDocTest {
  @Test
  void everyClassifiedFaultIsInTheDocumentedRowOfItsKind() throws Exception {
    List<String> rows =
        Files.readAllLines(Path.of("..", "docs", "operations.md")).stream()
            .filter(l -> l.startsWith("| ") && l.endsWith(" |"))
            .toList();
    List<String> wrong = new ArrayList<>();
    Faults.table()
        .forEach(
            (fault, kind) -> {
              String label = kind.name().toLowerCase().replace('_', ' ');
              String retried = kind.isTransient() ? "| yes |" : "| no |";
              boolean documented =
                  rows.stream()
                      .anyMatch(
                          r ->
                              r.startsWith("| " + label + " |")
                                  && r.endsWith(retried)
                                  && r.matches(".*[|,] " + fault + "[ ,].*"));
              if (!documented) {
                wrong.add(fault + " (" + label + ")");
              }
            });
    assertTrue(wrong.isEmpty(), "not in docs/operations.md's fault table as classified: " + wrong);
  }
}

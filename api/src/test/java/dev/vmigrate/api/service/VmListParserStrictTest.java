package dev.vmigrate.api.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Imports are read strictly: what is ambiguous is refused with its rule and position. */
class VmListParserStrictTest {
  private static ServiceException.Invalid refused(Runnable r) {
    return assertThrows(ServiceException.Invalid.class, r::run);
  }

  @Test
  void aYamlAliasIsRefusedAtItsPositionAndAnAnchorAloneMeansNothing() {
    assertEquals("web01", VmListParser.parseYaml("- &web web01\n").refs().get(0).name());
    var e = refused(() -> VmListParser.parseYaml("vms:\n  - &web web01\n  - *web\n"));
    assertEquals("yaml-alias", e.rule());
    assertEquals("body", e.field());
    assertEquals(3, e.line());
    assertEquals(5, e.column());
    assertTrue(e.getMessage().contains("line 3, column 5"), e.getMessage());
    var alias = refused(() -> VmListParser.parseYaml("- name: web01\n- *undefined\n"));
    assertEquals("yaml-alias", alias.rule(), alias.getMessage());
  }

  @Test
  void aDuplicateYamlKeyIsRefused() {
    var e = refused(() -> VmListParser.parseYaml("- name: web01\n  name: web02\n"));
    assertEquals("duplicate-key", e.rule());
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("'name'"), e.getMessage());
  }

  @Test
  void aDuplicateCsvColumnIsRefused() {
    var same = refused(() -> VmListParser.parseCsv("VM,VM ID,VM\nweb01,vm-1,web02\n"));
    assertEquals("duplicate-column", same.rule());
    assertEquals(1, same.line());
    assertEquals(3, same.column());
    assertEquals(
        "body: line 1, column 3: duplicate column 'VM' (also column 1)", same.getMessage());
    var alias = refused(() -> VmListParser.parseCsv("name,VM\nweb01,web02\n"));
    assertEquals("duplicate-column", alias.rule());
    assertTrue(alias.getMessage().contains("gives the VM's name again"), alias.getMessage());
    // Columns vmigrate does not read may repeat.
    assertEquals(1, VmListParser.parseCsv("VM,Notes,Notes\nweb01,a,b\n").refs().size());
  }

  @Test
  void aCsvRowErrorCarriesItsLine() {
    var e = refused(() -> VmListParser.parseCsv("VM,VM ID\nweb01,vm-1\nweb02\n"));
    assertEquals(3, e.line());
    assertEquals("columns", e.rule());
  }

  @Test
  void csvRowsAreNumberedByTheLineTheyStartOnAcrossBlankLinesAndQuotedLineBreaks() {
    VmList vms =
        VmListParser.parseCsv(
            "VM;Notes\r\nweb01;\"two\nlines\"\r\n\r\n\"web;02\";\"say \"\"hi\"\"\"\r\n");
    assertEquals("web01", vms.refs().get(0).name());
    assertEquals("web;02", vms.refs().get(1).name());
    assertEquals(java.util.List.of("line 2", "line 5"), vms.places());
    var e = refused(() -> VmListParser.parseCsv("VM\nweb01\n\"web02\n"));
    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("line 3: unterminated quoted field"), e.getMessage());
  }
}

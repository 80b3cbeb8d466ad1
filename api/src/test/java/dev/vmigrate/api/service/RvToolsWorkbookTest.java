package dev.vmigrate.api.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.api.support.Xlsx;
import dev.vmigrate.api.web.Dtos.VmRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RVTools workbooks as RVTools writes them: the sheets and column names of its export. */
class RvToolsWorkbookTest {
  private static final List<String> VINFO =
      List.of(
          "VM",
          "Powerstate",
          "Template",
          "CPUs",
          "Memory",
          "Host",
          "Cluster",
          "VM ID",
          "VM UUID",
          "SMBIOS UUID",
          "OS according to the VMware Tools");

  private static byte[] workbook(Object... sheetsAndRows) {
    return Xlsx.workbook(sheetsAndRows);
  }

  private static List<Object> vm(String name, String moref, String uuid, String bios) {
    return List.of(
        name, "poweredOn", "False", 2, 4096, "esx01", "Cluster-A", moref, uuid, bios, "Linux");
  }

  @Test
  void theVinfoSheetGivesTheVmsAndTheOtherSheetsWhatTheyUse() throws IOException {
    byte[] xlsx =
        workbook(
            "vInfo",
            List.of(
                List.<Object>copyOf(VINFO),
                vm("web01", "vm-101", "5001-a", "4201-a"),
                vm("web02", "vm-102", "5001-b", "4201-b")),
            "vDisk",
            List.of(
                List.<Object>of("VM", "Disk", "Capacity MiB", "VM ID", "VM UUID"),
                List.<Object>of("web01", "Hard disk 1", 40960, "vm-101", "5001-a"),
                List.<Object>of("web01", "Hard disk 2", 1024, "vm-101", "5001-a"),
                List.<Object>of("web02", "Hard disk 1", 20480, "vm-102", "5001-b"),
                // A VM the operator removed from vInfo to leave it out of this wave.
                List.<Object>of("db01", "Hard disk 1", 999999, "vm-200", "5001-z")),
            "vNetwork",
            List.of(
                List.<Object>of("VM", "NIC label", "Network", "Mac Address", "VM ID", "VM UUID"),
                List.<Object>of(
                    "web01",
                    "Network adapter 1",
                    "VLAN10",
                    "00:50:56:00:00:01",
                    "vm-101",
                    "5001-a"),
                List.<Object>of(
                    "web02",
                    "Network adapter 1",
                    "VLAN20",
                    "00:50:56:00:00:02",
                    "vm-102",
                    "5001-b"),
                List.<Object>of(
                    "web02",
                    "Network adapter 2",
                    "VLAN10",
                    "00:50:56:00:00:03",
                    "vm-102",
                    "5001-b"),
                List.<Object>of(
                    "db01",
                    "Network adapter 1",
                    "DB-VLAN",
                    "00:50:56:00:00:04",
                    "vm-200",
                    "5001-z")));

    RvToolsWorkbook book = RvToolsWorkbook.read(xlsx);

    assertEquals(
        List.of(
            new VmRef("web01", "vm-101", "5001-a", "4201-a", null),
            new VmRef("web02", "vm-102", "5001-b", "4201-b", null)),
        book.vms().refs());
    assertEquals(List.of("vInfo row 2", "vInfo row 3"), book.vms().places());
    assertEquals(List.of("VLAN10", "VLAN20"), book.summary().networks());
    assertEquals(3, book.summary().disks());
    assertEquals(40960L + 1024 + 20480, book.summary().diskCapacityMib());
  }

  @Test
  void withoutTheOtherSheetsTheSummaryIsEmptyAndColumnsMayComeInAnyOrder() throws IOException {
    byte[] xlsx =
        workbook(
            "vInfo",
            List.of(
                List.<Object>of("Annotation", "VM UUID", "VM"),
                List.<Object>of("keep", "5001-c", "app01")));
    RvToolsWorkbook book = RvToolsWorkbook.read(xlsx);
    assertEquals(List.of(new VmRef("app01", null, "5001-c", null, null)), book.vms().refs());
    assertNull(book.summary().networks());
    assertNull(book.summary().disks());
  }

  @Test
  void aWorkbookWithoutVinfoOrARowWithoutAVmIsRefusedNamingWhere() throws IOException {
    var noInfo =
        assertThrows(
            ServiceException.Invalid.class,
            () ->
                RvToolsWorkbook.read(
                    workbook("vHost", List.of(List.<Object>of("Host"), List.<Object>of("esx")))));
    assertTrue(noInfo.getMessage().contains("no vInfo sheet (sheets: vHost)"), noInfo.getMessage());

    var noVm =
        assertThrows(
            ServiceException.Invalid.class,
            () ->
                RvToolsWorkbook.read(
                    workbook(
                        "vInfo",
                        List.of(
                            List.<Object>of("VM", "VM ID", "Notes"),
                            List.<Object>of("web01", "vm-1", "x"),
                            List.<Object>of("", "", "only a note")))));
    assertTrue(noVm.getMessage().contains("vInfo row 3: no VM name"), noVm.getMessage());
    assertEquals(3, noVm.line());
  }

  @Test
  void somethingThatIsNotAWorkbookIsA400NotAServerError() {
    var e =
        assertThrows(
            ServiceException.Invalid.class,
            () -> RvToolsWorkbook.read("VM\nweb01\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals("body", e.field());
    assertTrue(e.getMessage().startsWith("body: not a readable .xlsx workbook"), e.getMessage());
  }
}

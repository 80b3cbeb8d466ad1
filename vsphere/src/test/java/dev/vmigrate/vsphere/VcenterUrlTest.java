package dev.vmigrate.vsphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class VcenterUrlTest {

  @Test
  void httpsAnywhereAndHttpOnlyToLoopbackKeepingThePathAsWritten() {
    assertEquals(
        URI.create("https://vc01.example.com/sdk"),
        VcenterUrl.parse("url", "https://vc01.example.com/sdk"));
    assertEquals(
        URI.create("https://vc01.example.com"),
        VcenterUrl.parse("url", "https://vc01.example.com"));
    for (String ok :
        new String[] {
          "http://127.0.0.1:8989/sdk",
          "http://127.1.2.3/sdk",
          "http://localhost:8989/sdk",
          "HTTP://LOCALHOST/sdk",
          "http://[::1]:8989/sdk",
          "http://[0:0:0:0:0:0:0:1]/sdk"
        }) {
      assertEquals(URI.create(ok), VcenterUrl.parse("url", ok), ok);
    }
  }

  @Test
  void aRefusalNamesTheFieldAndWhatIsAllowed() {
    IllegalArgumentException plain =
        assertThrows(
            IllegalArgumentException.class,
            () -> VcenterUrl.parse("vmigrate.vcenters.vc01.url", "http://vcenter.example.com/sdk"));
    assertEquals(
        "vmigrate.vcenters.vc01.url: plain http:// is allowed only to a loopback host"
            + " (127.0.0.0/8, ::1, localhost), not vcenter.example.com; use https://",
        plain.getMessage());
    assertTrue(message(null).startsWith("url: required, an https:// URL"), message(null));
    assertTrue(message(" ").startsWith("url: required"));
    assertTrue(message("ftp://vc01/sdk").startsWith("url: 'ftp://vc01/sdk' is not an https://"));
    assertTrue(message("vc01.example.com/sdk").contains("is not an https://"));
    assertTrue(message("https://vc 01/sdk").startsWith("url: not a URL"));
    assertEquals(
        "url: must not carry credentials; they are configured separately",
        message("https://admin:secret@vc01.example.com/sdk"));
    assertFalse(message("https://admin:secret@vc01.example.com/sdk").contains("secret@"));
  }

  @Test
  void loopbackIsDecidedWithoutLookingNamesUp() {
    assertTrue(VcenterUrl.isLoopback("127.255.255.254"));
    assertTrue(VcenterUrl.isLoopback("[::1]"));
    assertFalse(VcenterUrl.isLoopback("127.0.0.1.example.com"));
    assertFalse(VcenterUrl.isLoopback("127.evil.example"));
    assertFalse(VcenterUrl.isLoopback("128.0.0.1"));
    assertFalse(VcenterUrl.isLoopback("localhost.example.com"));
    assertFalse(VcenterUrl.isLoopback("::2"));
    assertFalse(VcenterUrl.isLoopback(null));
  }

  private static String message(String url) {
    return assertThrows(IllegalArgumentException.class, () -> VcenterUrl.parse("url", url))
        .getMessage();
  }
}

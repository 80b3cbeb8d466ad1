package dev.vmigrate.vsphere.vim25;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.vmigrate.vsphere.Inventory;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Paging of RetrievePropertiesEx and the session cookie, against a scripted endpoint that fixes the
 * pages and tokens exactly (vcsim pages too; InventoryReadBenchmarkTest reads 1,000 VMs from it).
 */
class Vim25PagingTest {
  private HttpServer server;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<String> cookies = new CopyOnWriteArrayList<>();

  private static String envelope(String body) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope"
        + " xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
        + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>"
        + body
        + "</soapenv:Body></soapenv:Envelope>";
  }

  private static String vm(int i) {
    return "<objects><obj type=\"VirtualMachine\">vm-"
        + i
        + "</obj><propSet><name>name</name><val xsi:type=\"xsd:string\">web"
        + i
        + "</val></propSet><propSet><name>runtime.powerState</name>"
        + "<val xsi:type=\"VirtualMachinePowerState\">poweredOff</val></propSet></objects>";
  }

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/sdk",
        exchange -> {
          String req = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String method = methodOf(req);
          calls.add(method);
          String cookie = exchange.getRequestHeaders().getFirst("Cookie");
          cookies.add(method + "=" + cookie);
          String body =
              switch (method) {
                case "RetrieveServiceContent" ->
                    "<RetrieveServiceContentResponse xmlns=\"urn:vim25\"><returnval>"
                        + "<rootFolder type=\"Folder\">group-d1</rootFolder>"
                        + "<propertyCollector type=\"PropertyCollector\">propertyCollector</propertyCollector>"
                        + "<viewManager type=\"ViewManager\">ViewManager</viewManager>"
                        + "<about><apiVersion>8.0.2.0</apiVersion></about>"
                        + "<sessionManager type=\"SessionManager\">SessionManager</sessionManager>"
                        + "<customFieldsManager type=\"CustomFieldsManager\">CustomFieldsManager</customFieldsManager>"
                        + "</returnval></RetrieveServiceContentResponse>";
                case "Login" -> {
                  exchange
                      .getResponseHeaders()
                      .add(
                          "Set-Cookie", "vmware_soap_session=\"abc123\"; Path=/; HttpOnly; Secure");
                  yield "<LoginResponse xmlns=\"urn:vim25\"><returnval><key>s-1</key></returnval></LoginResponse>";
                }
                case "CreateContainerView" ->
                    "<CreateContainerViewResponse xmlns=\"urn:vim25\"><returnval type=\"ContainerView\">session[1]view-1</returnval></CreateContainerViewResponse>";
                case "RetrievePropertiesEx" ->
                    "<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><token>page-2</token>"
                        + vm(1)
                        + vm(2)
                        + "</returnval></RetrievePropertiesExResponse>";
                case "ContinueRetrievePropertiesEx" ->
                    req.contains("page-2")
                        ? "<ContinueRetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><token>page-3</token>"
                            + vm(3)
                            + "</returnval></ContinueRetrievePropertiesExResponse>"
                        : "<ContinueRetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval>"
                            + vm(4)
                            + "</returnval></ContinueRetrievePropertiesExResponse>";
                default -> "<" + method + "Response xmlns=\"urn:vim25\"/>";
              };
          byte[] out = envelope(body).getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/xml; charset=utf-8");
          exchange.sendResponseHeaders(200, out.length);
          try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
          }
        });
    server.start();
  }

  private static String methodOf(String request) {
    try {
      return SoapCodec.parse(request.getBytes(StandardCharsets.UTF_8))
          .child("Body")
          .orElseThrow()
          .children()
          .get(0)
          .name();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void followsTokensUntilTheLastPageAndSendsTheSessionCookie() {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sdk");
    try (Vim25Gateway g =
        new Vim25Gateway(
            new Vim25Connection(
                "vc-paged",
                url,
                "user",
                PasswordSource.of("pass"),
                null,
                Duration.ofSeconds(2),
                Duration.ofSeconds(5)))) {
      Inventory inv = g.inventory();
      assertEquals(
          List.of("web1", "web2", "web3", "web4"), inv.vms().stream().map(v -> v.name()).toList());
      assertEquals(
          List.of(
              "RetrieveServiceContent",
              "Login",
              "CreateContainerView",
              "RetrievePropertiesEx",
              "ContinueRetrievePropertiesEx",
              "ContinueRetrievePropertiesEx",
              "DestroyView"),
          calls);
      assertTrue(
          cookies.contains("ContinueRetrievePropertiesEx=vmware_soap_session=\"abc123\""),
          cookies.toString());
      assertTrue(cookies.contains("Login=null"), "no cookie before login");
    }
  }
}

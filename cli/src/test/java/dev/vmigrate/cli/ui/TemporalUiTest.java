package dev.vmigrate.cli.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.vmigrate.cli.client.ApiClient;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.server.AllInOneServer;
import dev.vmigrate.server.DevTemporal;
import dev.vmigrate.server.ServerOptions;
import dev.vmigrate.server.TemporalOptions;
import dev.vmigrate.server.TestPorts;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.NoSuchFrameException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What an operator sees in the Temporal web UI of {@code vmigrate server}: a migration held in
 * FAILED_WAITING is found with the {@code MigrationState} search attribute, and its page shows the
 * state, the last error, the exact commands to resume or roll it back, and a history whose
 * activities are named like vCenter's actions. Read from the page by headless Chromium, as a person
 * would read it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TemporalUiTest {
  private static final String VCENTER = "sim";
  private static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
  private static final Duration UI_WAIT = Duration.ofSeconds(30);
  // Temporal UI 2.54's test ids: a row of the workflows list, a row of a workflow's event history.
  private static final By LIST_ROWS =
      By.cssSelector("[data-testid=workflows-summary-configurable-table-row]");
  private static final By HISTORY_ROWS = By.cssSelector("[data-testid=event-summary-row]");
  private static final By QUERY_INPUT =
      By.cssSelector("[data-testid=workflow-manual-search-input]");

  @TempDir static Path dir;

  private static AllInOneServer server;
  private static WebDriver browser;
  private static String requestId;
  private static VmInfo heldVm;
  private static List<VmInfo> completedVms;

  @BeforeAll
  static void start() throws Exception {
    Tools.require();
    server =
        AllInOneServer.start(
            new ServerOptions(
                "127.0.0.1",
                0,
                true,
                true,
                TemporalOptions.devServer(
                    "127.0.0.1",
                    TestPorts.free(),
                    TestPorts.free(),
                    Tools.temporal().toString(),
                    "default",
                    TemporalOptions.DEFAULT_RETENTION),
                dir.resolve("data"),
                "jdbc:h2:mem:ui-test;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                VCENTER,
                8,
                List.of(),
                Map.of()));
    runPlanWithOneHeldMigration();
    browser = Tools.chromium(dir.resolve("chromium-profile"));
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  // A plan of three VMs through the REST API; one VM's relocate fails for good half-way, so its
  // migration is held for an operator while the other two complete.
  private static void runPlanWithOneHeldMigration() throws InterruptedException {
    SimulatedVsphere sim =
        (SimulatedVsphere) server.context().getBean(GatewayRegistry.class).forVcenter(VCENTER);
    sim.setBandwidth(256L << 30);
    Inventory inv = sim.inventory();
    List<VmInfo> vms = new ArrayList<>();
    for (VmInfo vm : inv.vms()) {
      if (!vm.template() && vm.powerState() == PowerState.POWERED_ON && vms.size() < 3) {
        vms.add(vm);
      }
    }
    assertEquals(3, vms.size(), "three powered-on VMs in the simulated inventory");
    heldVm = vms.get(1);
    completedVms = List.of(vms.get(0), vms.get(2));

    ApiClient api = new ApiClient(server.apiUrl(), null, new ObjectMapper(), null);
    api.post(
        ApiPaths.vcenters(),
        Map.of(
            "id",
            VCENTER,
            "url",
            "https://sim.vmigrate.invalid/sdk",
            "credentialsRef",
            "config:" + VCENTER));
    String a = inv.clusters().get(0).name();
    String b = inv.clusters().get(1).name();
    Map<String, String> datastores = new LinkedHashMap<>();
    inv.datastores().forEach(d -> datastores.put(d.name(), d.name()));
    Map<String, String> networks = new LinkedHashMap<>();
    inv.networks().forEach(n -> networks.put(n.name(), n.name()));
    api.post(
        ApiPaths.mappings(),
        Map.of(
            "name",
            "ui-mapping",
            "sourceVcenter",
            VCENTER,
            "destinationVcenter",
            VCENTER,
            "clusters",
            List.of(Map.of("source", a, "destination", b), Map.of("source", b, "destination", a)),
            "datastores",
            datastores,
            "networks",
            networks));
    api.post(
        ApiPaths.plans(),
        Map.of(
            "name",
            "ui-plan",
            "mapping",
            "ui-mapping",
            "approvalPolicy",
            "auto",
            "options",
            Map.of("failurePolicy", "hold"),
            "vms",
            vms.stream().map(vm -> Map.of("name", vm.name())).toList()));
    sim.failTask(
        "relocate",
        heldVm.id(),
        50,
        new VsphereException(
            "NetworkCopyFault", "simulated: the network copy of a disk failed", false));
    JsonNode order = api.post(ApiPaths.planOrder("ui-plan"), Map.of());
    requestId = order.path("requestId").asText();
    if ("pending".equals(order.path("approvalState").asText())) {
      api.post(ApiPaths.requestApprove(requestId), Map.of());
    }

    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      JsonNode request = api.get(ApiPaths.request(requestId));
      if (state(request, heldVm).equals("FAILED_WAITING")
          && completedVms.stream().allMatch(vm -> taskState(request, vm).equals("completed"))) {
        return;
      }
      assertTrue(
          System.nanoTime() < deadline,
          "the plan did not reach one held and two completed migrations: " + request);
      Thread.sleep(300);
    }
  }

  private static String state(JsonNode request, VmInfo vm) {
    return task(request, vm).path("migrationState").asText();
  }

  private static String taskState(JsonNode request, VmInfo vm) {
    return task(request, vm).path("state").asText();
  }

  private static JsonNode task(JsonNode request, VmInfo vm) {
    for (JsonNode t : request.path("tasks")) {
      if (vm.id().equals(t.path("vmId").asText())) {
        return t;
      }
    }
    return MissingNode.getInstance();
  }

  private static String workflowId(VmInfo vm) {
    return MigrationIds.forVm(VCENTER, vm.instanceUuid());
  }

  @Test
  void heldMigrationsAreFoundByTheirMigrationState() throws IOException {
    browser.manage().window().setSize(new Dimension(1600, 640));
    // Unfiltered, the list has every migration of the plan: the completed ones are there to see.
    open("/namespaces/default/workflows");
    String all =
        awaitReloading(
            "the three migrations in the unfiltered list",
            TemporalUiTest::rowsText,
            text ->
                text.contains(workflowId(heldVm))
                    && completedVms.stream().allMatch(vm -> text.contains(workflowId(vm))));
    assertTrue(all.toUpperCase(Locale.ROOT).contains("COMPLETED"), all);

    // The operator's query, typed into the list's raw query box (its </> button).
    clickUntil("toggle-manual-query", d -> !d.findElements(QUERY_INPUT).isEmpty());
    WebElement search = browser.findElement(QUERY_INPUT);
    search.sendKeys("MigrationState=\"FAILED_WAITING\"", Keys.ENTER);
    String held =
        await(
            "only the held migration in the list searched by MigrationState",
            TemporalUiTest::rowsText,
            text ->
                text.contains(workflowId(heldVm))
                    && completedVms.stream().noneMatch(vm -> text.contains(workflowId(vm))));
    List<WebElement> rows = browser.findElements(LIST_ROWS);
    assertEquals(1, rows.size(), "only the held migration is listed: " + held);
    assertTrue(rows.get(0).getText().contains("VmMigration"), held);
    assertTrue(rows.get(0).getText().toUpperCase(Locale.ROOT).contains("RUNNING"), held);
    for (VmInfo vm : completedVms) {
      assertFalse(
          held.contains(workflowId(vm)), vm.name() + " completed, so is not listed: " + held);
    }
    // The query lands in the page's address, so a link to the list of held migrations works.
    String url = URLDecoder.decode(browser.getCurrentUrl(), StandardCharsets.UTF_8);
    assertTrue(url.contains("query=MigrationState=\"FAILED_WAITING\""), url);
    screenshot("held-migrations-list");

    // Opened from that address, the list is filtered the same way and shows the query.
    open("/namespaces/default/workflows?query=" + encode("MigrationState=\"FAILED_WAITING\""));
    String linked =
        await(
            "the held migration in the list opened with the query in its address",
            TemporalUiTest::rowsText,
            text -> text.contains(workflowId(heldVm)));
    assertEquals(1, browser.findElements(LIST_ROWS).size(), linked);
    String page = bodyText();
    assertTrue(page.contains("MigrationState = \"FAILED_WAITING\""), page);
  }

  @Test
  void aHeldMigrationShowsItsStateLastErrorAndTheCommandsToGoOn() throws IOException {
    browser.manage().window().setSize(new Dimension(1600, 1250));
    openWorkflow(heldVm);
    clickTab("user-metadata-tab");
    // The workflow's current details are Markdown that the UI renders in a frame of its own.
    String details =
        inFrame(
            "user-metadata-current-details",
            text -> text.contains("FAILED_WAITING") && text.contains("What you can do next"));
    String vm = heldVm.name();
    assertTrue(details.contains(vm + " · FAILED_WAITING"), details);
    assertTrue(details.contains("Current action: InitiateSource"), details);
    assertTrue(
        details.contains(
            "Last error: InitiateSource failed: NetworkCopyFault: simulated: the network copy of"
                + " a disk failed"),
        details);
    assertTrue(details.contains("vmigrate vm resume " + requestId + " " + vm), details);
    assertTrue(details.contains("vmigrate vm rollback " + requestId + " " + vm), details);
    assertTrue(
        details.contains(
            "temporal workflow signal --address "
                + server.temporalAddress()
                + " --namespace default --workflow-id "
                + workflowId(heldVm)
                + " --name resume"),
        details);
    String summary = inFrame("user-metadata-summary", text -> text.contains("Migrate " + vm));
    assertTrue(summary.contains("plan ui-plan, request " + requestId), summary);
    screenshot("held-migration-details");
  }

  @Test
  void itsHistoryNamesTheActivitiesLikeVcentersActions() throws IOException {
    browser.manage().window().setSize(new Dimension(1600, 1000));
    openWorkflow(heldVm);
    clickTab("history-tab");
    String history =
        await(
            "the event history",
            () ->
                String.join(
                    "\n",
                    browser.findElements(HISTORY_ROWS).stream().map(WebElement::getText).toList()),
            text -> text.contains("InvokePrechecks") && text.contains("InitiateSource"));
    for (String activity :
        List.of(
            "InvokePrechecks",
            "SelectDestination",
            "CheckCompatibility",
            "PrepareDestination",
            "InitiateDestination",
            "InitiateSource")) {
      assertTrue(history.contains("Activity Type\n" + activity), activity + " in " + history);
    }
    assertTrue(
        history.contains("NetworkCopyFault: simulated: the network copy of a disk failed"),
        history);
    // The failed attempt of the relocate, in view for the screenshot.
    WebElement failed =
        browser.findElements(HISTORY_ROWS).stream()
            .filter(row -> row.getText().contains("NetworkCopyFault"))
            .findFirst()
            .orElseThrow();
    ((JavascriptExecutor) browser)
        .executeScript(
            "arguments[0].scrollIntoView({block: 'center'}); window.scrollTo(0, window.scrollY);",
            failed);
    screenshot("held-migration-history");
    clickTab("search-attributes-tab");
    String attributes =
        await(
            "the search attributes",
            TemporalUiTest::bodyText,
            text -> text.contains("MigrationState") && text.contains("VmName"));
    screenshot("held-migration-search-attributes");
    assertTrue(attributes.contains("\"MigrationState\": \"FAILED_WAITING\""), attributes);
    assertTrue(attributes.contains("\"VmName\": \"" + heldVm.name() + "\""), attributes);
    assertTrue(attributes.contains("\"PlanName\": \"ui-plan\""), attributes);
    assertTrue(attributes.contains("\"RequestId\": \"" + requestId + "\""), attributes);
  }

  private static String encode(String query) {
    return URLEncoder.encode(query, StandardCharsets.UTF_8);
  }

  @Test
  void theRequestPageCountsWhatIsStartedAndFinishedInListsTheUiRenders() throws IOException {
    browser.manage().window().setSize(new Dimension(1600, 1250));
    open("/namespaces/default/workflows/request-" + requestId);
    clickTab("user-metadata-tab");
    String details =
        inFrame("user-metadata-current-details", text -> text.contains("Request " + requestId));
    // One list item per line: the counts are no longer a table the UI jams into one line.
    assertTrue(details.contains("queued: 0\n"), details);
    assertTrue(details.contains("started, not finished: 1\n"), details);
    assertTrue(details.contains("completed: 2\n"), details);
    assertTrue(details.contains("Started, not finished (1): " + heldVm.name()), details);
    assertFalse(details.contains("queuedrunning"), details);
    assertFalse(details.contains("0 VMs wait for admission"), details);
    screenshot("request-details");
  }

  // Last: it rolls the held migration back, which the other tests read as held.
  @Test
  @Order(Integer.MAX_VALUE)
  void aRolledBackMigrationSaysWhatWasUndoneAndThatTheVmIsBackAtItsOrigin() throws IOException {
    ApiClient api = new ApiClient(server.apiUrl(), null, new ObjectMapper(), null);
    JsonNode answer = api.post(ApiPaths.vmSignal(requestId, heldVm.id(), "rollback"), Map.of());
    assertTrue(answer.path("answer").asText().startsWith("rollback accepted"), answer.toString());
    browser.manage().window().setSize(new Dimension(1600, 1250));
    openWorkflow(heldVm);
    clickTab("user-metadata-tab");
    String details = inFrame("user-metadata-current-details", text -> text.contains("ROLLED_BACK"));
    String vm = heldVm.name();
    assertTrue(details.contains(vm + " · ROLLED_BACK · rollback complete"), details);
    assertTrue(details.contains("Undone, in order: "), details);
    assertTrue(details.contains("Back at its origin"), details);
    assertTrue(details.contains("host " + heldVm.host()), details);
    assertFalse(details.contains("100%"), details);
    assertFalse(details.contains("Queued:"), details);
    assertFalse(details.contains("What you can do next"), details);
    screenshot("rolled-back-migration-details");
  }

  private static void open(String path) {
    browser.get(server.temporal().uiUrl() + path);
  }

  // The UI redirects a workflow id to its latest run's page.
  private static void openWorkflow(VmInfo vm) {
    open("/namespaces/default/workflows/" + workflowId(vm));
    await(
        "the page of " + workflowId(vm),
        () ->
            browser.findElements(By.cssSelector("[data-testid=workflow-id-heading]")).stream()
                .map(WebElement::getText)
                .findFirst()
                .orElse(""),
        text -> text.replaceAll("\\s", "").contains(workflowId(vm)));
  }

  // Tabs sit under the page's sticky header once the page is scrolled: bring one to the middle.
  private static void clickTab(String testId) {
    clickUntil(
        testId,
        d ->
            "true"
                .equals(
                    d.findElement(By.cssSelector("[data-testid=" + testId + "]"))
                        .getDomAttribute("aria-selected")));
  }

  private static void clickUntil(String testId, Function<WebDriver, Boolean> done) {
    new WebDriverWait(browser, UI_WAIT, Duration.ofMillis(250))
        .ignoring(NoSuchElementException.class)
        .ignoring(StaleElementReferenceException.class)
        .ignoring(ElementClickInterceptedException.class)
        .until(
            d -> {
              if (done.apply(d)) {
                return true;
              }
              WebElement e = d.findElement(By.cssSelector("[data-testid=" + testId + "]"));
              ((JavascriptExecutor) d)
                  .executeScript("arguments[0].scrollIntoView({block: 'center'});", e);
              e.click();
              return done.apply(d);
            });
  }

  private static String rowsText() {
    return String.join(
        "\n", browser.findElements(LIST_ROWS).stream().map(WebElement::getText).toList());
  }

  private static String bodyText() {
    return browser.findElement(By.tagName("body")).getText();
  }

  // Reads a frame's text once it satisfies the condition, then returns to the page.
  private static String inFrame(String id, Predicate<String> ready) {
    try {
      return await(
          "frame " + id,
          () -> {
            browser.switchTo().defaultContent();
            browser.switchTo().frame(browser.findElement(By.id(id)));
            return bodyText();
          },
          ready);
    } finally {
      browser.switchTo().defaultContent();
    }
  }

  private static String await(String what, Supplier<String> read, Predicate<String> ready) {
    String[] last = {""};
    try {
      new WebDriverWait(browser, UI_WAIT, Duration.ofMillis(250))
          .ignoring(NoSuchElementException.class)
          .ignoring(StaleElementReferenceException.class)
          .ignoring(NoSuchFrameException.class)
          .until(
              d -> {
                last[0] = read.get();
                return ready.test(last[0]);
              });
    } catch (TimeoutException e) {
      throw new AssertionError(
          "the UI did not show " + what + " within " + UI_WAIT + "; it showed:\n" + last[0], e);
    }
    return last[0];
  }

  // Like await, but reloads the page now and then: a list is read once when the page loads.
  private static String awaitReloading(
      String what, Supplier<String> read, Predicate<String> ready) {
    long[] reloaded = {System.nanoTime()};
    return await(
        what,
        () -> {
          String text = read.get();
          if (!ready.test(text) && System.nanoTime() - reloaded[0] > 5_000_000_000L) {
            reloaded[0] = System.nanoTime();
            browser.navigate().refresh();
          }
          return text;
        },
        ready);
  }

  private static void screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Files.write(
        SCREENSHOTS.resolve(name + ".png"),
        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  /** Keeps what the browser showed when a test failed, next to the screenshots. */
  @RegisterExtension
  static final TestWatcher KEEP_FAILED_PAGE =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          if (browser == null) {
            return;
          }
          String name = "failed-" + context.getRequiredTestMethod().getName();
          try {
            browser.switchTo().defaultContent();
            screenshot(name);
            Files.writeString(
                SCREENSHOTS.resolve(name + ".txt"),
                browser.getCurrentUrl() + "\n" + bodyText(),
                StandardCharsets.UTF_8);
          } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
          }
        }
      };

  /** Where the browser, its driver and the Temporal CLI are; skips or fails when one is missing. */
  static final class Tools {
    static Path chromium() {
      return Path.of(env("VMIGRATE_CHROMIUM_BIN", "/usr/bin/chromium"));
    }

    static Path chromedriver() {
      return Path.of(env("VMIGRATE_CHROMEDRIVER_BIN", "/usr/bin/chromedriver"));
    }

    static Path temporal() {
      return DevTemporal.binary(System.getenv("VMIGRATE_TEMPORAL_BIN"));
    }

    static void require() {
      List<String> missing = new ArrayList<>();
      if (!Files.isExecutable(chromium())) {
        missing.add("Chromium at " + chromium() + " (apt-get install chromium)");
      }
      if (!Files.isExecutable(chromedriver())) {
        missing.add("chromedriver at " + chromedriver() + " (apt-get install chromium-driver)");
      }
      if (!Files.isExecutable(temporal())) {
        missing.add("the Temporal CLI at " + temporal() + " (scripts/temporal install)");
      }
      if (!missing.isEmpty() && System.getenv("CI") != null) {
        throw new IllegalStateException(
            "CI: missing " + String.join(", ", missing) + "; scripts/test installs them");
      }
      Assumptions.assumeTrue(missing.isEmpty(), "missing " + String.join(", ", missing));
    }

    static WebDriver chromium(Path profile) {
      ChromeOptions options = new ChromeOptions();
      options.setBinary(chromium().toFile());
      options.addArguments(
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--window-size=1600,1000",
          "--user-data-dir=" + profile.toAbsolutePath());
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(chromedriver().toFile())
              .usingAnyFreePort()
              .build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
      return driver;
    }

    private static String env(String name, String fallback) {
      String v = System.getenv(name);
      return v == null || v.isBlank() ? fallback : v;
    }
  }
}

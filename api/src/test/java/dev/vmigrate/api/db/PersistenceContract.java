package dev.vmigrate.api.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.api.ledger.JdbcLedger;
import dev.vmigrate.api.service.DatabaseErrors;
import dev.vmigrate.api.service.MappingCatalog;
import dev.vmigrate.api.service.PlanCatalog;
import dev.vmigrate.api.service.VcenterCatalog;
import dev.vmigrate.api.support.TestBeans;
import dev.vmigrate.api.support.TestVcenters;
import dev.vmigrate.api.web.Dtos;
import dev.vmigrate.api.web.Dtos.MappingBody;
import dev.vmigrate.api.web.Dtos.PlanBody;
import dev.vmigrate.api.web.Dtos.PlanOptions;
import dev.vmigrate.api.web.Dtos.PlanView;
import dev.vmigrate.api.web.Dtos.VcenterBody;
import dev.vmigrate.api.web.Dtos.VmRef;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.RequestState;
import dev.vmigrate.model.VmOrder;
import dev.vmigrate.request.VmTaskState;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Storage behaviour that must hold on every supported database: Flyway's schema, the catalog's
 * round trips, and the ledger the request workflow depends on (paging in ledger order, idempotent
 * state updates, the open-request and already-migrated queries). Subclasses name the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PersistenceContract {
  /** A window end within the year ahead that plans accept, whole seconds as stored. */
  private static final Instant WINDOW_END =
      Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

  private ApplicationContext ctx;
  private VcenterCatalog vcenters;
  private MappingCatalog mappings;
  private PlanCatalog plans;
  private JdbcLedger ledger;
  private RequestRepository requests;
  private RequestVmRepository rows;

  /** Datasource properties; may abort or fail the class when the database is not available. */
  abstract Map<String, Object> database();

  @BeforeAll
  void start() {
    Map<String, Object> properties = new java.util.HashMap<>(database());
    // Each scrape reads the ledger afresh: the metrics tests compare two scrapes.
    properties.put("vmigrate.metrics.refresh-interval", "0s");
    ctx = ApplicationContext.run(properties, "test");
    vcenters = ctx.getBean(VcenterCatalog.class);
    mappings = ctx.getBean(MappingCatalog.class);
    plans = ctx.getBean(PlanCatalog.class);
    ledger = ctx.getBean(JdbcLedger.class);
    requests = ctx.getBean(RequestRepository.class);
    rows = ctx.getBean(RequestVmRepository.class);
  }

  @AfterAll
  void stop() {
    if (ctx != null) {
      ctx.close();
    }
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A plan over the fake source vCenter, with vCenters and mapping made for it. */
  private PlanView plan(List<VmRef> vms) {
    // The fake registry knows only "src" and "dst", so those connections are shared by the tests.
    for (String id : List.of("src", "dst")) {
      if (vcenters.listVcenters().stream().noneMatch(v -> v.id().equals(id))) {
        vcenters.createVcenter(
            new VcenterBody(
                id, "https://" + id + ".example/sdk", null, null, false, "config:" + id));
      }
    }
    var mapping =
        mappings.createMapping(
            new MappingBody(
                unique("m"),
                "src",
                "dst",
                List.of(new Dtos.ClusterBody("Cluster-A", "Cluster-X", null, "Migrated")),
                Map.of("DS1", "DS-X"),
                Map.of("VM Network", "VM Network X")));
    PlanOptions options =
        new PlanOptions(
            MigrationType.COLD,
            null,
            true,
            Duration.ofMinutes(30),
            null,
            List.of("https://hooks.example/pre"),
            null,
            4,
            null,
            WINDOW_END,
            null,
            null,
            null,
            "fifo",
            4,
            null);
    return plans.createPlan(new PlanBody(unique("p"), mapping.id(), "manual", options, vms));
  }

  @Test
  void catalogRoundTrips() {
    PlanView p =
        plan(
            List.of(
                new VmRef("web01", null, null, null),
                new VmRef(
                    null, ctx.getBean(TestBeans.Vcenters.class).src().vmId("app01"), null, null)));
    PlanView read = plans.getPlan(p.name());
    assertEquals(p.id(), read.id());
    assertEquals(List.of("web01", "app01"), read.vms().stream().map(v -> v.name()).toList());
    assertEquals(TestVcenters.uuid(1), read.vms().get(0).instanceUuid());
    assertEquals(MigrationType.COLD, read.options().migrationType());
    assertEquals(Duration.ofMinutes(30), read.options().autoConfirmAfter());
    assertEquals(WINDOW_END, read.options().windowEnd());
    assertEquals(4, read.options().concurrencyLimit());
    assertEquals("fifo", read.options().admissionPolicy());
    assertEquals(4, read.options().fifoThrottle());
    assertTrue(plans.listPlans().stream().anyMatch(s -> s.id().equals(p.id()) && s.vmCount() == 2));
    plans.deletePlan(p.id());
    assertTrue(plans.listPlans().stream().noneMatch(s -> s.id().equals(p.id())));
  }

  /**
   * A request of {@code p} with five ledger rows: three approved (stored out of order), two
   * skipped.
   */
  private RequestRow request(PlanView p, String requestState) {
    return request(p, requestState, p.name());
  }

  /** A request of the plan as the ledger stores it, under the plan name the order copied. */
  private RequestRow request(PlanView p, String requestState, String planName) {
    Instant now = Instant.now();
    RequestRow r =
        new RequestRow(
            unique("req"),
            p.id(),
            planName,
            "src",
            "approved",
            requestState,
            "Ok",
            null,
            3,
            "request-x",
            now,
            now);
    requests.save(r);
    List<RequestVmRow> list = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      boolean approved = i < 3;
      list.add(
          new RequestVmRow(
              UUID.randomUUID().toString(),
              r.id(),
              i,
              approved ? i : null,
              "vm-" + (i + 1),
              TestVcenters.uuid(i + 1),
              "vm" + i,
              approved ? "APPROVED" : "SKIPPED",
              approved ? "approve" : "skip",
              approved ? null : "already migrated",
              null,
              null,
              0,
              0,
              (i + 1) * TestVcenters.GB,
              4L << 30,
              i % 2 == 0,
              "host-1",
              "datastore-1,datastore-2",
              "datastore-9",
              true,
              10_000,
              null,
              now));
    }
    Collections.reverse(list); // ledger order must come from approved_position, not insertion
    rows.saveAll(list);
    return r;
  }

  @Test
  void ledgerPagesApprovedVmsInLedgerOrder() {
    PlanView p = plan(List.of());
    RequestRow r = request(p, "active");
    List<VmOrder> first = ledger.loadVmOrders(r.id(), 0, 2);
    assertEquals(List.of("vm-1", "vm-2"), first.stream().map(VmOrder::vmId).toList());
    List<VmOrder> second = ledger.loadVmOrders(r.id(), 2, 2);
    assertEquals(List.of("vm-3"), second.stream().map(VmOrder::vmId).toList());
    assertTrue(ledger.loadVmOrders(r.id(), 3, 2).isEmpty());
    VmOrder o = first.get(1);
    assertEquals(TestVcenters.uuid(2), o.instanceUuid());
    assertEquals(2 * TestVcenters.GB, o.diskBytes());
    assertEquals(4L << 30, o.memoryBytes());
    assertFalse(o.poweredOn());
    assertEquals(List.of("datastore-1", "datastore-2"), o.sourceDatastores());
    assertEquals(List.of("datastore-9"), o.destinationDatastores());
    assertTrue(o.storageChange());
    assertEquals(10_000, o.vmotionLinkMbps());
  }

  @Test
  void vmStateUpdatesAreIdempotent() {
    PlanView p = plan(List.of());
    RequestRow r = request(p, "active");
    ledger.recordVmState(r.id(), "vm-1", VmTaskState.STARTED, "migrate-src-1", "migrating");
    RequestVmRow started = rows.findByRequestIdAndVmId(r.id(), "vm-1").orElseThrow();
    assertEquals("STARTED", started.state());
    assertNotNull(started.deliveredAt());
    // A retried activity repeats the call: same state, delivery time unchanged.
    ledger.recordVmState(r.id(), "vm-1", VmTaskState.STARTED, "migrate-src-1", "migrating");
    RequestVmRow again = rows.findByRequestIdAndVmId(r.id(), "vm-1").orElseThrow();
    assertEquals(
        started.deliveredAt().truncatedTo(ChronoUnit.MILLIS),
        again.deliveredAt().truncatedTo(ChronoUnit.MILLIS));
    // A later call without a migration id keeps the one recorded.
    ledger.recordVmState(r.id(), "vm-1", VmTaskState.COMPLETED, null, "completed");
    RequestVmRow done = rows.findByRequestIdAndVmId(r.id(), "vm-1").orElseThrow();
    assertEquals("COMPLETED", done.state());
    assertEquals("migrate-src-1", done.migrationId());
    assertEquals(100, done.vmMigratePercent());
    assertEquals(100, done.diskMigratePercent());
    assertEquals("completed", done.message());
    RequestVmRow untouched = rows.findByRequestIdAndVmId(r.id(), "vm-2").orElseThrow();
    assertEquals("APPROVED", untouched.state());
    assertNull(untouched.deliveredAt());
  }

  @Test
  void metricsCountTheLedgersVmsByVcenterAndState() {
    PlanView p = plan(List.of());
    String before = scrape();
    RequestRow r = request(p, "finished");
    ledger.recordVmState(r.id(), "vm-1", VmTaskState.COMPLETED, "migrate-src-1", "completed");
    String after = scrape();
    // Other tests share the ledger: the request's rows add to what was counted before it.
    String vc = ",vcenter=\"src\"}";
    assertEquals(
        2.0,
        sample(after, "vmigrate_migrations{state=\"approved\"" + vc)
            - sample(before, "vmigrate_migrations{state=\"approved\"" + vc));
    assertEquals(
        1.0,
        sample(after, "vmigrate_migrations{state=\"completed\"" + vc)
            - sample(before, "vmigrate_migrations{state=\"completed\"" + vc));
    assertEquals(
        2.0,
        sample(after, "vmigrate_migrations{state=\"skipped\"" + vc)
            - sample(before, "vmigrate_migrations{state=\"skipped\"" + vc));
    assertTrue(
        after.lines().anyMatch(l -> l.startsWith("vmigrate_requests{state=\"finished\"} ")), after);
  }

  @Test
  void metricsSeriesStayBoundedWhateverThePlansAreNamedAndNoControlCharacterIsScraped() {
    PlanView p = plan(List.of());
    request(p, "finished"); // every state of this test's requests has a series already
    // A label value from elsewhere (a vCenter's datastore id) with control characters in it.
    ctx.getBean(io.micrometer.core.instrument.MeterRegistry.class)
        .counter("vmigrate.label.probe", "resource", "ds\u0000\u202E1")
        .increment();
    String before = scrape();
    int plansOrdered = 40;
    for (int i = 0; i < plansOrdered; i++) {
      // The longest plan name there is, with a bell, right-to-left override and escape in it (the
      // API refuses NUL, which PostgreSQL cannot store).
      String name = (i + "\u0007\u202E\u001b[31m" + "x".repeat(255)).substring(0, 255);
      request(p, "finished", name);
    }
    String after = scrape();
    assertEquals(series(before), series(after), "ordering more plans adds no series:\n" + after);
    assertTrue(
        series(after) < 60, "vmigrate series: states times vCenters, not plans: " + series(after));
    assertEquals(
        plansOrdered * 3.0,
        sample(after, "vmigrate_migrations{state=\"approved\",vcenter=\"src\"}")
            - sample(before, "vmigrate_migrations{state=\"approved\",vcenter=\"src\"}"));
    for (char c : after.toCharArray()) {
      assertTrue(
          c == '\n' || (c >= 0x20 && c != 0x7f && Character.getType(c) != Character.FORMAT),
          "no raw control or formatting character: U+" + Integer.toHexString(c));
    }
    assertFalse(after.contains("xxxxxxxxxx"), "no plan name in the scrape");
    // Escaped as text, the backslash written per the text format: Prometheus reads ds\u0000...
    assertTrue(
        after.contains("vmigrate_label_probe_total{resource=\"ds\\\\u0000\\\\u202e1\"} 1.0"),
        after);
  }

  private String scrape() {
    return ctx.getBean(dev.vmigrate.api.metrics.MetricsScrape.class).scrape();
  }

  /** How many vmigrate series the scrape has. */
  private static long series(String scrape) {
    return scrape.lines().filter(l -> l.startsWith("vmigrate_")).count();
  }

  /** The value of the series whose line starts with {@code series}, 0 when it is absent. */
  private static double sample(String scrape, String series) {
    return scrape
        .lines()
        .filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
        .findFirst()
        .orElse(0);
  }

  @Test
  void requestStateAndOpenAndCompletedQueries() {
    PlanView p = plan(List.of());
    RequestRow r = request(p, "active");
    assertTrue(
        rows.openRows().stream()
            .anyMatch(x -> x.requestId().equals(r.id()) && x.vmId().equals("vm-1")));
    assertTrue(
        rows.openRows().stream()
            .noneMatch(x -> x.requestId().equals(r.id()) && x.vmId().equals("vm-4")),
        "skipped rows do not hold their VM");
    ledger.recordVmState(r.id(), "vm-2", VmTaskState.COMPLETED, "migrate-src-2", "completed");
    ledger.recordRequestState(r.id(), RequestState.FINISHED, "Warn", "1 of 3 done");
    RequestRow fin = requests.findById(r.id()).orElseThrow();
    assertEquals("finished", fin.requestState());
    assertEquals("Warn", fin.status());
    assertEquals("1 of 3 done", fin.message());
    // The approved VMs that never started (the request was cancelled) no longer read approved.
    RequestVmRow unstarted = rows.findByRequestIdAndVmId(r.id(), "vm-1").orElseThrow();
    assertEquals("SKIPPED", unstarted.state());
    assertEquals("skipped: not started before the request finished", unstarted.message());
    assertEquals("COMPLETED", rows.findByRequestIdAndVmId(r.id(), "vm-2").orElseThrow().state());
    assertEquals(
        "already migrated", rows.findByRequestIdAndVmId(r.id(), "vm-4").orElseThrow().reason());
    assertTrue(rows.openRows().stream().noneMatch(x -> x.requestId().equals(r.id())));
    assertEquals(
        List.of("vm-2"), rows.completedInPlan(p.id()).stream().map(RequestVmRow::vmId).toList());
    assertTrue(
        requests.findByPlanIdOrderByCreatedAtDesc(p.id()).stream()
            .anyMatch(x -> x.id().equals(r.id())));
  }

  @Test
  void deletingAnOrderedPlanArchivesItAndKeepsItsRequests() {
    PlanView p = plan(List.of());
    RequestRow r = request(p, "finished");
    assertTrue(plans.deletePlan(p.id()), "archived, not deleted");
    assertTrue(plans.listPlans().stream().noneMatch(s -> s.id().equals(p.id())));
    assertTrue(
        plans.listPlans(true).stream()
            .anyMatch(s -> s.id().equals(p.id()) && s.archivedAt() != null));
    assertNotNull(plans.getPlan(p.name()).archivedAt());
    assertTrue(requests.findById(r.id()).isPresent());
    assertEquals(5, rows.findByRequestIdOrderByPosition(r.id()).size());
    assertTrue(plans.deletePlan(p.id()), "deleting it again changes nothing");
    assertTrue(requests.findById(r.id()).isPresent());
  }

  @Test
  void aPlanHasOneOpenRequestSlotAndAnIdempotencyKeyOneRequest() {
    PlanView p = plan(List.of());
    RequestRow first = request(p, "active");
    RequestRow second = request(p, "active");
    assertEquals(1, requests.claimOpenSlot(first.id(), p.id()));
    RuntimeException taken =
        org.junit.jupiter.api.Assertions.assertThrows(
            RuntimeException.class, () -> requests.claimOpenSlot(second.id(), p.id()));
    assertEquals(DatabaseErrors.UNIQUE_VIOLATION, DatabaseErrors.sqlState(taken));
    assertEquals(0, requests.releaseFinishedSlot(p.id()), "an open request keeps its slot");
    ledger.recordRequestState(first.id(), RequestState.FINISHED, "Ok", "done");
    assertEquals(1, requests.releaseFinishedSlot(p.id()));
    assertEquals(1, requests.claimOpenSlot(second.id(), p.id()));
    assertEquals(
        List.of(second.id()), requests.slotHolder(p.id()).stream().map(RequestRow::id).toList());
    assertEquals(
        List.of(second.id()), requests.openOfPlan(p.id()).stream().map(RequestRow::id).toList());
    ledger.recordRequestState(second.id(), RequestState.FINISHED, "Ok", "done");

    OrderKeyRepository keys = ctx.getBean(OrderKeyRepository.class);
    String key = unique("key");
    keys.save(new OrderKeyRow(key, p.id(), first.id(), Instant.now()));
    RuntimeException again =
        org.junit.jupiter.api.Assertions.assertThrows(
            RuntimeException.class,
            () -> keys.save(new OrderKeyRow(key, p.id(), second.id(), Instant.now())));
    assertEquals(DatabaseErrors.UNIQUE_VIOLATION, DatabaseErrors.sqlState(again));
    assertEquals(first.id(), keys.findById(key).orElseThrow().requestId());
  }
}

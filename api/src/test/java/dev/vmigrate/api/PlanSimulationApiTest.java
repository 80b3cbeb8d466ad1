package dev.vmigrate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.admission.AdmissionLimits;
import dev.vmigrate.api.db.RequestRepository;
import dev.vmigrate.api.db.RequestVmRepository;
import dev.vmigrate.api.db.RequestVmRow;
import dev.vmigrate.api.support.RecordingSimulator;
import dev.vmigrate.api.support.TestBeans.Vcenters;
import dev.vmigrate.api.support.TestVcenters;
import dev.vmigrate.model.FailurePolicy;
import dev.vmigrate.model.HookFailure;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.TargetPowerState;
import dev.vmigrate.model.VmOrder;
import dev.vmigrate.simulation.Finding;
import dev.vmigrate.simulation.SimulationScenario;
import dev.vmigrate.simulation.SimulationSettings;
import dev.vmigrate.simulation.TimelineChart;
import dev.vmigrate.vsphere.DatastoreInfo;
import dev.vmigrate.vsphere.HostInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.simulated.PhysicalModel;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code POST /plans/{id}/simulate} over real HTTP with the test vCenters: the scenario handed to
 * the plan simulator (here {@link RecordingSimulator}) is what an order of the plan would run, read
 * with one inventory call and no change to the vCenter, and nothing is stored; bad fields are
 * refused by name; simulations run one at a time.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanSimulationApiTest implements TestPropertyProvider {
  private static final Argument<Map<String, Object>> MAP =
      Argument.mapOf(String.class, Object.class);
  private static final long GB = TestVcenters.GB;

  @Inject
  @Client("/")
  HttpClient http;

  @Inject Vcenters vcenters;
  @Inject RecordingSimulator simulator;
  @Inject io.micronaut.runtime.server.EmbeddedServer server;
  @Inject RequestRepository requests;
  @Inject RequestVmRepository requestVms;

  /** A database of its own: the counts of requests and ledger rows are this class's alone. */
  @Override
  public Map<String, String> getProperties() {
    return Map.of(
        "datasources.default.url",
        "jdbc:h2:mem:plan-simulation-test;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
            + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        // Small, so that a plan of this test can ask for more than one simulation may make.
        "vmigrate.simulation.max-vm-runs",
        "20");
  }

  @BeforeAll
  void vcenters() {
    for (String id : List.of("src", "dst")) {
      call(
          HttpRequest.POST(
              "/vcenters",
              Map.of(
                  "id",
                  id,
                  "url",
                  "https://" + id + ".example/sdk",
                  "thumbprint",
                  "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD",
                  "credentialsRef",
                  "config:" + id)));
    }
  }

  // ---- helpers ----

  private Map<String, Object> call(MutableHttpRequest<?> r) {
    return http.toBlocking().retrieve(r.bearerAuth("test-token"), MAP);
  }

  private Map<String, Object> fails(HttpStatus status, MutableHttpRequest<?> r) {
    HttpClientResponseException e =
        assertThrows(
            HttpClientResponseException.class,
            () -> http.toBlocking().exchange(r.bearerAuth("test-token"), MAP));
    assertEquals(
        status, e.getStatus(), () -> "body: " + e.getResponse().getBody(String.class).orElse(""));
    assertEquals(
        "application/problem+json",
        e.getResponse().getContentType().map(MediaType::toString).orElse(""));
    return e.getResponse().getBody(MAP).orElseThrow();
  }

  private static MutableHttpRequest<Object> simulate(String plan, Object body) {
    return HttpRequest.POST("/plans/" + plan + "/simulate", body);
  }

  /**
   * A mapping within "src": Cluster-A to Cluster-B, DS1 to DS2 (so every disk moves), and the
   * networks given.
   */
  private String mapping(Map<String, String> networks) {
    return (String)
        call(HttpRequest.POST(
                "/mappings",
                Map.of(
                    "name",
                    "m-" + UUID.randomUUID(),
                    "sourceVcenter",
                    "src",
                    "destinationVcenter",
                    "src",
                    "clusters",
                    List.of(Map.of("source", "Cluster-A", "destination", "Cluster-B")),
                    "datastores",
                    Map.of("DS1", "DS2"),
                    "networks",
                    networks)))
            .get("id");
  }

  private String mapping() {
    return mapping(Map.of("VM Network", "Prod", "Prod", "VM Network"));
  }

  /** A plan of web01 and db01 whose mapping, after the plan was made, lost its "Prod" entry. */
  private String planWithAMappingGap() {
    String m = mapping();
    String plan = plan(m, "auto", Map.of(), "web01", "db01");
    Map<String, Object> mv = call(HttpRequest.GET("/mappings/" + m));
    call(
        HttpRequest.PUT(
            "/mappings/" + m,
            Map.of(
                "name",
                mv.get("name"),
                "sourceVcenter",
                "src",
                "destinationVcenter",
                "src",
                "clusters",
                mv.get("clusters"),
                "datastores",
                mv.get("datastores"),
                "networks",
                Map.of("VM Network", "Prod"))));
    return plan;
  }

  /** Creates a plan of these VMs (by name) and answers its id. */
  private String plan(String mapping, String policy, Map<String, Object> options, String... vms) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "p-" + UUID.randomUUID());
    body.put("mapping", mapping);
    body.put("approvalPolicy", policy);
    body.put("options", options);
    body.put("vms", Arrays.stream(vms).map(n -> Map.of("name", n)).toList());
    return (String) call(HttpRequest.POST("/plans", body)).get("id");
  }

  /** The options of the main plan: a limit of 4, and hooks that a simulation must not call. */
  private static Map<String, Object> options() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("concurrencyLimit", 4);
    o.put("failurePolicy", "rollback");
    o.put("verify", true);
    o.put("autoConfirmAfter", "PT1H");
    o.put("hookFailure", "ignore");
    o.put("preMigrationHooks", List.of("https://hooks.example/pre"));
    o.put("postMigrationHooks", List.of("https://hooks.example/post"));
    o.put("postRollbackHooks", List.of("https://hooks.example/rollback"));
    return o;
  }

  /** Every gateway operation the simulated vCenter counted since its counters were reset. */
  private static Map<String, Integer> calls(SimulatedVsphere vc) {
    Set<String> operations = new TreeSet<>();
    for (Method m : VsphereGateway.class.getMethods()) {
      operations.add(m.getName());
    }
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String op : operations) {
      int n = vc.calls(op);
      if (n > 0) {
        out.put(op, n);
      }
    }
    return out;
  }

  private static VmInfo vm(Inventory inv, String name) {
    return inv.vms().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
  }

  private static String hostId(Inventory inv, String name) {
    return inv.hosts().stream()
        .filter(h -> h.name().equals(name))
        .map(HostInfo::id)
        .findFirst()
        .orElseThrow();
  }

  private static String datastoreId(Inventory inv, String name) {
    return inv.datastores().stream()
        .filter(d -> d.name().equals(name))
        .map(DatastoreInfo::id)
        .findFirst()
        .orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object o) {
    return (List<Map<String, Object>>) o;
  }

  // ---- tests ----

  @Test
  void theScenarioIsWhatAnOrderWouldRunReadOnceAndNothingIsStoredOrChanged() {
    String planName = "sim-" + UUID.randomUUID();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", planName);
    body.put("mapping", mapping());
    body.put("approvalPolicy", "manual");
    body.put("options", options());
    body.put(
        "vms",
        List.of(
            Map.of("name", "web01"),
            Map.of("name", "db01"),
            Map.of("name", "old01"),
            Map.of("name", "big01"),
            Map.of("name", "app01")));
    String plan = (String) call(HttpRequest.POST("/plans", body)).get("id");
    SimulatedVsphere src = vcenters.src();
    Inventory inv = src.inventory();
    long requestsBefore = requests.count();
    long rowsBefore = requestVms.count();
    int simulated = simulator.scenarios().size();
    src.resetCounters();
    vcenters.dst().resetCounters();

    Map<String, Object> report =
        call(
            simulate(
                planName,
                Map.of(
                    "compare",
                    List.of(
                        Map.of("planLimit", 16),
                        Map.of("policy", "fifo", "fifoThrottle", 8),
                        Map.of("label", "wide open", "planLimit", 0),
                        Map.of("policy", "FIFO", "fifoThrottle", 2, "planLimit", 4)),
                    "model",
                    Map.of(
                        "linkEfficiency",
                        0.5,
                        "datastoreBytesPerSecond",
                        200_000_000L,
                        "switchoverTargetSeconds",
                        0.5))));

    // One bulk read of the source vCenter, nothing else: no mutating call reached either gateway.
    assertEquals(Map.of("inventory", 1), calls(src));
    assertEquals(Map.of(), calls(vcenters.dst()));
    // Nothing stored: no request, no ledger row.
    assertEquals(requestsBefore, requests.count());
    assertEquals(rowsBefore, requestVms.count());
    assertEquals(simulated + 1, simulator.scenarios().size());
    SimulationScenario s = simulator.last();

    assertEquals(planName, s.planName());
    assertEquals(
        inv.vms().stream().map(VmInfo::id).collect(Collectors.toSet()),
        s.inventory().vms().stream().map(VmInfo::id).collect(Collectors.toSet()));
    assertEquals("src", s.mapping().sourceVcenter());
    assertEquals("src", s.mapping().destinationVcenter());
    assertEquals(Map.of("DS1", "DS2"), s.mapping().datastores());

    // The approved VMs in plan order, each as the ledger would hand it to the request workflow.
    String host = hostId(inv, "esx-a1");
    String ds1 = datastoreId(inv, "DS1");
    String ds2 = datastoreId(inv, "DS2");
    List<VmOrder> expected = new ArrayList<>();
    for (String name : List.of("web01", "db01", "app01")) {
      VmInfo v = vm(inv, name);
      expected.add(
          new VmOrder(
              v.id(),
              name,
              v.instanceUuid(),
              10 * GB,
              v.memoryMb() * 1024 * 1024,
              v.powerState() == PowerState.POWERED_ON,
              host,
              List.of(ds1),
              List.of(ds2),
              true,
              10_000,
              null));
    }
    assertEquals(expected, s.orders());

    // The skipped ones, in plan order, with approval's reason.
    assertEquals(2, s.findings().size(), s.findings()::toString);
    Finding old = s.findings().get(0);
    assertEquals(vm(inv, "old01").id(), old.vmId());
    assertEquals("old01", old.name());
    assertEquals(Finding.SKIPPED, old.kind());
    assertNull(old.action());
    assertTrue(old.message().startsWith("already migrated"), old.message());
    Finding big = s.findings().get(1);
    assertEquals("big01", big.name());
    assertEquals(Finding.SKIPPED, big.kind());
    assertTrue(big.message().contains("'DS2' lacks capacity"), big.message());

    // The plan as it is first, then the alternatives in the body's order, labelled.
    assertEquals(
        List.of(
            new SimulationSettings("as planned", 4, "vmigrate", 0),
            new SimulationSettings("plan limit 16", 16, "vmigrate", 0),
            new SimulationSettings("fifo 8", 0, "fifo", 8),
            new SimulationSettings("wide open", 0, "vmigrate", 0),
            new SimulationSettings("fifo 2, plan limit 4", 4, "fifo", 2)),
        s.settings());

    // The plan's options without its hooks; its limits as an order's request gets them.
    assertEquals(
        new MigrationOptions(
            MigrationType.AUTO,
            FailurePolicy.ROLLBACK,
            true,
            Duration.ofHours(1),
            TargetPowerState.SAME,
            List.of(),
            List.of(),
            null,
            List.of(),
            List.of(),
            HookFailure.IGNORE),
        s.options());
    assertEquals(AdmissionLimits.vsphereDefaults(4), s.limits());
    PhysicalModel d = PhysicalModel.defaults();
    assertEquals(
        new PhysicalModel(
            0.5,
            200_000_000L,
            d.memoryDirtyBytesPerSecond(),
            d.maxPrecopyPasses(),
            Duration.ofMillis(500)),
        s.model());

    // The simulator's report is the answer, as JSON.
    assertEquals(planName, report.get("planName"));
    assertEquals("src", report.get("vcenterId"));
    assertEquals(5, report.get("vms"));
    List<Map<String, Object>> runs = list(report.get("runs"));
    assertEquals(
        List.of("as planned", "plan limit 16", "fifo 8", "wide open", "fifo 2, plan limit 4"),
        runs.stream().map(r -> ((Map<?, ?>) r.get("settings")).get("label")).toList());
    Map<String, Object> first = runs.get(0);
    assertEquals(180, first.get("makespanSeconds"));
    assertEquals(3, first.get("completed"));
    assertEquals(2, first.get("skipped"));
    assertEquals(5, list(first.get("vms")).size());
    // What has no value is left out, as the OpenAPI document says (a completed VM has no message).
    assertEquals(
        Set.of("vmId", "name", "state", "startSecond", "endSecond"),
        list(first.get("vms")).get(0).keySet());
    assertEquals("link:esx-a1", list(first.get("bottlenecks")).get(0).get("resource"));
    assertEquals("skipped", list(first.get("findings")).get(0).get("kind"));

    // An order of the plan now proposes exactly what the simulation ran and skipped.
    String requestId =
        (String) call(HttpRequest.POST("/plans/" + plan + "/order", "")).get("requestId");
    List<RequestVmRow> rows = requestVms.findByRequestIdOrderByPosition(requestId);
    assertEquals(
        s.orders(),
        rows.stream()
            .filter(r -> r.proposal().equals("approve"))
            .map(RequestVmRow::toVmOrder)
            .toList());
    assertEquals(
        s.findings().stream().map(f -> f.vmId() + " " + f.name() + ": " + f.message()).toList(),
        rows.stream()
            .filter(r -> r.proposal().equals("skip"))
            .map(r -> r.vmId() + " " + r.name() + ": " + r.reason())
            .toList());

    // While that request is open, its VMs cannot be simulated, as they cannot be ordered.
    Map<String, Object> busy = fails(HttpStatus.CONFLICT, simulate(plan, Map.of()));
    assertEquals("vms[0]", busy.get("field"));
    assertTrue(((String) busy.get("message")).contains("already in open request " + requestId));
    call(HttpRequest.POST("/requests/" + requestId + "/deny", Map.of()));
  }

  @Test
  void anEmptyBodySimulatesThePlanAsItIsWithTheDefaultModel() {
    String plan = plan(mapping(), "auto", Map.of(), "web01");
    for (Object body : List.of("", Map.of())) {
      call(simulate(plan, body));
      SimulationScenario s = simulator.last();
      assertEquals(List.of(new SimulationSettings("as planned", 0, "vmigrate", 0)), s.settings());
      assertEquals(PhysicalModel.defaults(), s.model());
      assertEquals(List.of("web01"), s.orders().stream().map(VmOrder::name).toList());
      assertEquals(AdmissionLimits.vsphereDefaults(0), s.limits());
    }
  }

  @Test
  void moreVmRunsThanOneSimulationMakesAreRefusedNamingCompare() {
    String plan = plan(mapping(), "auto", Map.of(), "web01", "db01", "app01");
    int before = simulator.scenarios().size();
    List<Map<String, Object>> compare = new ArrayList<>();
    for (int t = 1; t <= 6; t++) {
      compare.add(Map.of("policy", "fifo", "fifoThrottle", t));
    }
    Map<String, Object> p =
        fails(HttpStatus.BAD_REQUEST, simulate(plan, Map.of("compare", compare)));
    assertEquals("compare", p.get("field"), p.toString());
    assertEquals("max", p.get("rule"), p.toString());
    assertTrue(((String) p.get("message")).contains("3 VMs in 7 runs make 21"), p.toString());
    assertEquals(before, simulator.scenarios().size());
    // Fewer alternatives fit, and the refusal left the one-at-a-time slot free.
    call(simulate(plan, Map.of("compare", compare.subList(0, 5))));
    assertEquals(before + 1, simulator.scenarios().size());
  }

  @Test
  void aModelThatDoesNotConvergeIs422NamingTheModelAndFreesTheSlot() {
    String plan = plan(mapping(), "auto", Map.of(), "web01");
    simulator.failNext(
        new dev.vmigrate.simulation.SimulationAborted(
            dev.vmigrate.simulation.SimulationAborted.Reason.NOT_CONVERGED,
            "the simulation of 'as planned' did not converge; parameters that make the run long:"
                + " memoryDirtyBytesPerSecond 100000000000"));
    Map<String, Object> p = fails(HttpStatus.UNPROCESSABLE_ENTITY, simulate(plan, Map.of()));
    assertEquals("model", p.get("field"), p.toString());
    assertEquals("not-converged", p.get("rule"), p.toString());
    assertTrue(((String) p.get("message")).contains("did not converge"), p.toString());
    assertTrue(((String) p.get("message")).contains("memoryDirtyBytesPerSecond"), p.toString());
    call(simulate(plan, Map.of()));
  }

  @Test
  void aRunThatOutlastsTheSimulatorsLimitIs503AndFreesTheSlot() {
    String plan = plan(mapping(), "auto", Map.of(), "web01");
    simulator.failNext(
        new IllegalStateException(
            "the simulation of 'as planned' did not finish within 15 minutes of real time"));
    Map<String, Object> p = fails(HttpStatus.SERVICE_UNAVAILABLE, simulate(plan, Map.of()));
    assertEquals("simulation", p.get("field"), p.toString());
    assertTrue(
        ((String) p.get("message")).contains("did not finish within 15 minutes"), p.toString());
    call(simulate(plan, Map.of()));
  }

  @Test
  void aFifoPlanIsSimulatedAsPlannedUnderFifo() {
    String plan =
        plan(
            mapping(),
            "auto",
            Map.of("admissionPolicy", "fifo", "fifoThrottle", 3, "concurrencyLimit", 5),
            "web01");
    call(simulate(plan, Map.of("compare", List.of(Map.of("policy", "vmigrate")))));
    assertEquals(
        List.of(
            new SimulationSettings("as planned", 5, "fifo", 3),
            new SimulationSettings("plan limit 5", 5, "vmigrate", 0)),
        simulator.last().settings());
  }

  @Test
  void withAcceptSvgTheAnswerIsTheReportsTimelineChart() throws Exception {
    String plan = plan(mapping(), "auto", Map.of(), "web01", "db01");
    HttpResponse<String> r =
        http.toBlocking()
            .exchange(
                simulate(plan, Map.of()).bearerAuth("test-token").accept("image/svg+xml"),
                String.class);
    assertEquals(HttpStatus.OK, r.getStatus());
    assertEquals("image/svg+xml", r.getContentType().orElseThrow().getName());
    String svg = r.body();
    // The chart of the report this simulation made, well-formed, a bar per VM.
    assertEquals(TimelineChart.svg(RecordingSimulator.report(simulator.last())), svg);
    javax.xml.parsers.DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(
            new java.io.ByteArrayInputStream(
                svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertTrue(svg.contains("web01") && svg.contains("db01"), svg);
    // JSON stays the default, and wins when both are accepted.
    HttpResponse<String> json =
        http.toBlocking()
            .exchange(
                simulate(plan, Map.of())
                    .bearerAuth("test-token")
                    .accept("application/json, image/svg+xml"),
                String.class);
    assertEquals("application/json", json.getContentType().orElseThrow().getName());
  }

  @Test
  void badFieldsAreRefusedNamingThemAndNothingIsSimulated() {
    String plan = plan(mapping(), "auto", Map.of(), "web01");
    List<Map<String, Object>> nine = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      nine.add(Map.of("planLimit", i + 1));
    }
    List<Object> withNull = new ArrayList<>();
    withNull.add(null);
    Map<String, Object> nullEntry = new HashMap<>();
    nullEntry.put("compare", withNull);
    List<Map.Entry<String, Object>> cases = new ArrayList<>();
    cases.add(Map.entry("compare", Map.of("compare", nine)));
    cases.add(Map.entry("compare[0]", nullEntry));
    cases.add(Map.entry("compare[0].policy", Map.of("compare", List.of(Map.of("policy", "lifo")))));
    cases.add(
        Map.entry(
            "compare[1].fifoThrottle",
            Map.of("compare", List.of(Map.of(), Map.of("policy", "fifo")))));
    cases.add(
        Map.entry(
            "compare[0].fifoThrottle",
            Map.of("compare", List.of(Map.of("policy", "fifo", "fifoThrottle", 0)))));
    cases.add(
        Map.entry("compare[0].planLimit", Map.of("compare", List.of(Map.of("planLimit", -1)))));
    cases.add(
        Map.entry("compare[0].planLimit", Map.of("compare", List.of(Map.of("planLimit", 10001)))));
    cases.add(Map.entry("compare[0].label", Map.of("compare", List.of(Map.of("label", "  ")))));
    cases.add(
        Map.entry("compare[0].label", Map.of("compare", List.of(Map.of("label", "as planned")))));
    cases.add(
        Map.entry(
            "compare[1].label",
            Map.of("compare", List.of(Map.of("planLimit", 16), Map.of("planLimit", 16)))));
    cases.add(Map.entry("compare[0].colour", Map.of("compare", List.of(Map.of("colour", "red")))));
    cases.add(Map.entry("model.linkEfficiency", Map.of("model", Map.of("linkEfficiency", 0))));
    cases.add(Map.entry("model.linkEfficiency", Map.of("model", Map.of("linkEfficiency", 1.5))));
    cases.add(
        Map.entry(
            "model.datastoreBytesPerSecond",
            Map.of("model", Map.of("datastoreBytesPerSecond", 1))));
    cases.add(
        Map.entry(
            "model.memoryDirtyBytesPerSecond",
            Map.of("model", Map.of("memoryDirtyBytesPerSecond", -1))));
    cases.add(Map.entry("model.maxPrecopyPasses", Map.of("model", Map.of("maxPrecopyPasses", 0))));
    cases.add(
        Map.entry(
            "model.switchoverTargetSeconds",
            Map.of("model", Map.of("switchoverTargetSeconds", -1))));
    cases.add(
        Map.entry(
            "model.switchoverTargetSeconds",
            Map.of("model", Map.of("switchoverTargetSeconds", "1s"))));
    int simulated = simulator.scenarios().size();
    List<String> wrong = new ArrayList<>();
    cases.forEach(
        c -> {
          String field = c.getKey();
          Object body = c.getValue();
          HttpClientResponseException e;
          try {
            http.toBlocking().exchange(simulate(plan, body).bearerAuth("test-token"), MAP);
            wrong.add(field + " -> accepted: " + body);
            return;
          } catch (HttpClientResponseException refused) {
            e = refused;
          }
          Map<String, Object> problem = e.getResponse().getBody(MAP).orElse(Map.of());
          String message = String.valueOf(problem.get("message"));
          if (e.getStatus() != HttpStatus.BAD_REQUEST
              || !field.equals(problem.get("field"))
              || !message.startsWith(field)) {
            wrong.add(field + " -> " + e.getStatus().getCode() + " " + problem);
          }
        });
    assertEquals(List.of(), wrong);
    assertEquals(simulated, simulator.scenarios().size(), "nothing was simulated");
  }

  @Test
  void aMappingWithoutADestinationForWhatAVmUsesIsRefusedAsAnOrderIsAndAnUnknownPlanIs404() {
    String plan = planWithAMappingGap();
    long requestsBefore = requests.count();

    Map<String, Object> simulated = fails(HttpStatus.BAD_REQUEST, simulate(plan, Map.of()));
    Map<String, Object> ordered =
        fails(HttpStatus.BAD_REQUEST, HttpRequest.POST("/plans/" + plan + "/order", ""));

    assertEquals("mapping", simulated.get("field"));
    assertTrue(
        ((String) simulated.get("message")).contains("vms[1]: VM 'db01' uses network 'Prod'"));
    assertEquals(ordered, simulated);
    assertEquals(requestsBefore, requests.count());

    Map<String, Object> unknown = fails(HttpStatus.NOT_FOUND, simulate("no-such-plan", Map.of()));
    assertEquals("id", unknown.get("field"));
  }

  @Test
  void aPlanAcrossTwoVcentersIsNotSimulated() {
    String across =
        (String)
            call(HttpRequest.POST(
                    "/mappings",
                    Map.of(
                        "name",
                        "m-" + UUID.randomUUID(),
                        "sourceVcenter",
                        "src",
                        "destinationVcenter",
                        "dst",
                        "clusters",
                        List.of(Map.of("source", "Cluster-A", "destination", "Cluster-X")),
                        "datastores",
                        Map.of("DS1", "DS-X"),
                        "networks",
                        Map.of("VM Network", "VM Network X"))))
                .get("id");
    String plan = plan(across, "auto", Map.of(), "web01");
    vcenters.dst().resetCounters();

    Map<String, Object> e = fails(HttpStatus.BAD_REQUEST, simulate(plan, Map.of()));

    assertEquals("mapping", e.get("field"));
    assertEquals("one-vcenter", e.get("rule"));
    assertTrue(((String) e.get("message")).contains("within one vCenter"), e.toString());
    assertEquals(Map.of(), calls(vcenters.dst()));
  }

  @Test
  void aSecondSimulationWhileOneRunsIsRefusedWith429() throws Exception {
    String plan = plan(mapping(), "auto", Map.of(), "web01");
    String gap = planWithAMappingGap();
    CountDownLatch release = new CountDownLatch(1);
    while (simulator.awaitEntered(0)) {
      // drain what earlier tests left
    }
    simulator.holdUntil(release);
    CompletableFuture<HttpResponse<Map<String, Object>>> first;
    try {
      first =
          CompletableFuture.supplyAsync(
              () ->
                  http.toBlocking()
                      .exchange(simulate(plan, Map.of()).bearerAuth("test-token"), MAP));
      assertTrue(simulator.awaitEntered(20), "the first simulation reached the simulator");

      Map<String, Object> e = fails(HttpStatus.TOO_MANY_REQUESTS, simulate(plan, Map.of()));
      assertEquals("simulation", e.get("field"));
      assertEquals("busy", e.get("rule"));
      assertTrue(((String) e.get("message")).contains("one at a time"), e.toString());
    } finally {
      simulator.holdUntil(null);
      release.countDown();
    }
    assertEquals(HttpStatus.OK, first.get(20, TimeUnit.SECONDS).getStatus());

    // A refused simulation does not keep the slot either.
    fails(HttpStatus.BAD_REQUEST, simulate(gap, Map.of()));
    call(simulate(plan, Map.of()));
  }

  @Test
  void aClientThatGoesAwayCancelsItsSimulationAndFreesTheSlot() throws Exception {
    String plan = plan(mapping(), "auto", Map.of(), "web01");
    CountDownLatch never = new CountDownLatch(1);
    while (simulator.awaitEntered(0)) {
      // drain what earlier tests left
    }
    simulator.holdUntil(never);
    try {
      java.net.URL url = server.getURL();
      try (java.net.Socket client = new java.net.Socket(url.getHost(), url.getPort())) {
        String body = "{}";
        client
            .getOutputStream()
            .write(
                ("POST /plans/"
                        + plan
                        + "/simulate HTTP/1.1\r\n"
                        + "Host: "
                        + url.getHost()
                        + "\r\nAuthorization: Bearer test-token\r\n"
                        + "Content-Type: application/json\r\nContent-Length: "
                        + body.length()
                        + "\r\n\r\n"
                        + body)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
        assertTrue(simulator.awaitEntered(20), "the simulation reached the simulator");
      } // the client goes away without waiting for the answer
      assertTrue(simulator.awaitCancelled(20), "the simulation was cancelled");
    } finally {
      simulator.holdUntil(null);
      never.countDown();
    }
    // The slot is freed once the cancelled run has unwound, which follows its cancellation by a
    // moment: the next simulation is accepted within seconds, not after the run's time budget.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        call(simulate(plan, Map.of()));
        return;
      } catch (io.micronaut.http.client.exceptions.HttpClientResponseException e) {
        if (e.getStatus().getCode() != 429 || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.onSpinWait();
      }
    }
  }
}

package dev.vmigrate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.api.support.TestBeans;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.model.Placement;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code POST /vcenters/{id}/recover} on the simulated vCenter "src" with an empty ledger and an
 * empty Temporal: the leftovers come from the VMs' custom attributes alone; a dry run changes
 * nothing, apply starts one recovery workflow per VM under the VM's own id, and a second apply
 * starts none. (The recovery workflow's own run is VcsimRecoveryTest's, in the worker module.)
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecoverTest implements TestPropertyProvider {
  private static final Argument<Map<String, Object>> MAP =
      Argument.mapOf(String.class, Object.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject
  @Client("/")
  HttpClient http;

  @Inject TestBeans.Vcenters vcenters;
  @Inject WorkflowClient temporal;

  @Override
  public Map<String, String> getProperties() {
    return Map.of(
        "datasources.default.url",
        "jdbc:h2:mem:recover-test;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
            + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
  }

  private Map<String, Object> recover(Map<String, Object> body) {
    return http.toBlocking()
        .retrieve(HttpRequest.POST("/vcenters/src/recover", body).bearerAuth("test-token"), MAP);
  }

  private Map<String, Object> fails(HttpStatus status, MutableHttpRequest<?> r) {
    HttpClientResponseException e =
        assertThrows(
            HttpClientResponseException.class,
            () -> http.toBlocking().exchange(r.bearerAuth("test-token"), MAP));
    assertEquals(status, e.getStatus());
    return e.getResponse().getBody(MAP).orElseThrow();
  }

  private SimulatedVsphere src() {
    return vcenters.src();
  }

  @AfterEach
  void clearMarks() {
    for (String name : List.of("web01", "web02")) {
      String id = src().vmId(name);
      for (String key :
          List.of(
              MigrationAttributes.LOCK,
              MigrationAttributes.ORIGIN,
              MigrationAttributes.DESTINATION,
              MigrationAttributes.RESULT)) {
        src().setCustomValue(id, key, "");
      }
    }
    src()
        .inventory()
        .datastores()
        .forEach(d -> src().setCustomValue(d.id(), MigrationAttributes.RESERVATIONS, ""));
  }

  /** web01 locked by a lost migration whose origin is another host: it goes back. */
  private String loseWeb01Midway() throws Exception {
    VmInfo web01 = src().vm(src().vmId("web01"));
    String migration = MigrationIds.forVm("src", web01.instanceUuid());
    String otherHost =
        src().inventory().hosts().stream()
            .filter(h -> !h.id().equals(web01.host()))
            .findFirst()
            .orElseThrow()
            .id();
    Placement p = web01.placement("src");
    Placement origin =
        new Placement(
            "src",
            otherHost,
            p.cluster(),
            p.resourcePool(),
            p.folder(),
            p.vmPathName(),
            p.vmxDatastore(),
            p.disks(),
            p.nics(),
            p.powerState());
    src().setCustomValue(web01.id(), MigrationAttributes.LOCK, migration);
    src().setCustomValue(web01.id(), MigrationAttributes.ORIGIN, JSON.writeValueAsString(origin));
    String ds = src().inventory().datastores().get(0).id();
    src()
        .setCustomValue(
            ds, MigrationAttributes.RESERVATIONS, JSON.writeValueAsString(Map.of(migration, 5)));
    // web02: locked by a lost migration that never moved it (no origin recorded).
    src()
        .setCustomValue(
            src().vmId("web02"),
            MigrationAttributes.LOCK,
            MigrationIds.forVm("src", src().vm(src().vmId("web02")).instanceUuid()));
    return migration;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> finding(Map<String, Object> report, String vm) {
    return ((List<Map<String, Object>>) report.get("findings"))
        .stream().filter(f -> vm.equals(f.get("vm"))).findFirst().orElseThrow();
  }

  private WorkflowExecutionStatus status(String workflowId) {
    return temporal
        .getWorkflowServiceStubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(temporal.getOptions().getNamespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .build())
        .getWorkflowExecutionInfo()
        .getStatus();
  }

  @Test
  void aDryRunListsTheLeftoversFromVcenterAloneAndChangesNothing() throws Exception {
    String migration = loseWeb01Midway();

    Map<String, Object> r = recover(Map.of());

    assertEquals(false, r.get("applied"));
    assertEquals(3, r.get("markedVms"), "web01, web02 and old01 (marked migrated)");
    assertEquals(2, ((List<?>) r.get("findings")).size(), "old01's result is kept, no leftover");
    Map<String, Object> web01 = finding(r, "web01");
    assertEquals("away_from_origin", web01.get("kind"));
    assertEquals("rollback", web01.get("action"));
    assertEquals(migration, web01.get("migrationId"));
    assertTrue(web01.get("workflowId").toString().startsWith("recover-src-"), web01.toString());
    assertTrue(web01.get("found").toString().contains("reservation 5 bytes"), web01.toString());
    Map<String, Object> web02 = finding(r, "web02");
    assertEquals("locked_without_migration", web02.get("kind"));
    assertEquals("clear_marks", web02.get("action"));
    assertEquals(migration, src().vm(src().vmId("web01")).customValue(MigrationAttributes.LOCK));
  }

  @Test
  void applyStartsOneRecoveryPerVmAndASecondApplyStartsNone() throws Exception {
    loseWeb01Midway();

    Map<String, Object> r = recover(Map.of("apply", true, "vms", List.of("web01")));

    assertEquals(true, r.get("applied"));
    assertEquals(1, ((List<?>) r.get("findings")).size(), "only web01");
    Map<String, Object> web01 = finding(r, "web01");
    assertEquals("started", web01.get("started"));
    String workflowId = (String) web01.get("workflowId");
    // No worker polls in this context: the recovery stays running, as it would while it works.
    assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status(workflowId));

    Map<String, Object> again = recover(Map.of("apply", true, "vms", List.of("web01")));
    assertEquals("already running", finding(again, "web01").get("started"));
  }

  @Test
  void finaliseTurnsTheRollbackIntoAcceptingTheVmWhereItIs() throws Exception {
    loseWeb01Midway();
    Map<String, Object> r = recover(Map.of("finalise", List.of("web01")));
    assertEquals("finalise", finding(r, "web01").get("action"));
  }

  @Test
  void aNamedVmWithoutMarksIsRefusedNamingTheField() {
    Map<String, Object> e =
        fails(
            HttpStatus.BAD_REQUEST,
            HttpRequest.POST("/vcenters/src/recover", Map.of("vms", List.of("db01"))));
    assertTrue(e.toString().contains("vms: VM 'db01' carries no vmigrate mark"), e.toString());
  }

  @Test
  void anUnknownVcenterIsRefused() {
    Map<String, Object> e =
        fails(HttpStatus.BAD_REQUEST, HttpRequest.POST("/vcenters/nowhere/recover", Map.of()));
    assertTrue(e.toString().contains("nowhere"), e.toString());
  }
}

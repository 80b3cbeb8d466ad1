package dev.vmigrate.activity.impl;

import static dev.vmigrate.activity.impl.ActivityFixture.GIB;
import static dev.vmigrate.activity.impl.ActivityFixture.assertFailure;
import static dev.vmigrate.activity.impl.ActivityFixture.failure;
import static dev.vmigrate.activity.impl.ActivityFixture.mapping;
import static dev.vmigrate.activity.impl.ActivityFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpServer;
import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.vsphere.MigrationAttributes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PreparationActivitiesImplTest {
  private ActivityFixture f;
  private HttpServer server;

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void reservationsAreKeyedByMigrationAndStopOvercommit() throws IOException {
    f = new ActivityFixture();
    // web01 (50 GiB) and db01 (30 GiB) both head for ds-b.
    var toB = mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b"));
    MigrationContext web =
        f.analysed("m-web", request(f.vc.vmId("web01"), toB, MigrationType.AUTO));
    MigrationContext db = f.analysed("m-db", request(f.vc.vmId("db01"), toB, MigrationType.AUTO));
    String dsB = f.vc.datastoreId("ds-b");

    ActionOutcome first = f.preparation.reserveDirectory(web);
    assertTrue(first.changed(), first.summary());
    assertTrue(first.summary().contains("ds-b"), first.summary());
    String afterFirst = f.vc.datastore(dsB).customValue(MigrationAttributes.RESERVATIONS);
    assertFalse(f.preparation.reserveDirectory(web).changed());
    assertEquals(afterFirst, f.vc.datastore(dsB).customValue(MigrationAttributes.RESERVATIONS));
    assertTrue(f.preparation.reserveDirectory(db).changed());
    assertEquals(Map.of("m-db", 30 * GIB, "m-web", 50 * GIB), reservations(dsB));

    // ds-b has 500 GiB: a third migration needing more than the 420 GiB left fails.
    f.vc.setCustomValue(
        dsB,
        MigrationAttributes.RESERVATIONS,
        VsphereSupport.json(Map.of("m-web", 50 * GIB, "m-db", 30 * GIB, "m-big", 400 * GIB)));
    MigrationContext other =
        f.analysed("m-other", request(f.vc.vmId("web01"), toB, MigrationType.AUTO));
    assertFailure(
        failure(() -> f.preparation.reserveDirectory(other)),
        FailureTypes.INSUFFICIENT_RESOURCES,
        true,
        "ds-b");

    assertTrue(f.preparation.releaseDirectory(web).changed());
    assertFalse(f.preparation.releaseDirectory(web).changed());
    assertFalse(
        f.vc.datastore(dsB).customValue(MigrationAttributes.RESERVATIONS).contains("m-web"));
  }

  private Map<String, Long> reservations(String datastoreId) throws IOException {
    return VsphereSupport.JSON.readValue(
        f.vc.datastore(datastoreId).customValue(MigrationAttributes.RESERVATIONS),
        new TypeReference<Map<String, Long>>() {});
  }

  @Test
  void noStorageMoveReservesNothing() {
    f = new ActivityFixture();
    MigrationContext ctx =
        f.analysed(
            "m",
            request(
                f.vc.vmId("web01"),
                mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-a")),
                MigrationType.AUTO));
    assertFalse(f.preparation.reserveDirectory(ctx).changed());
    assertNull(
        f.vc.datastore(f.vc.datastoreId("ds-a")).customValue(MigrationAttributes.RESERVATIONS));
  }

  @Test
  void confirmReleasesTheReservation() {
    f = new ActivityFixture();
    MigrationContext ctx =
        f.analysed(
            "m",
            request(
                f.vc.vmId("web01"),
                mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b")),
                MigrationType.AUTO));
    f.preparation.reserveDirectory(ctx);
    assertTrue(f.finalization.confirmMigration(ctx).changed());
    assertNull(
        f.vc.datastore(f.vc.datastoreId("ds-b")).customValue(MigrationAttributes.RESERVATIONS));
  }

  @Test
  void sameVcenterInventoryVmIsANoOp() {
    f = new ActivityFixture();
    MigrationContext ctx =
        f.analysed(
            "m",
            request(
                f.vc.vmId("web01"),
                mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-a")),
                MigrationType.AUTO));
    assertFalse(f.preparation.createInventoryVm(ctx).changed());
    assertFalse(f.preparation.destroyInventoryVm(ctx).changed());
  }

  @Test
  void webhooksPostTheMigrationAndNon2xxIsRetryable() throws IOException {
    f = new ActivityFixture();
    List<String> bodies = new CopyOnWriteArrayList<>();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/ok",
        ex -> {
          bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    server.createContext(
        "/broken",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.sendResponseHeaders(503, -1);
          ex.close();
        });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    MigrationRequest ok =
        new MigrationRequest(
            f.vc.vmId("web01"),
            mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-a")),
            new MigrationOptions(
                null,
                null,
                false,
                null,
                null,
                List.of(base + "/ok"),
                List.of(base + "/broken?token=s3cret"),
                null),
            null,
            null);
    MigrationContext ctx = f.analysed("m-hooks", ok);
    ActionOutcome out = f.preparation.invokeCallbacks(ctx);
    assertTrue(out.changed());
    assertEquals(1, bodies.size());
    var body = VsphereSupport.parse(bodies.get(0), Map.class).orElseThrow();
    assertEquals("m-hooks", body.get("migrationId"));
    assertEquals("HOT", body.get("mode"));
    assertEquals("web01", ((Map<?, ?>) body.get("vm")).get("name"));
    var broken = failure(() -> f.preparation.invokeRollbackCallbacks(ctx));
    assertFailure(broken, FailureTypes.TRANSIENT, false, "503", "/broken");
    assertFalse(broken.getOriginalMessage().contains("s3cret"), "no secrets in failures");
    server.stop(0);
    server = null;
    assertFailure(
        failure(() -> f.preparation.invokeCallbacks(ctx)), FailureTypes.TRANSIENT, false, "/ok");
  }
}

package dev.vmigrate.activity.impl;

import static dev.vmigrate.activity.impl.ActivityFixture.assertFailure;
import static dev.vmigrate.activity.impl.ActivityFixture.failure;
import static dev.vmigrate.activity.impl.ActivityFixture.mapping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.HookDestinationPolicy;
import dev.vmigrate.model.HookEvent;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationState;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The post-migration and post-rollback hook activities against a real local HTTP receiver: what
 * they send (the outcome, never a secret), the idempotency key header, and what a failure says.
 */
class PostHookActivitiesTest {
  private static final String KEY = "m-hooks:run-1:post-migration";

  /** One call the receiver got. */
  private record Call(
      String path, String idempotencyKey, String contentType, String authorization, String body) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private ActivityFixture f;
  private HttpServer server;
  private String base;

  @BeforeEach
  void receiver() throws IOException {
    f = new ActivityFixture();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/hooks",
        ex -> {
          calls.add(
              new Call(
                  ex.getRequestURI().getPath(),
                  ex.getRequestHeaders().getFirst("Idempotency-Key"),
                  ex.getRequestHeaders().getFirst("Content-Type"),
                  ex.getRequestHeaders().getFirst("Authorization"),
                  new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
          String path = ex.getRequestURI().getPath();
          if (path.endsWith("/redirect")) {
            ex.getResponseHeaders().add("Location", "/hooks/ok");
            ex.sendResponseHeaders(302, -1);
          } else {
            ex.sendResponseHeaders(path.endsWith("/busy") ? 503 : 204, -1);
          }
          ex.close();
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void close() {
    f.close();
    if (server != null) {
      server.stop(0);
    }
  }

  private MigrationContext analysed(List<String> postMigration, List<String> postRollback) {
    return analysed(postMigration, postRollback, null);
  }

  private MigrationContext analysed(
      List<String> postMigration, List<String> postRollback, String secret) {
    MigrationRequest request =
        new MigrationRequest(
            f.vc.vmId("web01"),
            mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b")),
            MigrationOptions.defaults()
                .withPostHooks(postMigration, postRollback, null)
                .withHookSecret(secret),
            "wave-1",
            "req-7");
    return f.analysed("m-hooks", request);
  }

  @Test
  void postMigrationSendsTheOutcomeWithTheIdempotencyKeyAndNoSecret() {
    String secretUrl = base + "/hooks/cmdb?token=s3cret";
    MigrationContext ctx = analysed(List.of(secretUrl, base + "/hooks/backup"), List.of());
    HookEvent event = new HookEvent(HookEvent.POST_MIGRATION, KEY, MigrationState.COMPLETED, null);

    ActionOutcome out = f.preparation.invokePostMigrationHooks(ctx, event);

    assertTrue(out.changed(), out.summary());
    assertTrue(
        out.summary().contains("called 2 post-migration webhook(s) for web01"), out.summary());
    assertEquals(List.of("/hooks/cmdb", "/hooks/backup"), calls.stream().map(Call::path).toList());
    for (Call c : calls) {
      assertEquals(KEY, c.idempotencyKey());
      assertEquals("application/json", c.contentType());
      assertFalse(c.body().contains("s3cret"), "no hook URL or secret in the payload: " + c.body());
    }
    Map<?, ?> body = VsphereSupport.parse(calls.get(0).body(), Map.class).orElseThrow();
    assertEquals("post-migration", body.get("event"));
    assertEquals(KEY, body.get("idempotencyKey"));
    assertEquals("m-hooks", body.get("migrationId"));
    assertEquals("req-7", body.get("requestId"));
    assertEquals("wave-1", body.get("planName"));
    assertEquals("COMPLETED", body.get("result"));
    assertEquals("HOT", body.get("mode"));
    assertNull(body.get("error"));
    Map<?, ?> vm = (Map<?, ?>) body.get("vm");
    assertEquals("web01", vm.get("name"));
    assertEquals(f.vc.vmId("web01"), vm.get("moref"));
    assertEquals(ctx.vm().instanceUuid(), vm.get("instanceUuid"));
    Map<?, ?> from = (Map<?, ?>) body.get("from");
    Map<?, ?> to = (Map<?, ?>) body.get("to");
    assertEquals(ctx.origin().host(), from.get("host"));
    assertEquals(ctx.destination().host(), to.get("host"));
    assertFalse(from.get("host").equals(to.get("host")), "from prod to dr");
  }

  @Test
  void postRollbackSendsTheCauseUnderItsOwnKey() {
    MigrationContext ctx = analysed(List.of(), List.of(base + "/hooks/cmdb"));
    HookEvent event =
        new HookEvent(
            HookEvent.POST_ROLLBACK,
            "m-hooks:run-1:post-rollback",
            MigrationState.ROLLED_BACK,
            "InitiateSource failed: host esx-11 ran out of memory");

    f.preparation.invokePostRollbackHooks(ctx, event);

    assertEquals(1, calls.size());
    assertEquals("m-hooks:run-1:post-rollback", calls.get(0).idempotencyKey());
    Map<?, ?> body = VsphereSupport.parse(calls.get(0).body(), Map.class).orElseThrow();
    assertEquals("post-rollback", body.get("event"));
    assertEquals("ROLLED_BACK", body.get("result"));
    assertEquals("InitiateSource failed: host esx-11 ran out of memory", body.get("error"));
  }

  @Test
  void noHooksConfiguredCallsNothing() {
    MigrationContext ctx = analysed(List.of(), List.of());
    ActionOutcome out =
        f.preparation.invokePostMigrationHooks(
            ctx, new HookEvent(HookEvent.POST_MIGRATION, KEY, MigrationState.COMPLETED, null));
    assertFalse(out.changed());
    assertTrue(calls.isEmpty());
  }

  @Test
  void aReceiverThatRefusesOrIsDownFailsRetryablyNamingTheUrlWithoutItsSecrets() {
    MigrationContext busy =
        analysed(
            List.of(base + "/hooks/ok", "http://127.0.0.1:" + port() + "/hooks/busy?token=s3cret"),
            List.of());
    HookEvent event = new HookEvent(HookEvent.POST_MIGRATION, KEY, MigrationState.COMPLETED, null);

    ApplicationFailure refused = failure(() -> f.preparation.invokePostMigrationHooks(busy, event));

    assertFailure(refused, FailureTypes.TRANSIENT, false, "HTTP 503", "/hooks/busy");
    assertFalse(refused.getOriginalMessage().contains("s3cret"), refused.getOriginalMessage());
    // The first receiver got the call; a retry calls it again under the same key.
    assertEquals(KEY, calls.get(0).idempotencyKey());

    server.stop(0);
    server = null;
    MigrationContext down = analysed(List.of(base + "/hooks/ok?token=s3cret"), List.of());
    ApplicationFailure unreachable =
        failure(() -> f.preparation.invokePostMigrationHooks(down, event));
    assertFailure(unreachable, FailureTypes.TRANSIENT, false, "/hooks/ok", "failed");
    assertFalse(unreachable.getOriginalMessage().contains("s3cret"));
  }

  private static final HookEvent MIGRATED =
      new HookEvent(HookEvent.POST_MIGRATION, KEY, MigrationState.COMPLETED, null);

  /** The fixture's activities with hooks called under {@code policy} and {@code secrets}. */
  private void hooksUnder(HookDestinationPolicy policy, HookSecrets secrets) {
    f.hooks = new HookCalls(policy, secrets, ActivityFixture.FAST.webhookTimeout());
    f.newEnvironment();
  }

  @Test
  void aLoopbackReceiverIsRefusedUnlessTheConfigurationAllowsIt() {
    hooksUnder(HookDestinationPolicy.strict(), HookSecrets.NONE);
    for (String url :
        List.of(
            base + "/hooks/ok",
            "http://2130706433:" + port() + "/hooks/ok",
            "http://0x7f000001:" + port() + "/hooks/ok",
            "http://127.1:" + port() + "/hooks/ok",
            "http://[::ffff:127.0.0.1]:" + port() + "/hooks/ok",
            "http://localhost:" + port() + "/hooks/ok")) {
      MigrationContext ctx = analysed(List.of(url), List.of());
      ApplicationFailure refused =
          failure(() -> f.preparation.invokePostMigrationHooks(ctx, MIGRATED));
      assertFailure(refused, FailureTypes.INVALID_REQUEST, true, "refused", "/hooks/ok");
    }
    assertTrue(calls.isEmpty(), "no call reached the receiver: " + calls);
  }

  @Test
  void aNameThatResolvesToLoopbackAtCallTimeIsRefusedAndAnAllowedOneIsCalledAtTheCheckedAddress() {
    HookDestinationPolicy.Resolver toLoopback =
        host -> {
          if (!host.equals("cmdb.example")) {
            throw new java.net.UnknownHostException(host);
          }
          return new InetAddress[] {InetAddress.getLoopbackAddress()};
        };
    String url = "http://cmdb.example:" + port() + "/hooks/cmdb";
    MigrationContext ctx = analysed(List.of(url), List.of());
    // The name passes the check as written (it is no internal name) ...
    assertTrue(HookDestinationPolicy.strict().problem(url).isEmpty());
    // ... and what it resolves to when the call is made is refused.
    hooksUnder(HookDestinationPolicy.strict().withResolver(toLoopback), HookSecrets.NONE);
    ApplicationFailure refused =
        failure(() -> f.preparation.invokePostMigrationHooks(ctx, MIGRATED));
    assertFailure(
        refused, FailureTypes.INVALID_REQUEST, true, "cmdb.example resolves to 127.0.0.1");
    assertTrue(calls.isEmpty());

    // Allowed, the call goes to the address the policy resolved (the system knows no such name).
    hooksUnder(
        HookDestinationPolicy.allowing(List.of("127.0.0.0/8")).withResolver(toLoopback),
        HookSecrets.NONE);
    f.preparation.invokePostMigrationHooks(ctx, MIGRATED);
    assertEquals(List.of("/hooks/cmdb"), calls.stream().map(Call::path).toList());
  }

  @Test
  void aRedirectIsNotFollowed() {
    MigrationContext ctx = analysed(List.of(base + "/hooks/redirect"), List.of());
    ApplicationFailure failed =
        failure(() -> f.preparation.invokePostMigrationHooks(ctx, MIGRATED));
    assertFailure(failed, FailureTypes.TRANSIENT, false, "HTTP 302");
    assertEquals(List.of("/hooks/redirect"), calls.stream().map(Call::path).toList());
  }

  @Test
  void aUrlWithUserAndPasswordIsRefusedWithoutQuotingThem() {
    MigrationContext ctx =
        analysed(List.of("http://ops:pa55@127.0.0.1:" + port() + "/hooks/ok"), List.of());
    ApplicationFailure refused =
        failure(() -> f.preparation.invokePostMigrationHooks(ctx, MIGRATED));
    assertFailure(refused, FailureTypes.INVALID_REQUEST, true, "secret reference");
    assertFalse(refused.getOriginalMessage().contains("pa55"), refused.getOriginalMessage());
    assertTrue(calls.isEmpty());
  }

  @Test
  void theSecretNamedByThePlanIsSentAsTheAuthorizationHeader(@TempDir Path dir) throws IOException {
    Path token = Files.writeString(dir.resolve("cmdb.token"), "t0ken-abc\n");
    Path password = Files.writeString(dir.resolve("backup.password"), "pa55word");
    Map<String, String> config =
        Map.of(
            "vmigrate.hooks.secrets.cmdb.token-file", token.toString(),
            "vmigrate.hooks.secrets.backup.username", "ops",
            "vmigrate.hooks.secrets.backup.password-file", password.toString());
    hooksUnder(
        HookDestinationPolicy.allowing(List.of("127.0.0.0/8")),
        new HookSecrets(key -> java.util.Optional.ofNullable(config.get(key))));

    MigrationContext bearer = analysed(List.of(base + "/hooks/cmdb"), List.of(), "cmdb");
    MigrationContext basic = analysed(List.of(base + "/hooks/backup"), List.of(), "backup");
    f.preparation.invokePostMigrationHooks(bearer, MIGRATED);
    f.preparation.invokePostMigrationHooks(basic, MIGRATED);

    assertEquals("Bearer t0ken-abc", calls.get(0).authorization());
    assertEquals(
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString("ops:pa55word".getBytes(StandardCharsets.UTF_8)),
        calls.get(1).authorization());
    // The workflow input carries the name only.
    assertEquals("cmdb", bearer.request().options().hookSecret());
    assertFalse(bearer.toString().contains("t0ken"), "no secret in the input: " + bearer);

    MigrationContext unknown = analysed(List.of(base + "/hooks/cmdb"), List.of(), "nosuch");
    ApplicationFailure missing =
        failure(() -> f.preparation.invokePostMigrationHooks(unknown, MIGRATED));
    assertFailure(missing, FailureTypes.INVALID_REQUEST, true, "no secret 'nosuch'");
    assertEquals(2, calls.size());
  }

  private int port() {
    return server.getAddress().getPort();
  }
}

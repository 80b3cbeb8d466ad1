package dev.vmigrate.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.ActionAttempt;
import dev.vmigrate.model.Destination;
import dev.vmigrate.model.HostChoice;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.TemporalEndpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class CurrentDetailsTest {

  @Test
  void heldMigrationShowsTheErrorAndTheExactCommandsToResumeOrRollBack() {
    MigrationContext ctx =
        MigrationContext.start(
                "migrate-vc1-50aa", MigrationFixtures.request(MigrationOptions.defaults()))
            .withPrechecks(MigrationFixtures.prechecks());

    String md =
        CurrentDetails.markdown(
            ctx,
            MigrationState.FAILED_WAITING,
            "InitiateSource",
            40,
            "InitiateSource failed: host esx-02 not responding",
            List.of(MigrationAction.INVOKE_PRECHECKS),
            List.of(MigrationAction.INITIATE_SOURCE));

    assertTrue(md.startsWith("### web01 · FAILED_WAITING · 40%"), md);
    assertTrue(md.contains("**Last error:** InitiateSource failed: host esx-02 not responding"));
    assertTrue(md.contains("`vmigrate vm resume req-1 web01`"), md);
    assertTrue(md.contains("`vmigrate vm rollback req-1 web01`"), md);
    assertTrue(
        md.contains("`temporal workflow signal --workflow-id migrate-vc1-50aa --name resume`"), md);
    assertFalse(md.contains("pause"), "a held migration is not offered pause");
  }

  @Test
  void theChosenHostAndWhyAreShownOnceSelectDestinationHasRun() {
    Destination d = MigrationFixtures.destination();
    HostChoice why =
        new HostChoice(
            "req-1",
            "esx-07",
            120,
            List.of(),
            2,
            0,
            3,
            List.of("esx-08: in maintenance mode"),
            false);
    MigrationContext ctx =
        MigrationContext.start(
                "migrate-vc1-50aa", MigrationFixtures.request(MigrationOptions.defaults()))
            .withDestination(
                new Destination(
                    d.vcenter(),
                    d.host(),
                    d.cluster(),
                    d.resourcePool(),
                    d.folder(),
                    d.vmxDatastore(),
                    d.disks(),
                    d.nics(),
                    why));

    String md =
        CurrentDetails.markdown(
            ctx, MigrationState.RUNNING, "InitiateSource", 40, null, List.of(), List.of());

    assertTrue(
        md.contains(
            "**Destination:** esx-07 (host-7): score 120.0; 2 VMs of this request and 0 migrations"
                + " in flight there; 3 hosts passed the filter, filtered out: esx-08: in"
                + " maintenance mode\n"),
        md);
  }

  @Test
  void migrationOutsideAnyRequestOffersOnlyTheTemporalCommand() {
    MigrationRequest alone =
        new MigrationRequest("vm-42", MigrationFixtures.request(null).mapping(), null, null, null);
    String md =
        CurrentDetails.markdown(
            MigrationContext.start("migrate-vc1-50aa", alone),
            MigrationState.VERIFYING,
            null,
            100,
            null,
            List.of(),
            List.of());

    assertTrue(
        md.contains("temporal workflow signal --workflow-id migrate-vc1-50aa --name confirm"));
    assertFalse(md.contains("vmigrate vm"), md);
  }

  private static final List<MigrationAction> HOT_DONE =
      List.of(
          MigrationAction.INVOKE_PRECHECKS,
          MigrationAction.SELECT_DESTINATION,
          MigrationAction.RESERVE_DIRECTORY,
          MigrationAction.PREPARE_SOURCE,
          MigrationAction.INITIATE_SOURCE);

  private static MigrationContext moved(MigrationRequest request) {
    return MigrationContext.start("migrate-vc1-50aa", request)
        .withPrechecks(MigrationFixtures.prechecks())
        .withDestination(MigrationFixtures.destination());
  }

  /**
   * The details of a migration in every state and both directions, as the workflow builds them:
   * each says its state, shows progress in the direction under way, and offers exactly the actions
   * that apply.
   */
  @Test
  void everyStateInBothDirectionsReadsAsWhatIsHappening() {
    MigrationContext ctx = moved(MigrationFixtures.request(MigrationOptions.defaults()));
    String origin = MigrationFixtures.prechecks().origin().host();
    String dest = MigrationFixtures.destination().host();
    List<MigrationAction> queued = List.of(MigrationAction.COMPLETE_SOURCE);
    List<MigrationAction> toUndo =
        List.of(MigrationAction.INITIATE_SOURCE, MigrationAction.PREPARE_SOURCE);
    List<String> allUndone = List.of("RevertSource", "UnprepareSource", "ReleaseDirectory");
    record Case(
        CurrentDetails.View view, String heading, List<String> present, List<String> absent) {}
    List<Case> cases =
        List.of(
            new Case(
                view(
                    ctx,
                    MigrationState.PENDING,
                    false,
                    null,
                    0,
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of("pause", "rollback")),
                "### web01 · PENDING · 0%",
                List.of("--name pause`", "--name rollback`"),
                List.of("Undone", "--name resume`")),
            new Case(
                view(
                    ctx,
                    MigrationState.RUNNING,
                    false,
                    MigrationAction.INITIATE_SOURCE,
                    43,
                    HOT_DONE,
                    queued,
                    List.of(),
                    List.of("pause", "rollback")),
                "### web01 · RUNNING · 43%",
                List.of("**Current action:** InitiateSource", "**Destination:** ", "**Queued:**"),
                List.of("Undoing", "--name confirm`")),
            new Case(
                view(
                    ctx,
                    MigrationState.PAUSED,
                    false,
                    MigrationAction.COMPLETE_SOURCE,
                    80,
                    HOT_DONE,
                    queued,
                    List.of(),
                    List.of("resume", "rollback")),
                "### web01 · PAUSED · 80%",
                List.of("--name resume`", "**Queued:** CompleteSource"),
                List.of("--name pause`")),
            new Case(
                view(
                    ctx,
                    MigrationState.FAILED_WAITING,
                    false,
                    MigrationAction.COMPLETE_SOURCE,
                    80,
                    HOT_DONE,
                    queued,
                    List.of(),
                    List.of("resume", "rollback")),
                "### web01 · FAILED_WAITING · 80%",
                List.of("**Last error:** boom", "--name resume`", "--name rollback`"),
                List.of("--name pause`", "Undone")),
            new Case(
                view(
                    ctx,
                    MigrationState.VERIFYING,
                    false,
                    null,
                    100,
                    HOT_DONE,
                    List.of(),
                    List.of(),
                    List.of("confirm", "rollback")),
                "### web01 · VERIFYING · 100%",
                List.of("--name confirm`", "**Done:** InvokePrechecks"),
                List.of("**Queued:**", "--name resume`")),
            new Case(
                view(
                    ctx,
                    MigrationState.ROLLING_BACK,
                    true,
                    MigrationAction.INITIATE_SOURCE,
                    100,
                    HOT_DONE,
                    List.of(),
                    toUndo,
                    List.of()),
                "### web01 · ROLLING_BACK · rolling back, 0 of 2 undone",
                List.of(
                    "**Undoing:** RevertSource (undoes InitiateSource)",
                    "**Still to undo:** RevertSource, UnprepareSource",
                    "**Abandoned destination:** " + dest),
                List.of("**Current action:**", "**Done:**", "%", "What you can do next")),
            new Case(
                viewUndone(
                    ctx,
                    MigrationState.FAILED_WAITING,
                    MigrationAction.PREPARE_SOURCE,
                    List.of("RevertSource"),
                    List.of(MigrationAction.PREPARE_SOURCE),
                    List.of("resume")),
                "### web01 · FAILED_WAITING · rolling back, 1 of 2 undone",
                List.of(
                    "**Undoing:** UnprepareSource (undoes PrepareSource)",
                    "**Undone, in order:** RevertSource",
                    "**Cause:** boom",
                    "--name resume`"),
                List.of("--name rollback`", "**Queued:**", "%")),
            new Case(
                viewUndone(ctx, MigrationState.ROLLED_BACK, null, allUndone, List.of(), List.of()),
                "### web01 · ROLLED_BACK · rollback complete",
                List.of(
                    "**Undone, in order:** RevertSource, UnprepareSource, ReleaseDirectory",
                    "**Back at its origin** (as InvokePrechecks recorded it)",
                    "- host " + origin,
                    "- datastores datastore-1",
                    "- networks network-1"),
                List.of("**Destination:**", "**Done:**", "**Queued:**", "%", "What you can do")),
            new Case(
                view(
                    ctx,
                    MigrationState.COMPLETED,
                    false,
                    null,
                    100,
                    HOT_DONE,
                    List.of(),
                    List.of(),
                    List.of()),
                "### web01 · COMPLETED · 100%",
                List.of("**Destination:** "),
                List.of("What you can do next", "Undone")));

    assertEquals(
        MigrationState.values().length,
        cases.stream().map(c -> c.view().state()).distinct().count(),
        "a case for every state");
    for (Case c : cases) {
      String md = CurrentDetails.markdown(c.view());
      assertTrue(md.startsWith(c.heading() + "\n"), md);
      c.present().forEach(p -> assertTrue(md.contains(p), p + " in\n" + md));
      c.absent().forEach(a -> assertFalse(md.contains(a), a + " not in\n" + md));
      assertFalse(md.contains("|---"), "no tables: the UI's Markdown renders none");
    }
  }

  private static CurrentDetails.View view(
      MigrationContext ctx,
      MigrationState state,
      boolean rollingBack,
      MigrationAction current,
      int percent,
      List<MigrationAction> done,
      List<MigrationAction> queued,
      List<MigrationAction> toUndo,
      List<String> next) {
    return new CurrentDetails.View(
        ctx,
        state,
        rollingBack,
        current,
        current == null ? null : rollingBack ? current.compensationName() : current.activityName(),
        percent,
        state == MigrationState.FAILED_WAITING ? "boom" : null,
        done,
        queued,
        List.of(),
        toUndo,
        null,
        List.of(),
        next);
  }

  private static CurrentDetails.View viewUndone(
      MigrationContext ctx,
      MigrationState state,
      MigrationAction current,
      List<String> undone,
      List<MigrationAction> toUndo,
      List<String> next) {
    return new CurrentDetails.View(
        ctx,
        state,
        true,
        current,
        current == null ? null : current.compensationName(),
        100,
        state == MigrationState.FAILED_WAITING ? "boom" : null,
        HOT_DONE,
        List.of(),
        undone,
        toUndo,
        null,
        List.of(),
        next);
  }

  @Test
  void copiedCommandsNameTheTemporalEndpointTheMigrationRunsOn() {
    MigrationRequest base = MigrationFixtures.request(MigrationOptions.defaults());
    MigrationRequest request =
        new MigrationRequest(
            base.vm(),
            base.mapping(),
            base.options(),
            base.planName(),
            base.requestId(),
            new TemporalEndpoint("127.0.0.1:17233", "vmigrate"));

    String md =
        CurrentDetails.markdown(
            moved(request), MigrationState.VERIFYING, null, 100, null, HOT_DONE, List.of());

    assertTrue(
        md.contains(
            "`temporal workflow signal --address 127.0.0.1:17233 --namespace vmigrate"
                + " --workflow-id migrate-vc1-50aa --name confirm`"),
        md);
  }

  @Test
  void anEndpointThatWouldBreakTheCommandIsRefusedNamingTheField() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> new TemporalEndpoint("127.0.0.1:7233`; rm -rf /", "default"));
    assertTrue(e.getMessage().startsWith("temporal.address: "), e.getMessage());
  }

  @Test
  void aClientTargetTheCliCannotTakeNamesNoAddressRatherThanFailing() {
    assertEquals(
        " --namespace vmigrate",
        TemporalEndpoint.ofTarget("dns:///temporal.internal:7233", "vmigrate").cliFlags());
    assertEquals(" --namespace default", TemporalEndpoint.ofTarget(null, "default").cliFlags());
    assertEquals(
        " --address 10.0.0.5:7233 --namespace default",
        TemporalEndpoint.ofTarget("10.0.0.5:7233", "default").cliFlags());
  }

  @Test
  void aRetryShowsTheAttemptItsMaximumAndTheFailure() {
    MigrationContext ctx = moved(MigrationFixtures.request(MigrationOptions.defaults()));
    String md =
        CurrentDetails.markdown(
            new CurrentDetails.View(
                ctx,
                MigrationState.RUNNING,
                false,
                MigrationAction.INITIATE_SOURCE,
                "InitiateSource",
                43,
                null,
                HOT_DONE,
                List.of(),
                List.of(),
                List.of(),
                new ActionAttempt("InitiateSource", 3, 10, "host not responding"),
                List.of(),
                List.of("pause", "rollback")));

    assertTrue(
        md.contains(
            "**Retrying:** InitiateSource attempt 3 of 10 failed: host not responding; Temporal"
                + " runs attempt 4"),
        md);
  }
}

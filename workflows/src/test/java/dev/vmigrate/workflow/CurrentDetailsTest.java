package dev.vmigrate.workflow;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.Destination;
import dev.vmigrate.model.HostChoice;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationState;
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
}

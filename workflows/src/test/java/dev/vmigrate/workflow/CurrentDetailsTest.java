package dev.vmigrate.workflow;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

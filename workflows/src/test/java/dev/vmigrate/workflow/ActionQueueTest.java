package dev.vmigrate.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationItinerary;
import dev.vmigrate.model.MigrationMode;
import dev.vmigrate.model.PowerState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress percentage only rises while a migration runs its queue. */
class ActionQueueTest {

  /** Every percentage seen while the prefix runs, ComputeSpec appends {@code tail} and it runs. */
  private static List<Integer> run(List<MigrationAction> tail, long bytes) {
    ActionQueue q = new ActionQueue(MigrationItinerary.PREFIX);
    List<Integer> seen = new ArrayList<>();
    seen.add(q.percent(0, List.of()));
    while (!q.isEmpty()) {
      MigrationAction head = q.head();
      q.completeHead();
      if (head == MigrationAction.COMPUTE_SPEC) {
        q.append(tail);
      }
      // As the workflow does: bytes to move are known once ComputeSpec has run.
      seen.add(q.percent(q.done().contains(MigrationAction.COMPUTE_SPEC) ? bytes : 0, List.of()));
    }
    return seen;
  }

  @Test
  void progressNeverFallsBackWhenComputeSpecAppendsTheRest() {
    List<MigrationItinerary.Facts> cases =
        List.of(
            new MigrationItinerary.Facts(
                MigrationMode.HOT, false, PowerState.POWERED_ON, false, false),
            new MigrationItinerary.Facts(
                MigrationMode.HOT, false, PowerState.POWERED_ON, true, true),
            new MigrationItinerary.Facts(
                MigrationMode.COLD, false, PowerState.POWERED_ON, true, true),
            new MigrationItinerary.Facts(
                MigrationMode.COLD, true, PowerState.POWERED_OFF, false, false));
    for (MigrationItinerary.Facts facts : cases) {
      for (long bytes : new long[] {0, 40L << 30}) {
        List<Integer> seen = run(MigrationItinerary.after(facts), bytes);
        for (int i = 1; i < seen.size(); i++) {
          assertTrue(
              seen.get(i) >= seen.get(i - 1), () -> facts + ", " + bytes + " bytes: " + seen);
        }
        assertEquals(100, seen.get(seen.size() - 1));
      }
    }
  }
}

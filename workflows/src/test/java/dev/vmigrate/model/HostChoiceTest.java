package dev.vmigrate.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vmigrate.model.HostChoice.ScorePart;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostChoiceTest {

  @Test
  void describesTheScoreWhatTheHostHasAndWhatWasFilteredOut() {
    HostChoice c =
        new HostChoice(
            "r1",
            "esx-02",
            143.25,
            List.of(
                new ScorePart("memory", 0.71, 71.0),
                new ScorePart("cpu", 0.8225, 82.25),
                new ScorePart("plan", 1, -10),
                new ScorePart("inFlight", 0, -0.0)),
            1,
            0,
            3,
            List.of("esx-04: in maintenance mode", "esx-05: 2.0 GiB free, needs 4.0 GiB"),
            false);
    assertEquals(
        "score 143.3 (memory +71.0, cpu +82.3, plan -10.0, inFlight +0.0); 1 VM of this request"
            + " and 0 migrations in flight there; 3 hosts passed the filter, filtered out: esx-04:"
            + " in maintenance mode; esx-05: 2.0 GiB free, needs 4.0 GiB",
        c.describe());
  }

  @Test
  void saysWhenTheVmStaysAndCountsInTheSingular() {
    HostChoice c = new HostChoice(null, "esx-01", 90, List.of(), 0, 1, 1, List.of(), true);
    assertEquals(
        "stays on its current host; score 90.0; 0 VMs of this request and 1 migration in flight"
            + " there; 1 host passed the filter",
        c.describe());
  }
}

package dev.vmigrate.activity.impl;

import static dev.vmigrate.activity.impl.ActivityFixture.mapping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.Destination;
import dev.vmigrate.model.HostChoice;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.vsphere.MigrationAttributes;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SelectDestination's placement marks on the simulated vSphere: prod to dr, where esx-11 and esx-12
 * can take the VMs and esx-13 lacks datastore ds-b.
 */
class SelectDestinationPlacementTest {
  private final ActivityFixture f = new ActivityFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private MigrationContext prechecked(String vm, String requestId) {
    MigrationRequest r =
        new MigrationRequest(
            f.vc.vmId(vm),
            mapping("vc1", "prod", "dr", Map.of("ds-a", "ds-b")),
            MigrationOptions.defaults(),
            "plan",
            requestId);
    MigrationContext ctx = MigrationContext.start("m-" + vm, r);
    return ctx.withPrechecks(f.analysis.invokePrechecks(ctx));
  }

  @Test
  void aSecondRunChoosesTheSameHostAndTheNextVmOfTheRequestAnother() {
    MigrationContext web = prechecked("web01", "req-1");
    Destination first = f.analysis.selectDestination(web);
    assertEquals(f.vc.hostId("esx-11"), first.host(), "a tie, to the lowest host id");
    String mark = f.vc.customValues(f.vc.vmId("web01")).get(MigrationAttributes.PLACEMENT);
    assertTrue(mark.contains("\"request\":\"req-1\"") && mark.contains(first.host()), mark);

    // The activity may run twice: its own mark is not counted against the host it chose.
    Destination again = f.analysis.selectDestination(web);
    assertEquals(first, again);
    assertEquals(0, again.choice().placedByRequest());

    Destination db = f.analysis.selectDestination(prechecked("db01", "req-1"));
    assertEquals(f.vc.hostId("esx-12"), db.host(), "esx-11 already holds a VM of req-1");
    HostChoice why = db.choice();
    assertEquals("esx-12", why.hostName());
    assertEquals(2, why.candidates());
    assertFalse(why.stayed());
    assertEquals(1, why.rejected().size());
    assertTrue(why.rejected().get(0).startsWith("esx-13: does not mount"), why::toString);
    assertEquals(why.score(), why.parts().stream().mapToDouble(p -> p.points()).sum(), 1e-9);
  }

  @Test
  void onlyTheSameRequestsPlacementsCount() {
    f.analysis.selectDestination(prechecked("web01", "req-1"));
    Destination other = f.analysis.selectDestination(prechecked("db01", "req-2"));
    assertEquals(f.vc.hostId("esx-11"), other.host());
    assertEquals("req-2", other.choice().requestId());
    assertEquals(0, other.choice().placedByRequest());
  }

  @Test
  void aMigrationOutsideAnyRequestLeavesNoMark() {
    MigrationContext web = prechecked("web01", null);
    assertEquals(f.vc.hostId("esx-11"), f.analysis.selectDestination(web).host());
    assertFalse(f.vc.customValues(f.vc.vmId("web01")).containsKey(MigrationAttributes.PLACEMENT));
  }
}

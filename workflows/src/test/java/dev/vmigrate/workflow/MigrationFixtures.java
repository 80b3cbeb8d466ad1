package dev.vmigrate.workflow;

import dev.vmigrate.model.ActionOutcome;
import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.Destination;
import dev.vmigrate.model.DiskLocator;
import dev.vmigrate.model.DiskMode;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationAction;
import dev.vmigrate.model.MigrationMode;
import dev.vmigrate.model.MigrationOptions;
import dev.vmigrate.model.MigrationRequest;
import dev.vmigrate.model.MigrationSpec;
import dev.vmigrate.model.NicBackingChange;
import dev.vmigrate.model.Placement;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.model.PrecheckFinding;
import dev.vmigrate.model.PrecheckReport;
import dev.vmigrate.model.Severity;
import dev.vmigrate.model.VirtualDisk;
import dev.vmigrate.model.VirtualNic;
import dev.vmigrate.model.VmIdentity;
import java.util.List;
import java.util.Map;

/** Records for workflow tests whose activities are mocks. */
final class MigrationFixtures {
  private MigrationFixtures() {}

  static final VmIdentity VM =
      new VmIdentity(
          "vm-42", "web01", "50123456-aaaa-bbbb-cccc-000000000042", "42123456-0000-0000-0000-42");

  static final List<MigrationAction> HOT =
      List.of(
          MigrationAction.PREPARE_SOURCE,
          MigrationAction.PREPARE_DESTINATION,
          MigrationAction.INITIATE_DESTINATION,
          MigrationAction.INITIATE_SOURCE,
          MigrationAction.SWITCH_HOST_AND_POOL,
          MigrationAction.COMPLETE_SOURCE,
          MigrationAction.COMPLETE_DESTINATION);

  static MigrationRequest request(MigrationOptions options) {
    InfrastructureMapping mapping =
        new InfrastructureMapping(
            "vc1",
            "vc1",
            List.of(new ClusterMapping("C0", "C1", null, null)),
            Map.of("ds-a", "ds-b"),
            Map.of("VM Network", "Prod"));
    return new MigrationRequest(VM.id(), mapping, options, "plan-a", "req-1");
  }

  static PrecheckReport prechecks() {
    Placement origin =
        new Placement(
            "vc1",
            "host-1",
            "domain-c1",
            "resgroup-1",
            "group-v1",
            "[ds-a] web01/web01.vmx",
            "datastore-1",
            List.of(
                new VirtualDisk(
                    2000,
                    "Hard disk 1",
                    "datastore-1",
                    "[ds-a] web01/web01.vmdk",
                    40L << 30,
                    DiskMode.PERSISTENT,
                    false)),
            List.of(
                new VirtualNic(
                    4000,
                    "Network adapter 1",
                    "00:50:56:aa:bb:cc",
                    "network-1",
                    "assigned",
                    true,
                    true)),
            PowerState.POWERED_ON);
    return new PrecheckReport(
        VM,
        origin,
        List.of(new PrecheckFinding(Severity.WARNING, "SNAPSHOTS", "1 snapshot")),
        List.of("before-upgrade"));
  }

  static Destination destination() {
    return new Destination(
        "vc1",
        "host-7",
        "domain-c2",
        "resgroup-2",
        "group-v1",
        "datastore-2",
        List.of(new DiskLocator(2000, "datastore-2")),
        List.of(new NicBackingChange(4000, "network-2")),
        null);
  }

  static MigrationSpec hotSpec() {
    return new MigrationSpec(MigrationMode.HOT, true, true, true, false, 40L << 30, HOT);
  }

  static ActionOutcome ok(String what) {
    return ActionOutcome.done(what);
  }
}

package dev.vmigrate.activity.impl;

import static dev.vmigrate.activity.impl.ActivityFixture.GIB;
import static dev.vmigrate.activity.impl.ActivityFixture.failure;
import static dev.vmigrate.activity.impl.ActivityFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.model.ClusterMapping;
import dev.vmigrate.model.FailureTypes;
import dev.vmigrate.model.InfrastructureMapping;
import dev.vmigrate.model.MigrationContext;
import dev.vmigrate.model.MigrationType;
import dev.vmigrate.model.Placement;
import dev.vmigrate.model.PrecheckReport;
import dev.vmigrate.model.Severity;
import dev.vmigrate.model.VirtualNic;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The exact words of SelectDestination's NO_DESTINATION failures, for each way web01's cluster,
 * datastores and networks can fail to resolve through the mapping, and how InvokePrechecks treats
 * an unmapped datastore (it stays where it is).
 */
class MappingFailureMessagesTest {
  private static final Map<String, String> STORAGE = Map.of("ds-a", "ds-a", "ds-b", "ds-b");
  private static final Map<String, String> NETWORKS = Map.of("VM Network", "VM Network");

  private ActivityFixture f;
  private MigrationContext base;

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  private void start() {
    f = new ActivityFixture();
    base =
        f.analysed(
            "m",
            request(
                f.vc.vmId("web01"), mapping(cluster("dr"), STORAGE, NETWORKS), MigrationType.AUTO));
  }

  private static ClusterMapping cluster(String destination) {
    return new ClusterMapping("prod", destination, null, null);
  }

  private static InfrastructureMapping mapping(
      ClusterMapping c, Map<String, String> datastores, Map<String, String> networks) {
    return new InfrastructureMapping("vc1", "vc1", List.of(c), datastores, networks);
  }

  /** SelectDestination's failure message for web01 with this mapping and origin. */
  private String noDestination(InfrastructureMapping m, Placement origin) {
    MigrationContext ctx =
        new MigrationContext(
            "m",
            request(base.vm().id(), m, MigrationType.AUTO),
            base.vm(),
            origin,
            base.snapshots(),
            null,
            null);
    ApplicationFailure e = failure(() -> f.analysis.selectDestination(ctx));
    assertEquals(FailureTypes.NO_DESTINATION, e.getType());
    assertTrue(e.isNonRetryable());
    return e.getOriginalMessage();
  }

  private String noDestination(InfrastructureMapping m) {
    return noDestination(m, base.origin());
  }

  private Placement origin(String cluster, String vmxDatastore, List<VirtualNic> nics) {
    Placement o = base.origin();
    return new Placement(
        o.vcenter(),
        o.host(),
        cluster,
        o.resourcePool(),
        o.folder(),
        o.vmPathName(),
        vmxDatastore,
        o.disks(),
        nics,
        o.powerState());
  }

  @Test
  void clusterMappingFailures() {
    start();
    assertEquals(
        "source cluster prod is not mapped",
        noDestination(
            new InfrastructureMapping(
                "vc1",
                "vc1",
                List.of(new ClusterMapping("other", "dr", null, null)),
                STORAGE,
                NETWORKS)));
    assertEquals(
        "cluster nowhere (mapped from prod) does not exist in vc1",
        noDestination(mapping(cluster("nowhere"), STORAGE, NETWORKS)));
    assertEquals(
        "resource pool nope (mapped from cluster prod) does not exist in cluster dr",
        noDestination(mapping(new ClusterMapping("prod", "dr", "nope", null), STORAGE, NETWORKS)));
    assertEquals(
        "folder nope (mapped from cluster prod) does not exist",
        noDestination(mapping(new ClusterMapping("prod", "dr", null, "nope"), STORAGE, NETWORKS)));
    assertEquals(
        "web01 runs on a host outside any cluster; only clusters are mapped",
        noDestination(
            mapping(cluster("dr"), STORAGE, NETWORKS),
            origin("domain-c404", base.origin().vmxDatastore(), base.origin().nics())));
  }

  @Test
  void datastoreMappingFailures() {
    start();
    assertEquals(
        "datastore ds-a (the configuration of web01) is not mapped",
        noDestination(mapping(cluster("dr"), Map.of("ds-b", "ds-b"), NETWORKS)));
    assertEquals(
        "datastore ds-zz (mapped from ds-a) does not exist",
        noDestination(mapping(cluster("dr"), Map.of("ds-a", "ds-zz"), NETWORKS)));
    assertEquals(
        "the configuration of web01 is on an unknown datastore datastore-404",
        noDestination(
            mapping(cluster("dr"), STORAGE, NETWORKS),
            origin(base.origin().cluster(), "datastore-404", base.origin().nics())));
  }

  @Test
  void networkMappingFailures() {
    start();
    String nic = base.origin().nics().get(0).label();
    assertEquals(
        "network VM Network (" + nic + " of web01) is not mapped",
        noDestination(mapping(cluster("dr"), STORAGE, Map.of())));
    assertEquals(
        "network nope (mapped from VM Network) does not exist in vc1",
        noDestination(mapping(cluster("dr"), STORAGE, Map.of("VM Network", "nope"))));
    VirtualNic unknown = base.origin().nics().get(0).withNetwork("network-404");
    assertEquals(
        nic + " of web01 has no known network",
        noDestination(
            mapping(cluster("dr"), STORAGE, NETWORKS),
            origin(base.origin().cluster(), base.origin().vmxDatastore(), List.of(unknown))));
  }

  @Test
  void prechecksKeepAnUnmappedDatastoreWhereItIs() {
    f =
        new ActivityFixture(
            ActivityFixture.standard()
                .vm("rdm", v -> v.host("esx-01").disk("ds-a", GIB).rdmDisk("ds-a", 5 * GIB)));
    // No datastore entries: the RDM stays on ds-a, so it is only a warning.
    PrecheckReport r =
        f.analysis.invokePrechecks(
            MigrationContext.start(
                "m",
                request(
                    f.vc.vmId("rdm"),
                    mapping(cluster("dr"), Map.of(), NETWORKS),
                    MigrationType.AUTO)));
    assertEquals(
        List.of(Severity.WARNING),
        r.findings().stream()
            .filter(x -> x.code().equals("RDM_DISK"))
            .map(x -> x.severity())
            .toList());
    ApplicationFailure e =
        failure(
            () ->
                f.analysis.invokePrechecks(
                    MigrationContext.start(
                        "m",
                        request(
                            f.vc.vmId("rdm"),
                            mapping(cluster("dr"), Map.of("ds-a", "ds-b"), NETWORKS),
                            MigrationType.AUTO))));
    assertEquals(FailureTypes.PRECHECK_FAILED, e.getType());
    assertTrue(e.getOriginalMessage().contains("[RDM_DISK]"), e.getOriginalMessage());
  }
}

package dev.vmigrate.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.vsphere.ClusterInfo;
import dev.vmigrate.vsphere.DatastoreInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.VmInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the demo migrates, derived from the simulated inventory: every VM of the first cluster to
 * the second and the second's to the first, on the same shared datastores and networks, and the two
 * powered-on VMs that get a fault (one to resume, one to roll back).
 */
public record DemoScenario(
    Map<String, Object> mapping, List<String> vmNames, VmInfo resumeVm, VmInfo rollbackVm) {

  public static DemoScenario of(String vcenter, String mappingName, Inventory inv) {
    List<ClusterInfo> clusters = inv.clusters();
    if (clusters.size() < 2) {
      throw new IllegalStateException(
          "the demo needs two clusters; the inventory has " + clusters.size());
    }
    String a = clusters.get(0).name();
    String b = clusters.get(1).name();
    List<Map<String, Object>> clusterMap = new ArrayList<>();
    clusterMap.add(clusterEntry(a, b));
    clusterMap.add(clusterEntry(b, a));
    // The datastores are shared by both clusters: VMs change host and cluster, storage stays.
    Map<String, String> datastores = new LinkedHashMap<>();
    for (DatastoreInfo d : inv.datastores()) {
      datastores.put(d.name(), d.name());
    }
    Map<String, Object> mapping = new LinkedHashMap<>();
    mapping.put("name", mappingName);
    mapping.put("sourceVcenter", vcenter);
    mapping.put("destinationVcenter", vcenter);
    mapping.put("clusters", clusterMap);
    mapping.put("datastores", datastores);
    // Every network maps to itself: the VMs change cluster and datastore, not network.
    Map<String, String> networks = new LinkedHashMap<>();
    inv.networks().forEach(n -> networks.put(n.name(), n.name()));
    mapping.put("networks", networks);
    List<String> names = new ArrayList<>();
    List<VmInfo> poweredOn = new ArrayList<>();
    for (VmInfo vm : inv.vms()) {
      if (vm.template()) {
        continue;
      }
      names.add(vm.name());
      if (vm.powerState() == PowerState.POWERED_ON) {
        poweredOn.add(vm);
      }
    }
    if (poweredOn.size() < 2) {
      throw new IllegalStateException("the demo needs two powered-on VMs");
    }
    // Far apart in the plan, so one of them is held while the other is still queued.
    return new DemoScenario(mapping, names, poweredOn.get(1), poweredOn.get(poweredOn.size() / 2));
  }

  private static Map<String, Object> clusterEntry(String source, String destination) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", source);
    m.put("destination", destination);
    return m;
  }

  /** The plan body: every VM, hold on failure so the operator (the demo) decides. */
  public Map<String, Object> plan(String planName, String mappingName) {
    List<Map<String, String>> vms = new ArrayList<>();
    vmNames.forEach(n -> vms.add(Map.of("name", n)));
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("failurePolicy", "hold");
    Map<String, Object> plan = new LinkedHashMap<>();
    plan.put("name", planName);
    plan.put("mapping", mappingName);
    plan.put("approvalPolicy", "auto");
    plan.put("options", options);
    plan.put("vms", vms);
    return plan;
  }

  /** The request's task for a VM, or null. */
  public static JsonNode task(JsonNode request, VmInfo vm) {
    for (JsonNode t : request.path("tasks")) {
      if (vm.id().equals(t.path("vmId").asText())) {
        return t;
      }
    }
    return null;
  }
}

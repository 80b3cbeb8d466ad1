package dev.vmigrate.cli.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.cli.client.ApiClient;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.model.MigrationResult;
import dev.vmigrate.model.MigrationState;
import dev.vmigrate.model.PowerState;
import dev.vmigrate.server.TestPorts;
import dev.vmigrate.vsphere.ClusterInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.MigrationAttributes;
import dev.vmigrate.vsphere.NetworkInfo;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.vcsim.VcsimExtension;
import dev.vmigrate.vsphere.vim25.VcsimVms;
import dev.vmigrate.vsphere.vim25.Vim25Gateway;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * One crash scenario's world: a vcsim vCenter with slow relocates, the configuration that vmigrate
 * processes read, the REST calls an operator makes, and the checks made afterwards against vCenter,
 * the ledger and Temporal. By default vmigrate's processes are started here on this estate's ports;
 * {@link #useApi} and {@link #useTemporal} point it at processes running elsewhere instead.
 */
public final class Estate implements AutoCloseable {
  public static final String VC = "vc1";
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path dir;
  final int apiPort;
  final int temporalPort;
  final int uiPort;
  final Path config;
  final VcsimExtension vcsim;
  public final Vim25Gateway gw;
  public final List<VmInfo> vms;
  private final List<VmigrateProcess> processes = new ArrayList<>();
  private ApiClient api;
  private URI apiUrl;
  private WorkflowServiceStubs stubs;
  private boolean ownStubs = true;

  Estate(VcsimExtension vcsim, Path dir) throws IOException {
    this(vcsim, dir, Integer.MAX_VALUE);
  }

  /** An estate whose plan takes at most {@code maxVms} of the VMs now in cluster DC0_C0. */
  public Estate(VcsimExtension vcsim, Path dir, int maxVms) throws IOException {
    this.vcsim = vcsim;
    this.dir = dir;
    this.apiPort = TestPorts.free();
    this.temporalPort = TestPorts.free();
    this.uiPort = TestPorts.free();
    this.apiUrl = URI.create("http://127.0.0.1:" + apiPort);
    Path password = dir.resolve(VC + ".password");
    Files.writeString(password, "pass");
    this.config = dir.resolve("vcenters.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "vmigrate:",
            "  vcenters:",
            "    " + VC + ":",
            "      url: " + vcsim.url(),
            "      username: user",
            "      password-file: " + password,
            "      thumbprint: " + vcsim.thumbprint(),
            ""));
    this.gw = new Vim25Gateway(vcsim.connection(VC));
    List<VmInfo> planned = new ArrayList<>();
    String c0 = cluster("DC0_C0").id();
    for (VmInfo vm : gw.inventory().vms()) {
      if (c0.equals(vm.cluster()) && planned.size() < maxVms) {
        // vcsim gives every VM a CD-ROM on a host device, which blocks vMotion; an administrator
        // removes it first.
        VcsimVms.removeHostCdroms(gw, vm.id());
        planned.add(gw.vm(vm.id()));
      }
    }
    this.vms = List.copyOf(planned);
  }

  public ClusterInfo cluster(String name) {
    return gw.infrastructure().clusters().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** The all-in-one server on this estate's ports and data directory. */
  VmigrateProcess startServer(String name, boolean worker) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "server",
                "--port",
                Integer.toString(apiPort),
                "--temporal-port",
                Integer.toString(temporalPort),
                "--temporal-ui-port",
                Integer.toString(uiPort),
                "--data-dir",
                dir.resolve("data").toString(),
                "--no-simulated-vcenter",
                "--config",
                config.toString()));
    if (!worker) {
      args.add("--no-worker");
    }
    return track(VmigrateProcess.start(name, dir, args));
  }

  VmigrateProcess startWorker(String name) throws IOException {
    return track(
        VmigrateProcess.start(
            name,
            dir,
            List.of(
                "worker",
                "--temporal",
                "127.0.0.1:" + temporalPort,
                "--config",
                config.toString())));
  }

  private VmigrateProcess track(VmigrateProcess p) {
    processes.add(p);
    return p;
  }

  /** From now on the REST calls go to the API process at {@code base}. */
  public void useApi(URI base) {
    apiUrl = base;
    api = null;
  }

  /**
   * The Temporal frontend to read workflows from, instead of this estate's port; not closed here.
   */
  public void useTemporal(WorkflowServiceStubs external) {
    stubs = external;
    ownStubs = false;
  }

  public ApiClient api() {
    if (api == null) {
      api = new ApiClient(apiUrl, null, JSON, null);
    }
    return api;
  }

  /**
   * Registers the vCenter (unless an earlier plan did), a mapping DC0_C0 to DC0_C1 and a plan of
   * this estate's VMs, and orders it.
   */
  public String order(String planName) {
    Map<String, Object> vcenter = new LinkedHashMap<>();
    vcenter.put("id", VC);
    vcenter.put("url", vcsim.url().toString());
    vcenter.put("credentialsRef", "config:" + VC);
    vcenter.put("thumbprint", vcsim.thumbprint());
    if (!registered()) {
      api().post(ApiPaths.vcenters(), vcenter);
    }
    Inventory infra = gw.infrastructure();
    Map<String, String> datastores = new LinkedHashMap<>();
    infra.datastores().forEach(d -> datastores.put(d.name(), d.name()));
    Map<String, String> networks = new LinkedHashMap<>();
    for (NetworkInfo n : infra.networks()) {
      networks.put(n.name(), n.name());
    }
    Map<String, Object> mapping = new LinkedHashMap<>();
    mapping.put("name", planName + "-mapping");
    mapping.put("sourceVcenter", VC);
    mapping.put("destinationVcenter", VC);
    mapping.put("clusters", List.of(Map.of("source", "DC0_C0", "destination", "DC0_C1")));
    mapping.put("datastores", datastores);
    mapping.put("networks", networks);
    api().post(ApiPaths.mappings(), mapping);
    Map<String, Object> plan = new LinkedHashMap<>();
    plan.put("name", planName);
    plan.put("mapping", planName + "-mapping");
    plan.put("approvalPolicy", "auto");
    plan.put("options", Map.of("failurePolicy", "hold"));
    plan.put("vms", vms.stream().map(v -> Map.of("name", v.name())).toList());
    api().post(ApiPaths.plans(), plan);
    JsonNode order = api().post(ApiPaths.planOrder(planName), Map.of());
    String id = order.path("requestId").asText();
    if ("pending".equals(order.path("approvalState").asText())) {
      api().post(ApiPaths.requestApprove(id), Map.of());
    }
    return id;
  }

  private boolean registered() {
    for (JsonNode v : api().get(ApiPaths.vcenters())) {
      if (VC.equals(v.path("id").asText())) {
        return true;
      }
    }
    return false;
  }

  public JsonNode request(String id) {
    return api().get(ApiPaths.request(id));
  }

  /** Relocates vCenter has accepted so far, all VMs together. */
  public int relocates() {
    return vcsim.calls().path("methods").path("RelocateVM_Task").asInt(0);
  }

  public void awaitRelocatesStarted(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (relocates() < n) {
      assertTrue(System.nanoTime() < deadline, "fewer than " + n + " relocates started");
      VmigrateProcess.sleep(100);
    }
  }

  /** Waits until the ledger shows the request finished; fails with its state otherwise. */
  public JsonNode awaitFinished(String id, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode r = null;
    while (System.nanoTime() < deadline) {
      try {
        r = request(id);
        if ("finished".equals(r.path("request_state").asText())) {
          return r;
        }
      } catch (RuntimeException apiDown) {
        // The API may be restarting.
      }
      VmigrateProcess.sleep(500);
    }
    fail("request " + id + " did not finish within " + timeout + ": " + r);
    return r;
  }

  public WorkflowServiceStubs stubs() {
    if (stubs == null) {
      stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder()
                  .setTarget("127.0.0.1:" + temporalPort)
                  .setRpcTimeout(Duration.ofSeconds(5))
                  .build());
    }
    return stubs;
  }

  /** The migrations whose running activity was last started by worker process {@code pid}. */
  public Set<String> runningOn(long pid, String requestId) {
    Set<String> ids = new TreeSet<>();
    for (JsonNode t : request(requestId).path("tasks")) {
      String id = t.path("migrationId").asText("");
      if (id.isEmpty()) {
        continue;
      }
      for (PendingActivityInfo a : pending(id)) {
        if (a.getLastWorkerIdentity().startsWith(pid + "@")) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  /** Seconds until none of {@code migrations} has an activity last started by {@code pid}. */
  public double awaitMovedOff(long pid, Set<String> migrations, long since, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean stuck = false;
      for (String id : migrations) {
        try {
          for (PendingActivityInfo a : pending(id)) {
            if (a.getLastWorkerIdentity().startsWith(pid + "@")) {
              stuck = true;
            }
          }
        } catch (RuntimeException temporalNotYetBack) {
          stuck = true;
        }
      }
      if (!stuck) {
        return (System.nanoTime() - since) / 1e9;
      }
      assertTrue(System.nanoTime() < deadline, migrations + " still wait for worker " + pid);
      VmigrateProcess.sleep(250);
    }
  }

  private List<PendingActivityInfo> pending(String workflowId) {
    return stubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace("default")
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .build())
        .getPendingActivitiesList();
  }

  /**
   * The checks every scenario ends with, asserted, and the row of the crash table: every VM
   * completed (at the destination cluster) or rolled back, exactly one relocate per VM as vCenter
   * counts them (two for a rolled-back one: there and back), none locked, powered off or
   * unregistered, the ledger agreeing with each migration's result in Temporal.
   */
  public String verify(
      String scenario, JsonNode request, double recoverySeconds, double totalSeconds)
      throws Exception {
    String c1 = cluster("DC0_C1").id();
    WorkflowClient client =
        WorkflowClient.newInstance(
            stubs(), WorkflowClientOptions.newBuilder().setNamespace("default").build());
    int completed = 0;
    int rolledBack = 0;
    int other = 0;
    int minRelocates = Integer.MAX_VALUE;
    int maxRelocates = 0;
    int locked = 0;
    int poweredOff = 0;
    int unregistered = 0;
    int disagree = 0;
    List<String> problems = new ArrayList<>();
    for (JsonNode t : request.path("tasks")) {
      String name = t.path("name").asText();
      String state = t.path("state").asText();
      VmInfo before = vms.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
      int relocated = vcsim.calls("RelocateVM_Task", before.id());
      var now = gw.findVmByInstanceUuid(before.instanceUuid());
      switch (state) {
        case "completed" -> {
          completed++;
          if (relocated != 1) {
            problems.add(name + ": " + relocated + " relocates");
          }
          if (now.isPresent() && !c1.equals(now.get().cluster())) {
            problems.add(name + ": completed but not in DC0_C1");
          }
        }
        case "rolled_back" -> {
          rolledBack++;
          if (relocated > 2) {
            problems.add(name + ": " + relocated + " relocates for a rollback");
          }
        }
        default -> {
          other++;
          problems.add(name + ": " + state + " (" + t.path("message").asText() + ")");
        }
      }
      minRelocates = Math.min(minRelocates, relocated);
      maxRelocates = Math.max(maxRelocates, relocated);
      if (now.isEmpty()) {
        unregistered++;
        problems.add(name + ": not registered");
        continue;
      }
      String lock = now.get().customValue(MigrationAttributes.LOCK);
      if (lock != null && !lock.isBlank()) {
        locked++;
        problems.add(name + ": locked by " + lock);
      }
      if (now.get().powerState() != PowerState.POWERED_ON) {
        poweredOff++;
        problems.add(name + ": " + now.get().powerState());
      }
      MigrationResult result =
          client
              .newUntypedWorkflowStub(t.path("migrationId").asText())
              .getResult(30, TimeUnit.SECONDS, MigrationResult.class);
      String expected = result.state() == MigrationState.COMPLETED ? "completed" : "rolled_back";
      if (!expected.equals(state)) {
        disagree++;
        problems.add(name + ": ledger " + state + ", Temporal " + result.state());
      }
    }
    String row =
        String.format(
            Locale.ROOT,
            "%-44s %3d %9d %11d %5d %9s %6d %11d %12d %16d %8s %10.1f %7.1f",
            scenario,
            request.path("tasks").size(),
            completed,
            rolledBack,
            other,
            minRelocates + "-" + maxRelocates,
            locked,
            poweredOff,
            unregistered,
            disagree,
            request.path("request_state").asText(),
            recoverySeconds,
            totalSeconds);
    assertEquals(List.of(), problems, row);
    assertEquals(vms.size(), completed + rolledBack, row);
    return row;
  }

  public static String header() {
    return String.format(
        Locale.ROOT,
        "%-44s %3s %9s %11s %5s %9s %6s %11s %12s %16s %8s %10s %7s",
        "scenario",
        "VMs",
        "completed",
        "rolled_back",
        "other",
        "relocates",
        "locked",
        "powered_off",
        "unregistered",
        "ledger!=temporal",
        "request",
        "recovery_s",
        "total_s");
  }

  @Override
  public void close() throws Exception {
    for (VmigrateProcess p : processes) {
      p.close();
    }
    if (stubs != null && ownStubs) {
      stubs.shutdownNow();
    }
    gw.close();
  }
}

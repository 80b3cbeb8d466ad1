package dev.vmigrate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.cli.CliException;
import dev.vmigrate.cli.ExitCode;
import dev.vmigrate.cli.client.ApiClient;
import dev.vmigrate.cli.client.ApiPaths;
import dev.vmigrate.cli.output.LiveDisplay;
import dev.vmigrate.cli.output.RequestView;
import dev.vmigrate.cli.output.Table;
import dev.vmigrate.model.MigrationIds;
import dev.vmigrate.server.AllInOneServer;
import dev.vmigrate.server.DemoScenario;
import dev.vmigrate.server.DevTemporal;
import dev.vmigrate.server.ServerOptions;
import dev.vmigrate.server.TemporalOptions;
import dev.vmigrate.server.TemporalRuntime;
import dev.vmigrate.vsphere.GatewayRegistry;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.simulated.SimulatedVsphere;
import io.micronaut.context.annotation.Prototype;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vmigrate demo}: starts the all-in-one server with a simulated vCenter, migrates its VMs
 * between two clusters through the REST API, makes one VM's relocate fail and resumes it, makes
 * another fail and rolls it back, and prints what happened to every VM.
 */
@Prototype
@Command(
    name = "demo",
    description = "Run a complete migration of a simulated vCenter, with a resume and a rollback.")
public class DemoCommand implements Callable<Integer> {
  static final String VCENTER = "sim";

  @Spec CommandSpec spec;

  @Inject ObjectMapper json;

  @Option(
      names = "--vms",
      defaultValue = "200",
      description = "VMs in the simulated inventory (default ${DEFAULT-VALUE}).")
  int vms;

  @Option(
      names = "--bandwidth-gib",
      defaultValue = "256",
      description =
          "Simulated copy bandwidth in GiB/s, high so the demo is quick (default ${DEFAULT-VALUE}).")
  long bandwidthGib;

  @Option(
      names = "--temporal-port",
      defaultValue = "7233",
      description =
          "Embedded Temporal port; a free one is used if it is taken (default ${DEFAULT-VALUE}).")
  int temporalPort;

  @Option(
      names = "--temporal-ui-port",
      defaultValue = "8233",
      description =
          "Temporal web UI port; a free one is used if it is taken (default ${DEFAULT-VALUE}).")
  int temporalUiPort;

  @Option(
      names = "--temporal-in-memory",
      description = "Run on Temporal's in-memory test server instead of the dev server.")
  boolean temporalInMemory;

  @Option(
      names = "--temporal-bin",
      paramLabel = "PATH",
      defaultValue = "${env:VMIGRATE_TEMPORAL_BIN}",
      description = "The Temporal CLI that runs the dev server (env VMIGRATE_TEMPORAL_BIN).")
  String temporalBin;

  @Option(
      names = "--timeout",
      defaultValue = "PT5M",
      description = "Give up after this long (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--keep-running", description = "Keep the server up afterwards, to explore it.")
  boolean keepRunning;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();
    out.println(
        "Starting vmigrate: "
            + (temporalInMemory ? "in-memory Temporal" : "Temporal's dev server")
            + ", API, worker and a simulated vCenter...");
    out.flush();
    int port = portOrFree(temporalPort);
    TemporalOptions temporal =
        temporalInMemory
            ? TemporalOptions.inMemory("127.0.0.1", port, "default")
            : TemporalOptions.devServer(
                "127.0.0.1",
                port,
                portOrFree(temporalUiPort),
                temporalBin,
                "default",
                TemporalOptions.DEFAULT_RETENTION);
    Path dataDir = demoDataDir();
    ServerOptions options =
        new ServerOptions(
            "127.0.0.1",
            0,
            true,
            true,
            temporal,
            dataDir,
            // The API's H2 file in the demo's own data directory: fresh for every run.
            null,
            VCENTER,
            vms,
            List.of(),
            Map.of());
    try (AllInOneServer server = AllInOneServer.start(options)) {
      TemporalRuntime runtime = server.temporal();
      out.printf("  API          %s%n", server.apiUrl());
      out.printf("  Temporal     %s (%s)%n", server.temporalAddress(), runtime.describe());
      if (runtime.uiUrl() != null) {
        out.printf("  Temporal UI  %s%n", runtime.uiUrl());
      }
      out.printf(
          "  try          %s workflow list --address %s%n",
          runtime instanceof DevTemporal dev ? dev.binary() : "temporal", server.temporalAddress());
      int exit = run(server, out, start);
      if (keepRunning) {
        out.println("Server still running; Ctrl-C to stop.");
        out.flush();
        Thread.currentThread().join();
      }
      return exit;
    } finally {
      if (!keepRunning) {
        deleteTree(dataDir);
      }
    }
  }

  // A fresh Temporal database per demo run; removed afterwards unless the server is kept running.
  private static Path demoDataDir() {
    try {
      return Files.createTempDirectory("vmigrate-demo-");
    } catch (IOException e) {
      throw new CliException(ExitCode.FAILURE, "cannot create a temporary data directory: " + e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A leftover temporary directory is harmless.
    }
  }

  private int run(AllInOneServer server, PrintWriter out, long start) throws InterruptedException {
    VsphereGateway gateway = server.context().getBean(GatewayRegistry.class).forVcenter(VCENTER);
    if (!(gateway instanceof SimulatedVsphere sim)) {
      throw new CliException(ExitCode.FAILURE, "vCenter '" + VCENTER + "' is not simulated");
    }
    sim.setBandwidth(bandwidthGib << 30);
    ApiClient api = new ApiClient(server.apiUrl(), null, json, null);
    String suffix = Long.toString(System.currentTimeMillis() % 100_000, 36);
    String mappingName = "demo-mapping-" + suffix;
    String planName = "demo-plan-" + suffix;
    DemoScenario scenario = DemoScenario.of(VCENTER, mappingName, sim.inventory());

    api.post(
        ApiPaths.vcenters(),
        Map.of(
            "id",
            VCENTER,
            "url",
            "https://sim.vmigrate.invalid/sdk",
            "credentialsRef",
            "config:" + VCENTER));
    api.post(ApiPaths.mappings(), scenario.mapping());
    JsonNode plan = api.post(ApiPaths.plans(), scenario.plan(planName, mappingName));
    out.printf(
        "Plan %s: %d VMs, %s <-> %s, faults armed on %s (to resume) and %s (to roll back)%n",
        planName,
        plan.path("vms").size(),
        sim.inventory().clusters().get(0).name(),
        sim.inventory().clusters().get(1).name(),
        scenario.resumeVm().name(),
        scenario.rollbackVm().name());
    // A non-retryable copy fault half-way through the relocate: the migration is held for an
    // operator.
    sim.failTask("relocate", scenario.resumeVm().id(), 50, copyFault());
    sim.failTask("relocate", scenario.rollbackVm().id(), 30, copyFault());

    JsonNode order = api.post(ApiPaths.planOrder(planName), Map.of());
    String requestId = order.path("requestId").asText();
    if ("pending".equals(order.path("approvalState").asText())) {
      api.post(ApiPaths.requestApprove(requestId), Map.of());
    }
    out.println(
        "Request "
            + requestId
            + " ordered; watching it (vmigrate request status "
            + requestId
            + ")");
    TemporalRuntime runtime = server.temporal();
    if (runtime != null && runtime.uiUrl() != null) {
      out.println(
          "  "
              + scenario.resumeVm().name()
              + " in the Temporal UI: "
              + runtime.uiUrl()
              + "/namespaces/default/workflows/"
              + MigrationIds.forVm(VCENTER, scenario.resumeVm().instanceUuid()));
    }
    out.flush();

    LiveDisplay display = new LiveDisplay(out, LiveDisplay.terminal(), 2_000);
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean resumed = false;
    boolean rolledBack = false;
    JsonNode request;
    while (true) {
      request = api.get(ApiPaths.request(requestId));
      display.frame(RequestView.lines(request));
      resumed = resumed || operate(api, display, request, requestId, scenario.resumeVm(), "resume");
      rolledBack =
          rolledBack
              || operate(api, display, request, requestId, scenario.rollbackVm(), "rollback");
      if (RequestView.finished(request)) {
        break;
      }
      if (System.nanoTime() > deadline) {
        display.event("Timed out after " + timeout + "; the request is still running.");
        return ExitCode.FAILURE.code();
      }
      Thread.sleep(500);
    }
    out.println();
    summary(request, scenario, out);
    double seconds = (System.nanoTime() - start) / 1e9;
    String outcome = outcome(request, scenario);
    out.printf(Locale.ROOT, "%n%s in %.1f s: %s%n", planName, seconds, RequestView.counts(request));
    out.println(outcome == null ? "Demo complete." : "Demo did not end as expected: " + outcome);
    out.flush();
    return outcome == null ? ExitCode.OK.code() : ExitCode.FAILURE.code();
  }

  // When the VM's migration is held in FAILED_WAITING, acts as the operator would.
  private static boolean operate(
      ApiClient api,
      LiveDisplay display,
      JsonNode request,
      String requestId,
      VmInfo vm,
      String signal) {
    JsonNode task = DemoScenario.task(request, vm);
    if (task == null || !"FAILED_WAITING".equals(task.path("migrationState").asText())) {
      return false;
    }
    display.event(
        String.format(
            "! %s is held in FAILED_WAITING (%s); operator sends %s",
            vm.name(), task.path("message").asText("relocate failed"), signal));
    api.post(ApiPaths.vmSignal(requestId, vm.id(), signal), Map.of());
    return true;
  }

  // Per-state counts, then the VMs worth a look: the two the operator handled and any skipped.
  private static void summary(JsonNode request, DemoScenario scenario, PrintWriter out) {
    Map<String, Integer> counts = new TreeMap<>();
    for (JsonNode t : request.path("tasks")) {
      counts.merge(t.path("state").asText(), 1, Integer::sum);
    }
    Table byState = new Table("STATE", "VMS");
    counts.forEach(byState::row);
    byState.print(out);
    out.println();
    Table notable = new Table("VM", "STATE", "WHAT HAPPENED");
    for (JsonNode t : request.path("tasks")) {
      String vmId = t.path("vmId").asText();
      String state = t.path("state").asText();
      String what;
      if (vmId.equals(scenario.resumeVm().id())) {
        what = "relocate failed at 50%, held, resumed by the operator";
      } else if (vmId.equals(scenario.rollbackVm().id())) {
        what = "relocate failed at 30%, held, rolled back to its origin";
      } else if (state.equals("skipped")) {
        what = t.path("reason").asText(t.path("message").asText("skipped by approval"));
      } else {
        continue;
      }
      notable.row(t.path("name").asText(), state, what);
    }
    notable.print(out);
  }

  // Null when every VM completed except the one rolled back, else what went otherwise.
  static String outcome(JsonNode request, DemoScenario scenario) {
    StringBuilder problems = new StringBuilder();
    for (JsonNode t : request.path("tasks")) {
      String vmId = t.path("vmId").asText();
      String expected = vmId.equals(scenario.rollbackVm().id()) ? "rolled_back" : "completed";
      String state = t.path("state").asText();
      if (!state.equals(expected) && !state.equals("skipped")) {
        problems.append(problems.length() == 0 ? "" : ", ");
        problems.append(t.path("name").asText()).append(' ').append(state);
      }
    }
    return problems.length() == 0 ? null : problems.toString();
  }

  private static VsphereException copyFault() {
    return new VsphereException(
        "NetworkCopyFault", "simulated: the network copy of a disk failed", false);
  }

  private static int portOrFree(int preferred) {
    try (ServerSocket s = new ServerSocket(preferred)) {
      return preferred;
    } catch (IOException taken) {
      try (ServerSocket s = new ServerSocket(0)) {
        return s.getLocalPort();
      } catch (IOException e) {
        throw new CliException(ExitCode.FAILURE, "no free port for the embedded Temporal server");
      }
    }
  }
}

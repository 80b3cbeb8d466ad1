package dev.vmigrate.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.cli.crash.VmigrateProcess;
import dev.vmigrate.vsphere.vcsim.VcsimExtension;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The cluster {@code scripts/cluster} runs, driven as an operator drives it: {@code up}, {@code
 * kill SERVICE}, {@code restart SERVICE}, {@code down --purge}, on its own state directory and
 * loopback ports. Clients reach its Temporal frontend with the client certificate the script
 * generated.
 */
final class Cluster implements AutoCloseable {
  /** Where scripts/test points the suite at the script (its binaries built). */
  static final String SCRIPT_ENV = "VMIGRATE_CLUSTER_SCRIPT";

  /** The services {@code status} lists, in its order: Temporal's four, then vmigrate's four. */
  static final List<String> PROCESSES =
      List.of(
          "postgres",
          "history",
          "matching",
          "frontend",
          "worker",
          "ui",
          "vcsim",
          "api1",
          "api2",
          "worker1",
          "worker2");

  private static final int PORTS = 14;
  private final Path script;
  private final Path state;
  private final int base;
  private final Path log;
  private WorkflowServiceStubs stubs;

  private Cluster(Path script, Path state, int base, Path log) {
    this.script = script;
    this.state = state;
    this.base = base;
    this.log = log;
  }

  /** The script named by {@value #SCRIPT_ENV}, or null when it is unset. */
  static Path script() {
    String s = System.getenv(SCRIPT_ENV);
    return s == null || s.isBlank() ? null : Path.of(s).toAbsolutePath();
  }

  /** {@code scripts/cluster up} on {@code state}, with {@value #PORTS} free loopback ports. */
  static Cluster up(Path script, Path state) throws IOException, InterruptedException {
    Files.createDirectories(state);
    // PostgreSQL runs as its own user, which must reach its directory inside the state.
    Files.setPosixFilePermissions(
        state.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Cluster c = new Cluster(script, state, freeBase(), state.resolveSibling("cluster-script.log"));
    try {
      c.run(Duration.ofMinutes(8), "up");
    } catch (IOException | RuntimeException e) {
      // Leave nothing running behind a failed start.
      try {
        c.run(Duration.ofMinutes(3), "down", "--purge");
      } catch (IOException | RuntimeException downFailed) {
        e.addSuppressed(downFailed);
      }
      throw e;
    }
    return c;
  }

  /**
   * A base port whose {@value #PORTS} ports are free on loopback, all below 32768: Temporal stores
   * membership ports as SQL smallint.
   */
  private static int freeBase() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 32_000 - PORTS);
      if (allFree(base)) {
        return base;
      }
    }
    throw new IllegalStateException("no " + PORTS + " consecutive free ports in 20000-32000");
  }

  private static boolean allFree(int base) {
    for (int p = base; p < base + PORTS; p++) {
      try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }

  void kill(String service) throws IOException, InterruptedException {
    run(Duration.ofMinutes(1), "kill", service);
  }

  void restart(String service) throws IOException, InterruptedException {
    run(Duration.ofMinutes(3), "restart", service);
  }

  String status() throws IOException, InterruptedException {
    return run(Duration.ofMinutes(1), "status");
  }

  /** Runs {@code scripts/cluster args...} and returns its output; fails with it otherwise. */
  String run(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("VMIGRATE_CLUSTER_STATE", state.toString());
    env.put("VMIGRATE_CLUSTER_PORT_BASE", Integer.toString(base));
    env.put("VMIGRATE_CLUSTER_JAR", VmigrateProcess.jar().toString());
    Path out = Files.createTempFile(state.getParent(), "cluster-", ".out");
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    boolean done = p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
    String text = Files.readString(out, StandardCharsets.UTF_8);
    Files.writeString(
        log,
        "$ scripts/cluster " + String.join(" ", args) + "\n" + text,
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    Files.delete(out);
    if (!done) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "scripts/cluster " + String.join(" ", args) + " took over " + timeout + ":\n" + text);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "scripts/cluster " + String.join(" ", args) + " failed:\n" + text + logs());
    }
    return text;
  }

  private String logs() {
    StringBuilder sb = new StringBuilder();
    try (var files = Files.list(state.resolve("log"))) {
      for (Path f : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        sb.append("\n--- ").append(f.getFileName()).append('\n');
        sb.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
      }
    } catch (IOException | RuntimeException none) {
      // no logs yet
    }
    return sb.toString();
  }

  /** The REST API of vmigrate API process 1 or 2. */
  URI api(int n) {
    return URI.create("http://127.0.0.1:" + (base + 11 + n));
  }

  URI ui() {
    return URI.create("http://127.0.0.1:" + (base + 10));
  }

  Path tls(String file) {
    return state.resolve("tls").resolve(file);
  }

  long pid(String service) throws IOException {
    return Long.parseLong(Files.readString(state.resolve("run").resolve(service + ".pid")).trim());
  }

  /** The vcsim vCenter of the cluster, from its launcher's ready line. */
  VcsimExtension vcsim() throws IOException {
    for (String line : Files.readAllLines(state.resolve("log/vcsim.log"))) {
      if (line.startsWith("VMIGRATE_VCSIM_READY ")) {
        JsonNode j = new ObjectMapper().readTree(line.substring("VMIGRATE_VCSIM_READY ".length()));
        return VcsimExtension.running(
            URI.create(j.get("url").asText()), j.get("thumbprint").asText());
      }
    }
    throw new IllegalStateException("vcsim printed no ready line");
  }

  /** Whether the frontend requires the client certificate: unless VMIGRATE_CLUSTER_TLS=off. */
  static boolean tls() {
    return !"off".equals(System.getenv("VMIGRATE_CLUSTER_TLS"));
  }

  /** Stubs on the frontend, authenticated with the cluster's client certificate (mutual TLS). */
  WorkflowServiceStubs stubs() throws Exception {
    if (stubs == null && !tls()) {
      stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder()
                  .setTarget("127.0.0.1:" + (base + 1))
                  .setRpcTimeout(Duration.ofSeconds(5))
                  .build());
    }
    if (stubs == null) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      try (InputStream ca = Files.newInputStream(tls("ca.pem"))) {
        trust.setCertificateEntry(
            "ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      try (InputStream cert = Files.newInputStream(tls("client.pem"));
          InputStream key = Files.newInputStream(tls("client.key"))) {
        stubs =
            WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder()
                    .setTarget("127.0.0.1:" + (base + 1))
                    .setSslContext(
                        SimpleSslContextBuilder.forPKCS8(cert, key)
                            .setTrustManager((X509TrustManager) tmf.getTrustManagers()[0])
                            .build())
                    .setChannelInitializer(b -> b.overrideAuthority("localhost"))
                    .setRpcTimeout(Duration.ofSeconds(5))
                    .build());
      }
    }
    return stubs;
  }

  /** Resident memory (VmRSS, MiB) of each running process of the cluster, from /proc. */
  Map<String, Long> rssMib() {
    Map<String, Long> rss = new LinkedHashMap<>();
    for (String s : PROCESSES) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid(s)), "status"))) {
          if (line.startsWith("VmRSS:")) {
            rss.put(s, Long.parseLong(line.replaceAll("\\D", "")) / 1024);
          }
        }
      } catch (IOException | RuntimeException gone) {
        rss.put(s, -1L);
      }
    }
    return rss;
  }

  /** {@code down --purge}: every process stopped, the state removed. */
  @Override
  public void close() throws Exception {
    if (stubs != null) {
      stubs.shutdownNow();
    }
    run(Duration.ofMinutes(3), "down", "--purge");
  }
}

package dev.vmigrate.cli.crash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code vmigrate} process started from the built jar, as an operator starts it, with its output
 * in a file. Killing it is {@code kill -9}: no shutdown hook runs.
 */
public final class VmigrateProcess implements AutoCloseable {
  // "vmigrate server started" or, for `vmigrate worker`, "vmigrate worker started".
  private static final java.util.regex.Pattern READY =
      java.util.regex.Pattern.compile("vmigrate (server|worker) started");

  private final String name;
  private final Process process;
  private final Path log;

  private VmigrateProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** The jar `mvn package` built, which the integration tests run after. */
  public static Path jar() {
    Path jar = Path.of("target", "vmigrate.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: run the integration tests with mvn verify");
    }
    return jar;
  }

  /** Starts {@code vmigrate args...} and returns once it printed its start-up banner. */
  static VmigrateProcess start(String name, Path dir, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx768m");
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.addAll(args);
    Path log = dir.resolve(name + ".log");
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    VmigrateProcess v = new VmigrateProcess(name, p, log);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!READY.matcher(v.output()).find()) {
      if (!p.isAlive()) {
        throw new IllegalStateException(name + " exited at start:\n" + v.tail(40));
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException(name + " did not start within 120 s:\n" + v.tail(40));
      }
      sleep(200);
    }
    return v;
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** kill -9. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** The Temporal dev server this process supervises, if it runs one. */
  Optional<ProcessHandle> temporalChild() {
    return process
        .descendants()
        .filter(h -> h.info().commandLine().orElse("").contains("start-dev"))
        .findFirst();
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  String tail(int lines) {
    List<String> all = output().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** Stops it as Ctrl-C does, then kills it if it hangs. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

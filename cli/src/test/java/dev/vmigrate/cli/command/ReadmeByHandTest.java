package dev.vmigrate.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmigrate.cli.VmigrateMain;
import dev.vmigrate.server.AllInOneServer;
import dev.vmigrate.server.DevTemporal;
import dev.vmigrate.server.ServerOptions;
import dev.vmigrate.server.TestPorts;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import picocli.CommandLine;

/**
 * The README's by-hand steps, run as written against a fresh {@code vmigrate server}: the block
 * under "To try the commands by hand" is read from README.md, the {@code server} line is parsed by
 * the CLI's own command line and started the way {@code ServerCommand} starts it (with its
 * defaults: Temporal's dev server when the Temporal CLI is installed, the embedded H2 database, the
 * simulated vCenter "sim" with 200 VMs), only on free ports and in a temporary data directory.
 * Every other {@code ./vmigrate} line runs in-process through {@link VmigrateMain}. Three things
 * differ from a terminal, each as an operator would do it: the server is not on 127.0.0.1:8080, so
 * each client line gets the global {@code --api URL} option first (what {@code VMIGRATE_API} sets);
 * the JVM's working directory is the cli module, so a {@code --file} path is resolved against the
 * repository root, where the README's commands run; and {@code REQUEST} is the id that {@code plan
 * run} printed. The Temporal CLI line runs with {@code TEMPORAL_ADDRESS} set to the server's
 * Temporal.
 */
class ReadmeByHandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INTRO = "To try the commands by hand, run the server in one terminal";

  @TempDir Path dir;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void theByHandStepsRunAsWrittenOnAFreshServer() throws Exception {
    Path root = repositoryRoot();
    List<String> lines = byHandBlock(Files.readString(root.resolve("README.md")));

    List<String> serverLine = null;
    List<List<String>> client = new ArrayList<>();
    List<String> temporalLine = null;
    for (String line : lines) {
      List<String> words = shellWords(line);
      if (words.isEmpty()) {
        continue;
      }
      if (words.get(0).equals("./vmigrate")) {
        List<String> args = words.subList(1, words.size());
        if (!args.isEmpty() && args.get(0).equals("server")) {
          serverLine = args;
        } else {
          client.add(args);
        }
      } else if (words.get(0).endsWith("/temporal")) {
        temporalLine = words;
      } else {
        fail("README by-hand block: a line this test does not know how to run: " + line);
      }
    }
    assertNotNull(serverLine, "README by-hand block: no './vmigrate server' line in " + lines);
    assertEquals(10, client.size() + 1, "README by-hand block: expected 9 client lines: " + lines);

    // The server line with its defaults, on free ports and a temporary data directory.
    boolean devServer =
        Files.isExecutable(DevTemporal.binary(System.getenv("VMIGRATE_TEMPORAL_BIN")));
    if (!devServer && System.getenv("CI") != null) {
      throw new IllegalStateException(
          "CI: the Temporal CLI is missing; run scripts/temporal install");
    }
    List<String> serverArgs = new ArrayList<>(serverLine);
    serverArgs.addAll(
        List.of(
            "--port",
            String.valueOf(TestPorts.free()),
            "--temporal-port",
            String.valueOf(TestPorts.free()),
            "--temporal-ui-port",
            String.valueOf(TestPorts.free()),
            "--data-dir",
            dir.resolve("vmigrate-data").toString()));
    if (!devServer) {
      System.out.println(
          "ReadmeByHandTest: Temporal CLI not installed (scripts/temporal install); the server"
              + " runs --temporal-in-memory and the Temporal CLI line is skipped");
      serverArgs.add("--temporal-in-memory");
    }
    ServerOptions options = serverOptions(serverArgs);
    try (AllInOneServer server = AllInOneServer.start(options)) {
      String banner = ServerCommand.banner(server, options);
      assertTrue(banner.contains("vCenter      sim (simulated, 200 VMs"), banner);
      String api = server.apiUrl().toString();
      String requestId = null;
      for (List<String> written : client) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
          String a = written.get(i);
          if (a.equals("REQUEST")) {
            assertNotNull(requestId, "REQUEST is used before 'plan run' printed a request id");
            a = requestId;
          } else if (i > 0 && written.get(i - 1).equals("--file")) {
            a = root.resolve(a).toString();
          }
          args.add(a);
        }
        Run run = cli(api, args);
        String step = "./vmigrate " + String.join(" ", written) + "\n" + run;
        System.out.println("$ " + shortened(step));
        assertEquals(0, run.exit, step);
        String cmd = String.join(" ", nonOptions(written));
        switch (cmd) {
          case "vcenter add sim" ->
              assertEquals("vCenter sim registered at https://sim.vmigrate.invalid/sdk\n", run.out);
          case "inventory list sim" -> {
            List<String> rows = run.out.lines().toList();
            assertTrue(rows.get(0).startsWith("ID"), step);
            assertEquals(201, rows.size(), "header and the 200 simulated VMs: " + step);
            assertTrue(rows.stream().anyMatch(l -> l.contains(" srv-0001 ")), step);
            assertTrue(rows.stream().anyMatch(l -> l.contains(" srv-0002 ")), step);
          }
          case "mapping create" ->
              assertTrue(run.out.startsWith("mapping sim-swap-clusters created (id "), step);
          case "plan create" -> assertTrue(run.out.contains("wave-1"), step);
          case "plan simulate wave-1" -> {
            // Both VMs predicted to move, as planned and one at a time, nothing found.
            for (String label : List.of("as planned", "fifo 1")) {
              assertTrue(
                  run.out
                      .lines()
                      .anyMatch(
                          l -> l.matches(label + "\\s+\\d+:\\d\\d:\\d\\d\\s+2\\s+0\\s+0\\s+.*")),
                  label + ": " + step);
            }
            assertTrue(run.out.contains("No findings"), step);
          }
          case "plan run wave-1" -> {
            Matcher m = Pattern.compile("(?m)^Request (\\S+)  plan wave-1 ").matcher(run.out);
            assertTrue(m.find(), "plan run --watch names its request: " + step);
            requestId = m.group(1);
            for (String vm : List.of("srv-0001", "srv-0002")) {
              assertTrue(
                  run.out.lines().anyMatch(l -> l.matches(vm + "\\s+completed\\s+.*100%.*")),
                  vm + " completed: " + step);
            }
          }
          case "request status REQUEST" -> {
            JsonNode r = JSON.readTree(run.out);
            assertEquals(requestId, r.path("id").asText(), step);
            assertEquals("wave-1", r.path("planName").asText(), step);
            assertEquals(2, r.path("tasks").size(), step);
            for (JsonNode t : r.path("tasks")) {
              assertEquals("completed", t.path("state").asText(), step);
            }
          }
          case "request list" -> {
            String id = requestId;
            assertTrue(
                run.out.lines().anyMatch(l -> l.startsWith(id) && l.contains("wave-1")), step);
          }
          case "vm list" -> {
            List<String> rows = run.out.lines().toList();
            assertTrue(rows.get(0).startsWith("REQUEST"), step);
            assertEquals(1, rows.size(), "no VM failed, so only the header: " + step);
          }
          default -> fail("README by-hand block: a step this test does not check: " + step);
        }
      }
      assertNotNull(requestId, "README by-hand block: no 'plan run' step printed a request id");

      if (temporalLine == null) {
        fail("README by-hand block: no Temporal CLI line");
      } else if (!devServer) {
        System.out.println("ReadmeByHandTest: skipped " + String.join(" ", temporalLine));
      } else {
        String out = temporal(root, temporalLine, server.temporalAddress());
        System.out.println("$ " + String.join(" ", temporalLine) + "\n" + out);
        // Nothing failed, so no migration waits for an operator; the query itself must work.
        assertFalse(out.contains("VmMigration"), out);
      }
    }
  }

  @Test
  void splitsLikeAShellAndDropsTheComment() {
    assertEquals(
        List.of(
            ".tools/temporal/bin/temporal",
            "workflow",
            "list",
            "--query",
            "MigrationState='FAILED_WAITING'"),
        shellWords(
            ".tools/temporal/bin/temporal workflow list --query \"MigrationState='FAILED_WAITING'\""));
    assertEquals(
        List.of("./vmigrate", "request", "list", "a#b"),
        shellWords("./vmigrate request list a#b   # also: request pause|resume"));
  }

  @Test
  void aReadmeWithoutTheBlockFailsNamingIt() {
    AssertionFailedError e =
        assertThrows(AssertionFailedError.class, () -> byHandBlock("# vmigrate\n\nNo steps.\n"));
    assertTrue(e.getMessage().contains(INTRO), e.getMessage());
    assertThrows(AssertionFailedError.class, () -> byHandBlock(INTRO + ":\n\ntext, no block\n"));
  }

  /** A step's transcript for the test log, the 200-VM inventory cut short. */
  private static String shortened(String step) {
    List<String> lines = step.lines().toList();
    return lines.size() <= 30
        ? step
        : String.join("\n", lines.subList(0, 12))
            + "\n... ("
            + (lines.size() - 14)
            + " lines more)\n"
            + String.join("\n", lines.subList(lines.size() - 2, lines.size()));
  }

  /** The positional words of a command line (what names the step), up to the first option. */
  private static List<String> nonOptions(List<String> args) {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("-")) {
        if (i == 0 || words.isEmpty()) {
          i++; // a global option and its value, e.g. --output json (the README uses no flag without
          // one)
          continue;
        }
        break;
      }
      words.add(a);
    }
    return words;
  }

  /** Parses the server line with the CLI's own command line and builds what ServerCommand runs. */
  private static ServerOptions serverOptions(List<String> args) {
    try (ApplicationContext context =
        ApplicationContext.builder()
            .environments(Environment.CLI)
            .deduceEnvironment(false)
            .banner(false)
            .properties(Map.of("vmigrate.worker.enabled", false))
            .start()) {
      CommandLine cmd =
          VmigrateMain.commandLine(
              context, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
      CommandLine.ParseResult parsed = cmd.parseArgs(args.toArray(String[]::new));
      ServerCommand server = (ServerCommand) parsed.subcommand().commandSpec().userObject();
      return server.options();
    }
  }

  private record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  private static Run cli(String api, List<String> args) {
    List<String> all = new ArrayList<>(List.of("--api", api));
    all.addAll(args);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        VmigrateMain.run(
            new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  /**
   * Runs the README's Temporal CLI line from the repository root against the server's Temporal. The
   * README names the binary scripts/temporal installs into the repository's .tools; when this
   * checkout has none (a worktree), the one the server ran (VMIGRATE_TEMPORAL_BIN) is used.
   */
  private static String temporal(Path root, List<String> words, String address)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(words);
    Path written = root.resolve(words.get(0));
    if (!Files.isExecutable(written)) {
      command.set(0, DevTemporal.binary(System.getenv("VMIGRATE_TEMPORAL_BIN")).toString());
    }
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
    pb.environment().put("TEMPORAL_ADDRESS", address);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "temporal workflow list did not end");
    assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + out);
    return out;
  }

  /** The folder with README.md and pom.xml, from the module folder the tests run in upwards. */
  static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("README.md"))
          && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "no folder with README.md and pom.xml above " + Path.of("").toAbsolutePath());
  }

  /** The lines of the code block after the by-hand introduction; fails when it is not there. */
  static List<String> byHandBlock(String readme) {
    int intro = readme.indexOf(INTRO);
    if (intro < 0) {
      fail("README.md has no paragraph starting '" + INTRO + "': update this test with it");
    }
    List<String> rest = readme.substring(intro).lines().toList();
    int open = -1;
    for (int i = 1; i < rest.size() && i < 4; i++) {
      if (rest.get(i).startsWith("```")) {
        open = i;
        break;
      }
    }
    if (open < 0) {
      fail("README.md: no code block right after '" + INTRO + "'");
    }
    List<String> block = new ArrayList<>();
    for (int i = open + 1; i < rest.size(); i++) {
      if (rest.get(i).startsWith("```")) {
        if (block.isEmpty()) {
          fail("README.md: the by-hand code block is empty");
        }
        return block;
      }
      block.add(rest.get(i));
    }
    fail("README.md: the by-hand code block is not closed");
    return block;
  }

  /**
   * Splits a line into words as a POSIX shell would for these commands: blanks separate words,
   * single and double quotes group (and are removed), a backslash escapes the next character, and a
   * {@code #} at the start of a word starts a comment.
   */
  static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\'
            && i + 1 < line.length()
            && "$`\"\\".indexOf(line.charAt(i + 1)) >= 0) {
          w.append(line.charAt(++i));
        } else {
          w.append(c);
        }
      } else if (Character.isWhitespace(c)) {
        if (w != null) {
          words.add(w.toString());
          w = null;
        }
      } else if (c == '#' && w == null) {
        break;
      } else {
        if (w == null) {
          w = new StringBuilder();
        }
        if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '\\' && i + 1 < line.length()) {
          w.append(line.charAt(++i));
        } else if ("|&;<>()$`*?[".indexOf(c) >= 0) {
          throw new IllegalArgumentException(
              "README by-hand line uses shell syntax this test does not run (" + c + "): " + line);
        } else {
          w.append(c);
        }
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unclosed quote in README line: " + line);
    }
    if (w != null) {
      words.add(w.toString());
    }
    return words;
  }
}

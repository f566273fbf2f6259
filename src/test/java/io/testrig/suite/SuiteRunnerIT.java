package io.testrig.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.testrig.backend.docker.DockerClients;
import io.testrig.core.Exec;
import io.testrig.core.Redactor;
import io.testrig.engine.Engine;
import io.testrig.engine.Labels;
import io.testrig.rig.SuiteSpec;
import io.testrig.support.EngineExtension;
import io.testrig.support.Suites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Suites against the real engine: every fault the issue lists, and the three kinds of suite. */
class SuiteRunnerIT {
  static final String BASE = "debian:trixie-slim";
  static final String JRE_IMAGE = "testrig-suite-it-jre:1";
  static final String SECRET = "Zq8sEcReT-vAlUe-42xY";
  @RegisterExtension static final EngineExtension ENGINE = new EngineExtension();

  static Engine engine;
  static DockerClient docker;

  final String runId = "suiteit" + UUID.randomUUID().toString().substring(0, 8);
  final Redactor redactor = new Redactor();
  @TempDir Path tmp;
  Path artifacts;
  SuiteRunner runner;

  @BeforeAll
  static void connect() {
    engine = ENGINE.engine();
    docker = DockerClients.of(engine);
  }

  @BeforeEach
  void setUp() {
    redactor.add("password.it", SECRET);
    artifacts = tmp.resolve("artifacts");
    runner = new SuiteRunner(engine, artifacts, redactor, consoleJar());
  }

  @AfterEach
  void nothingLeft() {
    List<Container> left =
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(Labels.RUN_ID, runId))
            .exec();
    left.forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
    assertEquals(List.of(), left.stream().map(c -> List.of(c.getNames())).toList());
  }

  static Path consoleJar() {
    String p = System.getProperty("testrig.junit.console");
    assertNotNull(p, "failsafe passes testrig.junit.console");
    return Path.of(p);
  }

  SuiteTarget target(String network) {
    return target(network, null);
  }

  SuiteTarget target(String network, SuiteTarget.Compose compose) {
    return new SuiteTarget(
        runId,
        network,
        compose,
        Map.of("SUITE_SECRET", SECRET, "GREETING", "hi-there"),
        Map.of(
            Labels.RUN_ID,
            runId,
            Labels.STARTED,
            Long.toString(System.currentTimeMillis() / 1000),
            Labels.OWNER,
            ProcessHandle.current().pid() + "@it"),
        tmp);
  }

  static SuiteSpec image(String name, String script) {
    return image(name, script, null, null);
  }

  static SuiteSpec image(String name, String script, String memory, Duration timeout) {
    return Suites.named(name)
        .image(BASE)
        .command("bash", "-c", script)
        .timeout(timeout)
        .memory(memory)
        .build();
  }

  static final String XML_PASS_FAIL =
      "<testsuite name=\"demo\" tests=\"2\" failures=\"1\">"
          + "<testcase classname=\"demo\" name=\"passes\"/>"
          + "<testcase classname=\"demo\" name=\"fails\"><failure message=\"boom\"/>"
          + "<system-out>token=$SUITE_SECRET</system-out></testcase></testsuite>";

  static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  /** The suite's log for an assertion message; a failed start may leave none. */
  static String logOf(SuiteResult r) throws IOException {
    return r.logFile() != null && Files.isRegularFile(r.logFile()) ? read(r.logFile()) : "(no log)";
  }

  @Test
  void passingAndFailingXmlIsCopiedOutOfTheExitedContainerRedacted() throws IOException {
    String script =
        "mkdir -p /reports/nested && echo \"secret is $SUITE_SECRET\" && echo oops >&2"
            + " && echo '"
            + XML_PASS_FAIL.replace("$SUITE_SECRET", "'\"$SUITE_SECRET\"'")
            + "' > /reports/TEST-demo.xml && echo '<testsuite name=\"b\" tests=\"0\"/>'"
            + " > /reports/nested/TEST-b.xml && echo notes > /reports/notes.txt && exit 1";
    SuiteResult r = runner.run(image("pf", script), target(null));

    assertNull(r.problem(), r.toString());
    assertTrue(r.ok());
    assertEquals(1, r.exitCode(), "the suite's own exit code: a test failed");
    assertNull(r.signal());
    assertFalse(r.oomKilled());
    Path dir = artifacts.resolve("suites/pf");
    assertEquals(
        List.of(dir.resolve("TEST-demo.xml"), dir.resolve("nested/TEST-b.xml")), r.junitFiles());
    String xml = read(r.junitFiles().get(0));
    assertTrue(xml.contains("<failure message=\"boom\"/>"), xml);
    assertTrue(xml.contains("token=[MASKED password.it]"), xml);
    assertFalse(xml.contains(SECRET));
    assertFalse(Files.exists(dir.resolve("notes.txt")), "only XML is copied");

    assertEquals(dir.resolve("output.log"), r.logFile());
    List<String> log = Files.readAllLines(r.logFile());
    assertTrue(
        log.contains(log.get(0))
            && log.stream().allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z .*")),
        "every line carries the engine's timestamp: " + log);
    assertTrue(
        log.stream().anyMatch(l -> l.endsWith(" secret is [MASKED password.it]")), log.toString());
    assertTrue(log.stream().anyMatch(l -> l.endsWith(" oops")), "stderr is kept: " + log);
    assertFalse(read(r.logFile()).contains(SECRET));
  }

  @Test
  void oomKilledSuiteIsNeverAPass() {
    SuiteResult r = runner.run(image("oom", "tail /dev/zero", "16m", null), target(null));

    assertTrue(r.oomKilled(), r.toString());
    assertFalse(r.ok());
    assertTrue(r.problem().contains("OOM killer (memory limit 16m)"), r.problem());
    assertEquals(137, r.exitCode());
  }

  @Test
  void suiteKilledBySignalFromOutsideSaysSo() throws Exception {
    CompletableFuture<SuiteResult> run =
        CompletableFuture.supplyAsync(
            () ->
                runner.run(
                    image(
                        "sig",
                        "mkdir -p /reports; echo '<testsuite/>' > /reports/x.xml; sleep 300"),
                    target(null)));
    String id = awaitRunning("sig");
    docker.killContainerCmd(id).withSignal("SIGKILL").exec();
    SuiteResult r = run.get(60, TimeUnit.SECONDS);

    assertEquals("SIGKILL", r.signal(), r.toString());
    assertEquals(137, r.exitCode());
    assertFalse(r.oomKilled());
    assertFalse(r.timedOut());
    assertEquals("killed by SIGKILL (exit code 137)", r.problem());
    assertEquals(1, r.junitFiles().size(), "what it wrote before the kill is still copied");
  }

  String awaitRunning(String suite) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      List<Container> cs =
          docker
              .listContainersCmd()
              .withLabelFilter(Map.of(Labels.RUN_ID, runId, SuiteRunner.SUITE_LABEL, suite))
              .exec();
      if (!cs.isEmpty()) {
        return cs.get(0).getId();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("suite container " + suite + " never ran");
  }

  @Test
  void suiteWithoutXmlIsAProblem() {
    SuiteResult r = runner.run(image("noxml", "mkdir -p /reports; echo ran"), target(null));
    assertEquals("wrote no JUnit XML in /reports (exit code 0)", r.problem());
    assertEquals(List.of(), r.junitFiles());

    SuiteResult missing = runner.run(image("nodir", "exit 0"), target(null));
    assertEquals(
        "wrote no JUnit XML in /reports (the directory does not exist) (exit code 0)",
        missing.problem());
  }

  @Test
  void malformedXmlIsStillReturnedForTheReaderToFlag() throws IOException {
    SuiteResult r =
        runner.run(
            image("bad", "mkdir -p /reports; printf '<testsuite><testcase' > /reports/bad.xml"),
            target(null));
    assertNull(r.problem());
    assertEquals(1, r.junitFiles().size());
    assertEquals("<testsuite><testcase", read(r.junitFiles().get(0)));
  }

  @Test
  void suiteOverItsTimeoutIsKilled() {
    long t0 = System.nanoTime();
    SuiteResult r =
        runner.run(image("slow", "sleep 300", null, Duration.ofSeconds(2)), target(null));
    long took = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);

    assertTrue(r.timedOut(), r.toString());
    assertEquals("timed out after 2 s and was killed", r.problem());
    assertTrue(took < 30, "killed, not awaited: " + took + " s");
  }

  @Test
  void missingImageIsAProblemNotACrash() {
    SuiteSpec spec =
        Suites.named("gone").image("testrig-suite-it-missing:nope").command("true").build();
    SuiteResult r = runner.run(spec, target(null));
    assertTrue(
        r.problem().startsWith("image 'testrig-suite-it-missing:nope' is not available"),
        r.problem());
  }

  @Test
  void commandMissingFromTheImageIsAProblem() {
    SuiteSpec spec = Suites.named("nocmd").image(BASE).command("no-such-binary-xyz").build();
    SuiteResult r = runner.run(spec, target(null));
    assertTrue(r.problem().startsWith("container did not start: "), r.problem());
    assertTrue(r.problem().contains("no-such-binary-xyz"), r.problem());
  }

  /** A tiny TCP server from perl-base (in debian:trixie-slim): one greeting line per client. */
  static final List<String> SERVER =
      List.of(
          "perl",
          "-MIO::Socket::INET",
          "-e",
          "$|=1; my $s = IO::Socket::INET->new(LocalPort => 7000, Listen => 5, ReuseAddr => 1)"
              + " or die $!; print \"listening\\n\";"
              + " while (my $c = $s->accept) { print $c \"hello-from-server\\n\"; close $c }");

  static final String CLIENT =
      "mkdir -p /reports; for i in $(seq 50); do exec 3<>/dev/tcp/$SERVER_HOST/7000 && break;"
          + " sleep 0.2; done; read -r line <&3;"
          + " echo \"<testsuite name='net' tests='1'><testcase classname='net' name='$line $GREETING'/></testsuite>\""
          + " > /reports/TEST-net.xml";

  @Test
  void suiteOnAUserDefinedNetworkReachesAServiceByAlias() throws IOException {
    String net = "testrig-suite-it-net-" + runId;
    Map<String, String> labels = target(null).labels();
    docker.createNetworkCmd().withName(net).withLabels(labels).exec();
    String server = null;
    try {
      server =
          docker
              .createContainerCmd(BASE)
              .withName("testrig-suite-it-server-" + runId)
              .withLabels(labels)
              .withCmd(SERVER)
              .withHostConfig(
                  com.github.dockerjava.api.model.HostConfig.newHostConfig().withNetworkMode(net))
              .withAliases("echo-server")
              .exec()
              .getId();
      docker.startContainerCmd(server).exec();
      SuiteSpec spec =
          Suites.named("net")
              .image(BASE)
              .command("bash", "-c", CLIENT.replace("$SERVER_HOST", "echo-server"))
              .timeout(Duration.ofSeconds(60))
              .memory("64m")
              .build();
      SuiteResult r = runner.run(spec, target(net));

      assertNull(r.problem(), r + "\n" + logOf(r));
      assertTrue(
          read(r.junitFiles().get(0)).contains("name='hello-from-server hi-there'"),
          "reached the server by alias, with the target's env");
    } finally {
      if (server != null) {
        docker.removeContainerCmd(server).withForce(true).exec();
      }
      docker.removeNetworkCmd(net).exec();
    }
  }

  @Test
  void composeServiceBehindAProfileRunsOnTheStackNetwork() throws IOException {
    String project = "testrig-suite-it-" + runId;
    Path compose = tmp.resolve("compose.yml");
    Files.writeString(
        compose,
        "services:\n"
            + "  server:\n"
            + "    image: "
            + BASE
            + "\n"
            + "    labels: {"
            + Labels.RUN_ID
            + ": "
            + runId
            + "}\n"
            + "    command: "
            + toJson(SERVER).replace("$", "$$")
            + "\n"
            + "  tests:\n"
            + "    image: "
            + BASE
            + "\n"
            + "    profiles: [test]\n"
            + "    command: "
            + toJson(List.of("bash", "-c", CLIENT.replace("$SERVER_HOST", "server")))
                .replace("$", "$$")
            + "\n");
    List<String> base = List.of("docker", "compose", "-p", project, "-f", compose.toString());
    Exec exec = new Exec();
    try {
      exec.check(concat(base, List.of("up", "-d", "server")), Duration.ofMinutes(2), null);
      SuiteSpec spec = Suites.named("composed").service("tests").build();
      SuiteResult r = runner.run(spec, target(null, new SuiteTarget.Compose(base, tmp, Map.of())));

      assertNull(r.problem(), r + "\n" + logOf(r));
      assertEquals(0, r.exitCode());
      assertTrue(read(r.junitFiles().get(0)).contains("name='hello-from-server hi-there'"));
    } finally {
      exec.run(
          concat(base, List.of("down", "-v", "--remove-orphans", "-t", "0")),
          Duration.ofMinutes(2));
    }
  }

  @Test
  void composeServiceThatDoesNotExistIsAProblem() {
    Path compose = tmp.resolve("empty.yml");
    SuiteSpec spec = Suites.named("nosvc").service("nope").build();
    List<String> base =
        List.of("docker", "compose", "-p", "testrig-suite-it-" + runId, "-f", compose.toString());
    try {
      Files.writeString(compose, "services:\n  a:\n    image: " + BASE + "\n");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    SuiteResult r = runner.run(spec, target(null, new SuiteTarget.Compose(base, tmp, Map.of())));
    assertTrue(r.problem().startsWith("compose could not start service nope: "), r.problem());
    assertTrue(r.problem().contains("no such service"), r.problem());
  }

  // ------------------------------------------------------------------ JVM suites

  /** Compiles a two-test JUnit class (one passes, one fails) against the console jar. */
  Path compileDemoTests() throws IOException {
    Path src = tmp.resolve("src/demo/DemoTest.java");
    Files.createDirectories(src.getParent());
    Files.writeString(
        src,
        "package demo;\n"
            + "import org.junit.jupiter.api.Test;\n"
            + "import static org.junit.jupiter.api.Assertions.assertEquals;\n"
            + "class DemoTest {\n"
            + "  @Test void passes() { assertEquals(\"hi-there\", System.getenv(\"GREETING\")); }\n"
            + "  @Test void fails() { System.out.println(\"leak \" + System.getenv(\"SUITE_SECRET\"));"
            + " assertEquals(1, 2); }\n"
            + "}\n");
    Path classes = tmp.resolve("classes");
    Files.createDirectories(classes);
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                "-cp",
                consoleJar().toString(),
                src.toString());
    assertEquals(0, rc, "javac");
    return classes;
  }

  static SuiteSpec jvm(String name, String image, Boolean local) {
    return Suites.named(name)
        .image(image)
        .timeout(Duration.ofMinutes(3))
        .memory(image == null ? null : "512m")
        .junit(List.of("classes"), List.of("--select-class=demo.DemoTest"), local)
        .build();
  }

  void assertDemoReport(SuiteResult r) throws IOException {
    assertNull(r.problem(), r + "\n" + logOf(r));
    assertEquals(1, r.exitCode(), "the console launcher exits 1 when a test failed");
    Path xml =
        r.junitFiles().stream()
            .filter(p -> p.getFileName().toString().equals("TEST-junit-jupiter.xml"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(r.junitFiles()));
    String text = read(xml);
    assertTrue(text.contains("tests=\"2\""), text);
    assertTrue(text.contains("failures=\"1\""), text);
    assertTrue(text.contains("leak [MASKED password.it]"), text);
    assertFalse(text.contains(SECRET));
    assertFalse(read(r.logFile()).contains(SECRET));
  }

  @Test
  void jvmSuiteRunsLocallyWithTheConsoleLauncher() throws IOException {
    compileDemoTests();
    assertDemoReport(runner.run(jvm("jvm-local", null, true), target(null)));
  }

  @Test
  void localJvmSuiteOverItsTimeoutIsKilled() throws IOException {
    Path src = tmp.resolve("src/demo/SlowTest.java");
    Files.createDirectories(src.getParent());
    Files.writeString(
        src,
        "package demo;\nclass SlowTest {\n"
            + "  @org.junit.jupiter.api.Test void sleeps() throws Exception { Thread.sleep(300_000); }\n"
            + "}\n");
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    assertEquals(
        0,
        ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                "-cp",
                consoleJar().toString(),
                src.toString()));
    SuiteSpec spec =
        Suites.named("jvm-slow")
            .timeout(Duration.ofSeconds(4))
            .junit(List.of("classes"), null, true)
            .build();
    long t0 = System.nanoTime();
    SuiteResult r = runner.run(spec, target(null));

    assertTrue(r.timedOut(), r.toString());
    assertEquals("timed out after 4 s and was killed", r.problem());
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30));
  }

  @Test
  void jvmSuiteRunsInItsImageWithTheConsoleLauncherCopiedIn() throws IOException {
    compileDemoTests();
    ensureJreImage();
    SuiteResult r = runner.run(jvm("jvm-container", JRE_IMAGE, false), target(null));
    assertDemoReport(r);
  }

  /**
   * A JRE on debian:trixie-slim, built once and reused by tag (no registry here). Looked up by
   * name: at API 1.41 the list-images {@code filter=} parameter is ignored and answers every image,
   * which made a fresh engine skip the build and then fail to pull.
   */
  static void ensureJreImage() {
    if (imageExists(JRE_IMAGE)) {
      return;
    }
    String dockerfile =
        "FROM "
            + BASE
            + "\nRUN apt-get update && apt-get install -y --no-install-recommends"
            + " openjdk-21-jre-headless && rm -rf /var/lib/apt/lists/*\n";
    Exec.Result built =
        new Exec()
            .run(
                List.of("docker", "build", "-q", "-t", JRE_IMAGE, "-"),
                Duration.ofMinutes(10),
                dockerfile.getBytes(StandardCharsets.UTF_8));
    assertEquals(0, built.exitCode(), () -> "docker build failed:\n" + built.stderr());
    assertTrue(imageExists(JRE_IMAGE), JRE_IMAGE + " missing after its build");
  }

  static boolean imageExists(String name) {
    try {
      docker.inspectImageCmd(name).exec();
      return true;
    } catch (com.github.dockerjava.api.exception.NotFoundException e) {
      return false;
    }
  }

  static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  static String toJson(List<String> l) {
    StringBuilder sb = new StringBuilder("[");
    for (String s : l) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return sb.append(']').toString();
  }
}

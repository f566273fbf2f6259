package io.testrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.testrig.backend.docker.DockerClients;
import io.testrig.compose.ItSupport;
import io.testrig.engine.Engine;
import io.testrig.engine.Labels;
import io.testrig.report.GitLabView;
import io.testrig.report.XmlLint;
import io.testrig.suite.SuiteRunner;
import io.testrig.support.EngineExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code testrig run} as users invoke it (the shaded jar, a real engine, real compose) through the
 * issue's fault list. Each test ends with {@link JarRun#assertLeftNothing}: no labelled container,
 * network or volume of its rig, no run directory, no secret in the console or the artifacts.
 *
 * <p>The rigs are run-it/base (one service logging a generated secret, one suite whose behaviour
 * {@code --set suite.mode=} picks) with a case's files from run-it/&lt;case&gt;/ laid over it.
 */
class RunIT {
  static final Path RESOURCES = Path.of("src/test/resources/run-it").toAbsolutePath();
  static final Map<String, Duration> TIMINGS = new LinkedHashMap<>();

  @RegisterExtension static final EngineExtension ENGINE = new EngineExtension();

  static Engine engine;
  static DockerClient docker;

  @TempDir Path tmp;
  private long t0;

  @BeforeAll
  static void connect() {
    engine = ENGINE.engine();
    docker = DockerClients.of(engine);
    ItSupport.ensureImage(); // testrig-compose-it:1, the base rig's image
  }

  @AfterAll
  static void close() {
    TIMINGS.forEach((k, v) -> System.out.printf("RunIT %-40s %6d ms%n", k, v.toMillis()));
  }

  @BeforeEach
  void clock() {
    t0 = System.nanoTime();
  }

  @AfterEach
  void record(TestInfo info) {
    TIMINGS.put(info.getDisplayName(), Duration.ofNanos(System.nanoTime() - t0));
  }

  // ------------------------------------------------------------------ 1. the examples

  @Test
  void postgresSslOneConfigPassesWithPhasesAndPytestCases() throws Exception {
    Path rig = Path.of("examples/postgres-ssl/testrig.yml").toAbsolutePath();
    Path art = tmp.resolve("artifacts");
    JarRun run =
        jar(
            rig,
            "--artifacts",
            art.toString(),
            "--only",
            "ssl.min_protocol=TLSv1.3,features.client_cert=true");
    JarRun.Result r = run.run();
    assertEquals(0, r.code(), r.toString());
    Path xml = art.resolve("junit.xml");
    XmlLint.assertValid(xml);
    String report = Files.readString(xml);
    for (String name :
        List.of(
            "certs and templates [ssl.min_protocol=TLSv1.3,features.client_cert=true]",
            "stack up: postgres (healthcheck)",
            "suite postgres-ssl",
            "teardown",
            "test_connection_is_tls_with_verified_server_certificate",
            "test_generated_app_password_from_config_json_works")) {
      assertTrue(report.contains("name=\"" + name + "\""), name + " missing in\n" + report);
    }
    assertFalse(report.contains("<failure") || report.contains("<error"), report);
    // What GitLab shows: every case passed, each naming the config in its classname.
    GitLabView v = GitLabView.of(xml);
    assertEquals(0, v.counts().get("failed") + v.counts().get("error"), v.toString());
    assertTrue(v.cases().size() >= 6, v.names().toString());
    for (GitLabView.Case c : v.cases()) {
      assertTrue(c.classname().startsWith("[tlsv1_3-true] "), c.toString());
    }
    assertFalse(run.secrets().isEmpty(), "the watcher saw the generated secrets");
    run.assertLeftNothing(docker, null, art);
  }

  @Test
  void webStackFailingVariantHasExactlyOneFailureWithAnAttachment() throws Exception {
    Path rig = Path.of("examples/web-stack/testrig-failing.yml").toAbsolutePath();
    Path art = tmp.resolve("artifacts");
    JarRun run = jar(rig, "--artifacts", art.toString());
    JarRun.Result r = run.run();
    assertEquals(1, r.code(), r.toString());
    Path xml = art.resolve("junit.xml");
    XmlLint.assertValid(xml);
    String report = Files.readString(xml);
    assertEquals(1, count(report, "<failure "), report);
    assertEquals(0, count(report, "<error "), report);
    assertTrue(report.contains("[[ATTACHMENT|"), report);
    assertTrue(r.out().contains("1 failed, 0 errors"), r.out());
    // GitLab shows the failure as text with a relative attachment; the console names it.
    GitLabView.Case failed =
        GitLabView.of(xml).cases().stream()
            .filter(c -> c.status().equals("failed"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        failed.attachment() != null && !failed.attachment().startsWith("/"), failed.toString());
    String line = "  FAILED " + failed.classname() + " > " + failed.name() + " (";
    assertTrue(r.out().contains(line), line + " missing in\n" + r.out());
    run.assertLeftNothing(docker, null, art);
  }

  // ------------------------------------------------------------------ 2-6. bad input, stack faults

  @Test
  void invalidComposeFileExitsTwoNamingItAndStartsNothing() throws Exception {
    Path rig = rig("bad-compose");
    JarRun run = jar(rig, "-p", project("badcompose"));
    JarRun.Result r = run.run();
    assertEquals(2, r.code(), r.toString());
    String line = onlyErrorLine(r);
    assertTrue(line.contains(rig.resolveSibling("compose.yml").toString()), line);
    assertTrue(line.contains("ports must be a list"), line);
    assertFalse(r.out().contains("app: starting"), r.out());
    assertEquals(Set.of(), run.projects(), "nothing was created");
    run.assertLeftNothing(docker, project("badcompose"), artDir());
  }

  @Test
  void undefinedTemplateVariableExitsTwoNamingTemplateAndLine() throws Exception {
    Path rig = rig("bad-template");
    JarRun run = jar(rig);
    JarRun.Result r = run.run();
    assertEquals(2, r.code(), r.toString());
    assertEquals(
        "testrig: templates/app/broken.conf.j2:2: undefined: 'app.no_such_value'",
        onlyErrorLine(r));
    assertFalse(r.out().contains("Bringing the stack up"), r.out());
    assertEquals(Set.of(), run.projects());
    run.assertLeftNothing(docker, null, artDir());
  }

  @Test
  void missingImageExitsFourNamingTheService() throws Exception {
    JarRun run = jar(rig("missing-image"), "-p", project("noimage"));
    JarRun.Result r = run.run();
    assertEquals(4, r.code(), r.toString());
    String line = onlyErrorLine(r);
    assertTrue(
        line.startsWith("testrig: service 'app': image 'testrig-runit-missing:none' not found"),
        line);
    run.assertLeftNothing(docker, project("noimage"), artDir());
  }

  @Test
  void missingSuiteImageIsReportedByTestrigAloneWithoutLibraryLogging() throws Exception {
    Files.createDirectories(tmp.resolve("rig"));
    copy(RESOURCES.resolve("missing-suite-image"), tmp.resolve("rig"));
    JarRun run = jar(rigFile(), "-p", project("nosuiteimage"));
    JarRun.Result r = run.run();
    assertEquals(1, r.code(), r.toString());
    // Issue 7, item 15: docker-java's ERROR line and stack trace for the failed pull are gone;
    // the suite's problem is testrig's error testcase.
    assertFalse(r.err().contains("ERROR"), r.toString());
    assertFalse(r.err().lines().anyMatch(l -> l.startsWith("\tat ")), r.toString());
    assertTrue(
        Files.readString(artDir().resolve("junit.xml"))
            .contains("image 'testrig-runit-missing-suite:none' is not available"),
        Files.readString(artDir().resolve("junit.xml")));
    run.assertLeftNothing(docker, null, artDir());
  }

  @Test
  void healthcheckThatNeverPassesTimesOutNamingTheServiceWithItsLogSaved() throws Exception {
    JarRun run = jar(rig("unhealthy"), "-p", project("unhealthy"));
    JarRun.Result r = run.run();
    assertEquals(4, r.code(), r.toString());
    String line = onlyErrorLine(r);
    assertTrue(line.startsWith("testrig: service 'app' not ready within 3 s"), line);
    assertTrue(line.contains("healthcheck [false] failing"), line);
    Path log = artDir().resolve("logs/app.log");
    assertTrue(line.endsWith("log: " + log), line);
    // The log is saved, with the secret the service printed masked.
    assertTrue(
        Files.readString(log).contains("token=[MASKED password.app.token]"), Files.readString(log));
    assertTrue(Files.readString(artDir().resolve("junit.xml")).contains("[[ATTACHMENT|"));
    assertFalse(run.secrets().isEmpty());
    run.assertLeftNothing(docker, project("unhealthy"), artDir());
  }

  @Test
  void allocatedHostPortExitsFourNamingServiceAndPort() throws Exception {
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = held.getLocalPort();
      JarRun run = jar(rig("port"), "-p", project("port")).env("RUNIT_PORT", "" + port);
      JarRun.Result r = run.run();
      assertEquals(4, r.code(), r.toString());
      String line = onlyErrorLine(r);
      assertTrue(line.startsWith("testrig: service 'app' could not start"), line);
      assertTrue(line.contains("127.0.0.1:" + port), line);
      assertTrue(line.contains("address already in use"), line);
      run.assertLeftNothing(docker, project("port"), artDir());
    }
  }

  // ------------------------------------------------------------------ 7-8. suite faults

  @Test
  void oomKilledSuiteIsAnErrorSayingSoNeverAPass() throws Exception {
    JarRun run = jar(rig(null), "--set", "suite.mode=oom");
    JarRun.Result r = run.run();
    assertEquals(1, r.code(), r.toString());
    String report = junit();
    assertTrue(
        Pattern.compile("name=\"suite smoke\"[^>]*>\\s*<error message=\"killed by the OOM killer\"")
            .matcher(report)
            .find(),
        report);
    assertEquals(0, count(report, "name=\"token is mounted\""), "no pass from a killed suite");
    assertFalse(run.secrets().isEmpty());
    run.assertLeftNothing(docker, null, artDir());
  }

  @Test
  void suiteThatWritesNoXmlIsAnError() throws Exception {
    JarRun run = jar(rig(null), "--set", "suite.mode=noxml");
    JarRun.Result r = run.run();
    assertEquals(1, r.code(), r.toString());
    String report = junit();
    assertTrue(
        report.contains("<error message=\"wrote no JUnit XML in /reports (exit code 0)\""), report);
    XmlLint.assertValid(artDir().resolve("junit.xml"));
    // The suite printed the secret raw and in base64: its saved output masks both.
    String output = Files.readString(artDir().resolve("suites/smoke/output.log"));
    assertTrue(
        output.contains("token=[MASKED password.app.token] b64=[MASKED password.app.token]"),
        output);
    run.assertLeftNothing(docker, null, artDir());
  }

  @Test
  void suiteThatWritesMalformedXmlIsAnErrorNamingTheFile() throws Exception {
    JarRun run = jar(rig(null), "--set", "suite.mode=badxml");
    JarRun.Result r = run.run();
    assertEquals(1, r.code(), r.toString());
    String report = junit();
    Path copied = artDir().resolve("suites/smoke/smoke.xml");
    assertTrue(report.contains("<error message=\"malformed JUnit XML " + copied), report);
    XmlLint.assertValid(artDir().resolve("junit.xml"));
    run.assertLeftNothing(docker, null, artDir());
  }

  // ------------------------------------------------------------------ 9-10. signals

  @Test
  void sigtermWhileASuiteRunsTearsDownWipesAndWritesAPartialReport() throws Exception {
    JarRun run = jar(rig(null), "--set", "suite.mode=sleep").start();
    awaitContainer(run, Map.of(SuiteRunner.SUITE_LABEL, "smoke"));
    run.signal("TERM");
    JarRun.Result r = run.await(Duration.ofSeconds(60));
    assertEquals(130, r.code(), r.toString());
    assertTrue(r.err().contains("testrig: interrupted; cleaning up"), r.err());
    assertInterruptedReport(List.of("stack up: app (healthcheck)"));
    assertFalse(run.secrets().isEmpty());
    run.assertLeftNothing(docker, null, artDir());
  }

  @Test
  void sigintWhileAServiceComesUpTearsDownWipesAndWritesAPartialReport() throws Exception {
    JarRun run = jar(rig("never-ready"), "-p", project("sigint")).start();
    awaitContainer(run, Map.of(Labels.COMPOSE_SERVICE, "app"));
    run.signal("INT");
    JarRun.Result r = run.await(Duration.ofSeconds(60));
    assertEquals(130, r.code(), r.toString());
    assertTrue(r.err().contains("cleaned up stack " + project("sigint")), r.err());
    assertInterruptedReport(List.of("certs and templates"));
    run.assertLeftNothing(docker, project("sigint"), artDir());
  }

  @Test
  void sigkillThenGcLeavesNothing() throws Exception {
    JarRun run = jar(rig(null), "--set", "suite.mode=sleep").start();
    awaitContainer(run, Map.of(SuiteRunner.SUITE_LABEL, "smoke"));
    run.signal("KILL");
    JarRun.Result r = run.await(Duration.ofSeconds(30));
    assertEquals(137, r.code(), r.toString());
    assertFalse(
        docker
            .listContainersCmd()
            .withLabelFilter(Map.of(Labels.RIG, rigFile().toString()))
            .exec()
            .isEmpty(),
        "SIGKILL runs no teardown: the stack is still there for gc");
    JarRun gc = new JarRun(docker, rigFile(), tmp, null, List.of("gc"));
    JarRun.Result g = gc.run();
    assertEquals(0, g.code(), g.toString());
    assertTrue(g.out().contains("removed container "), g.out());
    // Its secrets too: the run directory of the dead run is wiped.
    assertTrue(g.out().contains("wiped run directory " + JarRun.ephemeralBase()), g.out());
    run.assertLeftNothing(docker, null, artDir());
  }

  // ------------------------------------------------------------------ 11-13. engine, parallel, CI

  @Test
  void unreachableEngineExitsThreeNamingTheHost() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    JarRun run =
        jar(rig(null), "--engine-wait", "2s").env("DOCKER_HOST", "tcp://127.0.0.1:" + port);
    JarRun.Result r = run.run();
    assertEquals(3, r.code(), r.toString());
    String line = onlyErrorLine(r);
    assertTrue(
        line.startsWith("testrig: no Docker engine answered at tcp://127.0.0.1:" + port), line);
    // The report still says why, for GitLab's test widget.
    assertTrue(junit().contains("no Docker engine answered at tcp://127.0.0.1:" + port), junit());
    run.assertLeftNothing(docker, null, artDir());
  }

  @Test
  void twoRunsOfOneRigAtOnceBothPassInDistinctProjects() throws Exception {
    Path rig = rig(null);
    JarRun a = jar(rig, "--artifacts", tmp.resolve("a").toString()).start();
    JarRun b = jar(rig, "--artifacts", tmp.resolve("b").toString()).start();
    JarRun.Result ra = a.await(Duration.ofMinutes(3));
    JarRun.Result rb = b.await(Duration.ofMinutes(3));
    assertEquals(0, ra.code(), ra.toString());
    assertEquals(0, rb.code(), rb.toString());
    Set<String> projects = new HashSet<>(a.projects());
    projects.addAll(b.projects());
    assertEquals(2, projects.size(), "distinct projects: " + projects);
    assertTrue(runDirOf(ra).startsWith(JarRun.ephemeralBase().toString()), ra.out());
    assertFalse(runDirOf(ra).equals(runDirOf(rb)), "distinct run directories");
    assertFalse(a.secrets().isEmpty());
    a.assertLeftNothing(docker, null, tmp.resolve("a"));
    b.assertLeftNothing(docker, null, tmp.resolve("b"));
    // Each run's secret differs, and neither leaked into the other's artifacts.
    b.assertNoSecrets(tmp.resolve("a"));
  }

  @Test
  void gitlabCiGetsCollapsibleSectionsPerPhase() throws Exception {
    JarRun run = jar(rig(null)).env("CI", "true");
    JarRun.Result r = run.run();
    assertEquals(0, r.code(), r.toString());
    for (String id : List.of("prepare", "up", "suite-smoke", "teardown")) {
      assertTrue(
          Pattern.compile("\u001b\\[0Ksection_start:\\d+:testrig_" + Pattern.quote(id) + "[\\[\r]")
              .matcher(r.out())
              .find(),
          id + " start in " + r.out());
      assertTrue(
          Pattern.compile("\u001b\\[0Ksection_end:\\d+:testrig_" + Pattern.quote(id) + "\r")
              .matcher(r.out())
              .find(),
          id + " end in " + r.out());
    }
    assertFalse(run.secrets().isEmpty());
    run.assertLeftNothing(docker, null, artDir());
  }

  // ------------------------------------------------------------------ helpers

  private Path rig(String overlay) throws IOException {
    return rig(tmp, overlay);
  }

  /** run-it/base with run-it/{@code overlay} laid over it, in {@code tmp}/rig (SignalsIT too). */
  static Path rig(Path tmp, String overlay) throws IOException {
    Path dir = tmp.resolve("rig");
    copy(RESOURCES.resolve("base"), dir);
    if (overlay != null) {
      copy(RESOURCES.resolve(overlay), dir);
    }
    return dir.resolve("testrig.yml");
  }

  private Path rigFile() {
    return tmp.resolve("rig/testrig.yml");
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** {@code testrig run -f rig [--artifacts <tmp>/artifacts] more...} in the temp dir. */
  private JarRun jar(Path rig, String... more) {
    List<String> args = new ArrayList<>(List.of("run", "-f", rig.toString()));
    if (!List.of(more).contains("--artifacts")) {
      args.addAll(List.of("--artifacts", artDir().toString()));
    }
    args.addAll(List.of(more));
    return new JarRun(docker, rig, tmp, null, args);
  }

  private Path artDir() {
    return tmp.resolve("artifacts");
  }

  private String junit() throws IOException {
    return Files.readString(artDir().resolve("junit.xml"));
  }

  /** A compose project name unique to this test run, so parallel helpers never collide. */
  private String project(String what) {
    return "runit-" + what + "-" + Integer.toHexString(tmp.hashCode() & 0xfffff);
  }

  /** The one "testrig: ..." line of the console: a fault is reported once, on one line. */
  private static String onlyErrorLine(JarRun.Result r) {
    List<String> lines = r.console().lines().filter(l -> l.startsWith("testrig: ")).toList();
    assertEquals(1, lines.size(), "one error line expected in\n" + r);
    return lines.get(0);
  }

  private static String runDirOf(JarRun.Result r) {
    Matcher m = Pattern.compile("run dir (\\S+):").matcher(r.out());
    assertTrue(m.find(), r.out());
    return m.group(1);
  }

  /** Waits until a running container of this rig carries {@code labels}. */
  private void awaitContainer(JarRun run, Map<String, String> labels) throws Exception {
    Map<String, String> filter = new LinkedHashMap<>(labels);
    filter.put(Labels.RIG, rigFile().toString());
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      assertTrue(run.alive(), "testrig ended before the container ran");
      if (!docker.listContainersCmd().withLabelFilter(filter).exec().isEmpty()) {
        Thread.sleep(500); // well inside the phase, not at its first instant
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no running container with " + filter);
  }

  /** The partial report: valid, with the phases that ran and an "interrupted" error testcase. */
  private void assertInterruptedReport(List<String> phases) throws IOException {
    Path xml = artDir().resolve("junit.xml");
    XmlLint.assertValid(xml);
    String report = Files.readString(xml);
    assertTrue(
        Pattern.compile("name=\"interrupted\"[^>]*>\\s*<error message=\"the run was interrupted")
            .matcher(report)
            .find(),
        report);
    for (String p : phases) {
      assertTrue(report.contains("name=\"" + p + "\""), p + " in " + report);
    }
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}

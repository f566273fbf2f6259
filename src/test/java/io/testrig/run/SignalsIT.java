package io.testrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.testrig.backend.docker.DockerClients;
import io.testrig.compose.ItSupport;
import io.testrig.core.FileTrees;
import io.testrig.engine.Engine;
import io.testrig.report.XmlLint;
import io.testrig.suite.SuiteRunner;
import io.testrig.support.EngineExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, "Signals and cleanup" (items 6 to 10), against the shaded jar, a real engine and real
 * compose: signals at several moments, a service dying while the suites run, a full artifact disk
 * (a real tmpfs), and the compose label override files. Every test ends with {@link
 * JarRun#assertLeftNothing}.
 */
class SignalsIT {
  @RegisterExtension static final EngineExtension ENGINE = new EngineExtension();

  static Engine engine;
  static DockerClient docker;

  @TempDir Path tmp;

  @BeforeAll
  static void connect() {
    engine = ENGINE.engine();
    docker = DockerClients.of(engine);
    ItSupport.ensureImage();
  }

  // ------------------------------------------------------------------ 6. SIGINT in a matrix

  @Test
  void sigintDuringAMatrixStartsNoNewConfigAndTheReportSaysWhatHappened() throws Exception {
    Path rig = rig("matrix-sleep");
    JarRun run = jar(rig, "--parallel", "2").start();
    // Both running configs are in their suites; configs 3 and 4 wait for a free slot.
    awaitContainers(run, 2);
    run.signal("INT");
    JarRun.Result r = run.await(Duration.ofSeconds(90));
    assertEquals(130, r.code(), r.toString());
    assertFalse(r.out().contains("[suite.mode=c]"), "config 3 started after SIGINT: " + r.out());
    assertFalse(r.out().contains("[suite.mode=d]"), "config 4 started after SIGINT: " + r.out());
    Path xml = art().resolve("junit.xml");
    XmlLint.assertValid(xml);
    String report = Files.readString(xml);
    for (String c : List.of("c", "d")) {
      assertTrue(
          Pattern.compile(
                  "<testsuite name=\"\\[suite.mode="
                      + c
                      + "\\] testrig\"[^>]*>\\s*<testcase [^>]*name=\"not started[^\"]*\">\\s*<skipped"
                      + " message=\"the run was interrupted \\(SIGINT or SIGTERM\\) before this"
                      + " config began")
              .matcher(report)
              .find(),
          "config " + c + " reported as not started: " + report);
    }
    for (String c : List.of("a", "b")) {
      assertTrue(
          Pattern.compile(
                  "<testsuite name=\"\\[suite.mode="
                      + c
                      + "\\] testrig\"(?:(?!</testsuite>)[\\s\\S])*?name=\"interrupted[^\"]*\"[^>]*>"
                      + "\\s*<error message=\"the run was"
                      + " interrupted \\(SIGINT or SIGTERM\\) during suite smoke; stack \\S+ torn"
                      + " down \\(removed [1-9]\\d* containers, 1 networks, 0 volumes\\); run"
                      + " directory \\S+ wiped\"")
              .matcher(report)
              .find(),
          "config " + c + " says what its teardown did: " + report);
    }
    assertFalse(run.secrets().isEmpty());
    run.assertLeftNothing(docker, null, art());
    assertNoOverrideDirOf(rig);
  }

  // ------------------------------------------------------------------ 7. SIGTERM in bring-up

  @Test
  void sigtermAtSeveralMomentsOfBringUpLeavesNothingAndTheReportIsTrue() throws Exception {
    // 0.06-0.14 s after "Bringing the stack up" is when compose's `up --no-start` was still
    // creating the container and network in the issue's soak.
    long[] delaysMs = {0, 60, 100, 140, 250, 500};
    for (long delay : delaysMs) {
      Path rig = rig(null);
      Path art = tmp.resolve("art-" + delay);
      JarRun run = jar(rig, "--artifacts", art.toString(), "--set", "suite.mode=sleep").start();
      run.awaitOutput("==> Bringing the stack up", Duration.ofSeconds(60));
      Thread.sleep(delay);
      run.signal("TERM");
      JarRun.Result r = run.await(Duration.ofSeconds(60));
      String at = "SIGTERM " + delay + " ms into bring-up: ";
      assertEquals(130, r.code(), at + r);
      String report = Files.readString(art.resolve("junit.xml"));
      XmlLint.assertValid(art.resolve("junit.xml"));
      assertTrue(
          Pattern.compile(
                  "name=\"interrupted\"[^>]*>\\s*<error message=\"the run was interrupted \\(SIGINT"
                      + " or SIGTERM\\) during (stack up|suite smoke); (stack \\S+ torn down"
                      + " \\(removed \\d+ containers|no stack was created yet)")
              .matcher(report)
              .find(),
          at + report);
      run.assertLeftNothing(docker, null, art);
      assertNoOverrideDirOf(rig);
      FileTrees.deleteTree(tmp.resolve("rig"));
    }
  }

  @Test
  void sigtermWhileTheJvmStartsExitsWithTheJvmDefaultAndCreatesNothing() throws Exception {
    // Before testrig's hook is installed the JVM's own handling applies (documented in docs/cli.md:
    // exit 143, no report, nothing created yet).
    Path rig = rig(null);
    JarRun run = jar(rig).start();
    Thread.sleep(50);
    run.signal("TERM");
    JarRun.Result r = run.await(Duration.ofSeconds(60));
    // A signal inside the JVM's own initialisation (System.initPhase2) makes the JVM itself fail
    // to start: exit 1 with its "Error occurred during initialization of VM" (docs/cli.md).
    boolean vmInit =
        r.code() == 1 && r.console().contains("Error occurred during initialization of VM");
    assertTrue(r.code() == 143 || r.code() == 130 || vmInit, r.toString());
    if (r.code() == 143 || vmInit) {
      assertFalse(Files.exists(art().resolve("junit.xml")), "no report: nothing had started");
    }
    run.assertLeftNothing(docker, null, art());
    assertNoOverrideDirOf(rig);
  }

  // ------------------------------------------------------------------ 8. label override files

  @Test
  void upAndDownKeepTheLabelOverrideInTheRunDirectoryAndLeaveNoTempDir() throws Exception {
    Path rig = rig(null);
    Path runDir = tmp.resolve("rd");
    String project = "sigit-up-" + Integer.toHexString(tmp.hashCode() & 0xfffff);
    JarRun up =
        new JarRun(
            docker,
            rig,
            tmp,
            runDir,
            List.of(
                "up",
                "-f",
                rig.toString(),
                "-p",
                project,
                "--run-dir",
                runDir.toString(),
                "--artifacts",
                art().toString()));
    JarRun.Result u = up.run();
    assertEquals(0, u.code(), u.toString());
    assertTrue(
        Files.isRegularFile(runDir.resolve(".testrig-compose-" + project + ".labels.json")),
        "the override is in the run directory");
    assertNoOverrideDirOf(rig);
    JarRun down =
        new JarRun(
            docker,
            rig,
            tmp,
            runDir,
            List.of("down", "-f", rig.toString(), "-p", project, "--run-dir", runDir.toString()));
    JarRun.Result d = down.run();
    assertEquals(0, d.code(), d.toString());
    assertFalse(Files.exists(runDir), "down wiped the run directory with the override");
    assertNoOverrideDirOf(rig);
    up.assertLeftNothing(docker, project, art());
  }

  // ------------------------------------------------------------------ 9. a service dies

  @Test
  void aServiceThatDiesWhileTheSuitesRunIsAnErrorNamingItsExitCodeAndLog() throws Exception {
    JarRun run = jar(rig("service-dies"));
    JarRun.Result r = run.run();
    assertEquals(4, r.code(), r.toString());
    String line =
        r.err().lines().filter(l -> l.startsWith("testrig: ")).findFirst().orElse("(none)");
    assertTrue(
        line.startsWith("testrig: service 'app' stopped while the suites ran: exited with 3;"),
        r.toString());
    assertTrue(line.contains("last log lines: "), line);
    assertTrue(line.contains("app dying now"), line);
    assertTrue(line.contains("log: " + art().resolve("logs/app.log")), line);
    String report = Files.readString(art().resolve("junit.xml"));
    XmlLint.assertValid(art().resolve("junit.xml"));
    assertTrue(
        Pattern.compile(
                "name=\"stack: app\"[^>]*>\\s*<error message=\"service 'app' stopped while the"
                    + " suites ran: exited with 3;")
            .matcher(report)
            .find(),
        report);
    assertTrue(report.contains("[[ATTACHMENT|"), report);
    // The suite itself passed: the death is reported as the service's, not hidden in it.
    assertTrue(report.contains("name=\"ran\""), report);
    assertFalse(run.secrets().isEmpty());
    run.assertLeftNothing(docker, null, art());
  }

  // ------------------------------------------------------------------ 10. artifacts disk full

  @Test
  void aFullArtifactDiskIsReportedOnTheConsoleAndInTheReport() throws Exception {
    Path disk = tmp.resolve("small-disk");
    Files.createDirectories(disk);
    mount(disk);
    try {
      Path report = tmp.resolve("report/junit.xml");
      JarRun run =
          jar(rig("big-log"), "--artifacts", disk.toString(), "--report", report.toString());
      JarRun.Result r = run.run();
      assertEquals(5, r.code(), r.toString());
      Path log = disk.resolve("logs/app.log");
      String want = "cannot write " + log + " (No space left on device";
      assertTrue(r.err().contains(want), r.toString());
      String xml = Files.readString(report);
      XmlLint.assertValid(report);
      assertTrue(
          Pattern.compile(
                  "name=\"teardown\"[^>]*>\\s*<error message=\"[^\"]*" + Pattern.quote(want))
              .matcher(xml)
              .find(),
          xml);
      run.assertLeftNothing(docker, null, disk);
    } finally {
      umount(disk);
    }
  }

  // ------------------------------------------------------------------ helpers

  private static void mount(Path dir) throws Exception {
    Process p =
        new ProcessBuilder(
                "mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", dir.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "mount a 64 KiB tmpfs (needs root): " + out);
  }

  private static void umount(Path dir) throws Exception {
    Process p = new ProcessBuilder("umount", dir.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "umount " + dir + ": " + out);
  }

  /** No testrig-compose-* temp directory holds a labels file naming this rig. */
  private static void assertNoOverrideDirOf(Path rig) throws IOException {
    String needle = rig.toAbsolutePath().normalize().toString();
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> s =
        Files.newDirectoryStream(
            Path.of(System.getProperty("java.io.tmpdir")), "testrig-compose-*")) {
      for (Path d : s) {
        try (Stream<Path> files = Files.walk(d)) {
          for (Path f : files.filter(Files::isRegularFile).toList()) {
            if (Files.readString(f).contains(needle)) {
              found.add(d);
            }
          }
        } catch (IOException e) {
          // Another run's directory, removed meanwhile.
        }
      }
    }
    assertEquals(List.of(), found, "testrig-compose-* directories left for " + needle);
  }

  /** Waits until {@code n} suite containers of this rig run. */
  private void awaitContainers(JarRun run, int n) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      assertTrue(run.alive(), "testrig ended before its suites ran");
      int running =
          docker
              .listContainersCmd()
              .withLabelFilter(
                  Map.of(
                      SuiteRunner.SUITE_LABEL,
                      "smoke",
                      io.testrig.engine.Labels.RIG,
                      tmp.resolve("rig/testrig.yml").toString()))
              .exec()
              .size();
      if (running >= n) {
        Thread.sleep(300);
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("fewer than " + n + " suites running");
  }

  private Path rig(String overlay) throws IOException {
    return RunIT.rig(tmp, overlay);
  }

  private JarRun jar(Path rig, String... more) {
    List<String> args = new ArrayList<>(List.of("run", "-f", rig.toString()));
    if (!List.of(more).contains("--artifacts")) {
      args.addAll(List.of("--artifacts", art().toString()));
    }
    args.addAll(List.of(more));
    return new JarRun(docker, rig, tmp, null, args);
  }

  private Path art() {
    return tmp.resolve("artifacts");
  }
}

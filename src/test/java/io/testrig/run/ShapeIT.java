package io.testrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.testrig.backend.docker.DockerClients;
import io.testrig.core.Exec;
import io.testrig.engine.Engine;
import io.testrig.report.GitLabView;
import io.testrig.report.XmlLint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, items 1-4, end to end with the shaded jar on the real engine: the examples
 * version-matrix (values pick the image and mem_limit), feature-flags (a flag removes a service and
 * a per-config suite is skipped) and jvm-truststore (a JVM suite trusts the run's CA from its
 * container and from the host). Each builds the example images it uses first (a cache check when
 * they exist) and ends with {@link JarRun#assertLeftNothing}.
 */
class ShapeIT {
  static Engine engine;
  static DockerClient docker;

  @TempDir Path tmp;

  @BeforeAll
  static void connect() {
    engine = Engine.connect(Duration.ofSeconds(30));
    docker = DockerClients.of(engine);
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  static void buildImages(String... images) {
    List<String> cmd = new ArrayList<>(List.of("bash", "examples/build-images.sh"));
    cmd.addAll(List.of(images));
    Exec.Result r = new Exec().run(cmd, Duration.ofMinutes(20));
    assertEquals(0, r.exitCode(), () -> "build-images failed:\n" + r.stdout() + r.stderr());
  }

  private JarRun run(Path rig, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("run", "-f", rig.toString(), "--artifacts", tmp.resolve("art").toString()));
    args.addAll(List.of(more));
    return new JarRun(docker, rig, tmp, null, args);
  }

  private static Map<String, GitLabView.Case> byName(GitLabView v) {
    return v.cases().stream()
        .collect(Collectors.toMap(c -> c.classname() + " / " + c.name(), c -> c, (a, b) -> a));
  }

  /** The "stack up" testcase of a started service, named with how it was found ready. */
  private static GitLabView.Case started(Map<String, GitLabView.Case> cases, String prefix) {
    return cases.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError(prefix + " missing in " + cases.keySet()));
  }

  /** A pytest testcase of one config by its name (the classname is pytest's module path). */
  private static GitLabView.Case pytest(
      Map<String, GitLabView.Case> cases, String config, String name) {
    return cases.entrySet().stream()
        .filter(e -> e.getKey().startsWith(config) && e.getKey().endsWith(" / " + name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError(config + name + " missing in " + cases.keySet()));
  }

  @Test
  void versionMatrixRunsEachVersionUnderEachMemoryLimit() throws Exception {
    buildImages("postgres", "postgres15");
    Path rig = Path.of("examples/version-matrix/testrig.yml").toAbsolutePath();
    JarRun run = run(rig);
    JarRun.Result r = run.start().await(Duration.ofMinutes(5));
    assertEquals(0, r.code(), r.toString());
    Path xml = tmp.resolve("art/junit.xml");
    XmlLint.assertValid(xml);
    Map<String, GitLabView.Case> cases = byName(GitLabView.of(xml));
    for (String version : List.of("15", "17")) {
      for (String memory : List.of("256m", "1g")) {
        String slug = "[" + version + "-" + memory + "] ";
        for (String name :
            List.of("server is PostgreSQL " + version, "memory limit is " + memory)) {
          GitLabView.Case c = cases.get(slug + "version-matrix / " + name);
          assertTrue(c != null && c.status().equals("success"), slug + name + " in " + cases);
        }
        assertEquals("success", cases.get(slug + "testrig / stack up: db (healthcheck)").status());
      }
    }
    run.assertLeftNothing(docker, null, tmp.resolve("art"));
  }

  @Test
  void aFlagRemovesAServiceAndItsSuiteIsSkippedWithTheReason() throws Exception {
    buildImages("python");
    Path rig = Path.of("examples/feature-flags/testrig.yml").toAbsolutePath();
    JarRun run = run(rig);
    JarRun.Result r = run.run();
    assertEquals(0, r.code(), r.toString());
    Path xml = tmp.resolve("art/junit.xml");
    XmlLint.assertValid(xml);
    Map<String, GitLabView.Case> cases = byName(GitLabView.of(xml));

    // On: metrics started and its suite ran.
    assertEquals("success", started(cases, "[true] testrig / stack up: metrics (").status());
    assertEquals("success", cases.get("[true] testrig / suite metrics").status());
    assertEquals("success", pytest(cases, "[true] ", "test_metrics_answers").status());
    // Off: metrics never created, its testcase and its log say why; its suite is skipped.
    GitLabView.Case metrics = cases.get("[false] testrig / stack up: metrics");
    assertEquals("skipped", metrics.status(), metrics.toString());
    assertTrue(metrics.shown().contains("disabled by features.monitoring=false"), metrics.shown());
    GitLabView.Case suite = cases.get("[false] testrig / suite metrics");
    assertEquals("skipped", suite.status());
    assertTrue(
        suite.shown().contains("skipped by when: features.monitoring (features.monitoring=false)"),
        suite.shown());
    assertFalse(
        cases.keySet().stream()
            .anyMatch(k -> k.startsWith("[false] ") && k.endsWith(" / test_metrics_answers")));
    assertEquals(
        "testrig: service 'metrics' not started: disabled by features.monitoring=false\n",
        Files.readString(tmp.resolve("art/false/logs/metrics.log")));
    // smoke ran in both, and saw metrics exactly where it was on.
    for (String cfg : List.of("true", "false")) {
      assertEquals(
          "success",
          pytest(cases, "[" + cfg + "] ", "test_metrics_answers_exactly_when_monitoring_is_on")
              .status());
    }
    assertTrue(r.out().contains("disabled by features.monitoring=false"), r.out());
    run.assertLeftNothing(docker, null, tmp.resolve("art"));
  }

  /**
   * stack.profiles_if end to end (test rig src/test/resources/shape-switches): profile debug is on
   * only in config true, service lean only in config false, suite debug-only only where debug is
   * on, and web listens on a port compose took from the value web.port.
   */
  @Test
  void aFlagEnablesAProfileInOneConfigAndNotInTheOther() throws Exception {
    buildImages("python");
    Path rig = Path.of("src/test/resources/shape-switches/testrig.yml").toAbsolutePath();
    JarRun run = run(rig);
    JarRun.Result r = run.run();
    assertEquals(0, r.code(), r.toString());
    Path xml = tmp.resolve("art/junit.xml");
    XmlLint.assertValid(xml);
    Map<String, GitLabView.Case> cases = byName(GitLabView.of(xml));

    // true: the profile's service started and the debug-only suite ran; lean is off.
    assertEquals("success", started(cases, "[true] testrig / stack up: debug (").status());
    assertEquals("success", cases.get("[true] testrig / suite debug-only").status());
    assertEquals("success", pytest(cases, "[true] ", "test_debug_answers").status());
    GitLabView.Case lean = cases.get("[true] testrig / stack up: lean");
    assertEquals("skipped", lean.status(), String.valueOf(lean));
    assertTrue(lean.shown().contains("disabled by features.debug=true"), lean.shown());
    // false: the profile is off, so debug is not part of the stack at all; its suite is skipped.
    assertFalse(
        cases.keySet().stream().anyMatch(k -> k.startsWith("[false] testrig / stack up: debug")),
        cases.keySet().toString());
    assertEquals("success", started(cases, "[false] testrig / stack up: lean (").status());
    GitLabView.Case suite = cases.get("[false] testrig / suite debug-only");
    assertEquals("skipped", suite.status(), String.valueOf(suite));
    assertTrue(
        suite.shown().contains("skipped by when: features.debug (features.debug=false)"),
        suite.shown());
    assertFalse(
        cases.keySet().stream()
            .anyMatch(k -> k.startsWith("[false] ") && k.endsWith(" / test_debug_answers")));
    // Both: the suite saw exactly the services its config switched on, web on the value's port.
    for (String cfg : List.of("true", "false")) {
      for (String test :
          List.of(
              "test_web_listens_on_the_port_from_the_rig_value",
              "test_debug_answers_exactly_when_its_profile_is_on",
              "test_lean_answers_exactly_when_it_is_enabled")) {
        assertEquals("success", pytest(cases, "[" + cfg + "] ", test).status(), cfg + " " + test);
      }
    }
    run.assertLeftNothing(docker, null, tmp.resolve("art"));
  }

  @Test
  void aHardDependencyOnADisabledServiceIsRejectedBeforeAnythingStarts() throws Exception {
    Path dir = copyExample("feature-flags");
    Path compose = dir.resolve("compose.yml");
    Files.writeString(
        compose,
        Files.readString(compose)
            .replace(
                "metrics: {condition: service_started, required: false}",
                "metrics: {condition: service_started}"));
    Path rig = dir.resolve("testrig.yml");
    JarRun run = run(rig, "--only", "false");
    JarRun.Result r = run.run();
    assertEquals(2, r.code(), r.toString());
    assertTrue(
        r.err()
            .contains(
                "stack.services.metrics.enabled_if: service 'web' depends on 'metrics', which is"
                    + " disabled by features.monitoring=false"),
        r.toString());
    run.assertLeftNothing(docker, null, tmp.resolve("art"));
  }

  @Test
  void aJvmSuiteTrustsTheRunsCaInItsContainerAndOnTheHost() throws Exception {
    buildImages("nginx", "jre");
    Path dir = copyExample("jvm-truststore");
    Path console = Path.of(System.getProperty("testrig.junit.console"));
    List<String> sources;
    try (Stream<Path> s = Files.walk(dir.resolve("src"))) {
      sources = s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
    }
    List<String> javac =
        new ArrayList<>(
            List.of("-d", dir.resolve("classes").toString(), "-cp", console.toString()));
    javac.addAll(sources);
    assertEquals(
        0,
        ToolProvider.getSystemJavaCompiler().run(null, null, null, javac.toArray(String[]::new)));
    JarRun run = run(dir.resolve("testrig.yml")).env("TESTRIG_JUNIT_CONSOLE", console.toString());
    JarRun.Result r = run.run();
    assertEquals(0, r.code(), r.toString());
    Path xml = tmp.resolve("art/junit.xml");
    XmlLint.assertValid(xml);
    GitLabView v = GitLabView.of(xml);
    for (String suite : List.of("jvm-container", "jvm-local")) {
      List<GitLabView.Case> tests =
          v.cases().stream()
              .filter(
                  c -> c.suite().equals(suite) && c.classname().equals("example.TrustStoreTest"))
              .toList();
      assertEquals(4, tests.size(), suite + ": " + v.cases());
      tests.forEach(c -> assertEquals("success", c.status(), suite + " " + c));
    }
    run.assertLeftNothing(docker, null, tmp.resolve("art"));
  }

  /** A copy of an example (with a sibling link to the images for compose's build: context). */
  private Path copyExample(String name) throws IOException {
    Path src = Path.of("examples", name).toAbsolutePath();
    Path dst = tmp.resolve("examples").resolve(name);
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.toList()) {
        Path t = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Files.createSymbolicLink(
        tmp.resolve("examples/images"), Path.of("examples/images").toAbsolutePath());
    return dst;
  }
}

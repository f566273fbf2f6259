package io.testrig.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.Exec;
import io.testrig.report.GitLabView;
import io.testrig.report.XmlLint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The builder image runs examples/postgres-ssl end to end as a GitLab job with `privileged = true`
 * would: the image's entrypoint starts its own dockerd (Docker-in-Docker, with the capability set
 * that works on this machine), the repository is mounted where a job's checkout is, and `testrig
 * run` brings the stack up, runs the pytest suite and writes the JUnit XML into a bind-mounted host
 * directory. No registry: the example images are streamed from the host engine into the inner one
 * (`docker save | docker run -i ... docker load`). One matrix config keeps it short.
 */
class ImageE2EIT {
  static final String CONFIG = "tlsv1_2-true";
  static final String NAME = "testrig-image-e2e-it-" + ProcessHandle.current().pid();
  static final Path ARTIFACTS = ImageSupport.ROOT.resolve("target/image-e2e-it");

  @BeforeAll
  static void images() {
    ImageSupport.buildImage();
    ImageSupport.buildExampleImages();
  }

  @AfterAll
  static void removeContainer() {
    ImageSupport.EXEC.run(List.of("docker", "rm", "-f", "-v", NAME), Duration.ofMinutes(1));
  }

  @Test
  void runsPostgresSslInsideTheImageAndHandsTheJUnitXmlToTheHost() throws IOException {
    deleteTree(ARTIFACTS);
    Files.createDirectories(ARTIFACTS);
    List<String> run = new ArrayList<>(List.of("docker", "run", "--rm", "-i", "--name", NAME));
    run.addAll(ImageSupport.dindArgs());
    run.addAll(
        List.of(
            // The inner dockerd's storage: tmpfs, gone with the container.
            "--tmpfs",
            "/var/lib/docker",
            "-v",
            ImageSupport.ROOT + ":/builds/testrig/testrig:ro",
            "-v",
            ARTIFACTS + ":/artifacts",
            "-w",
            "/builds/testrig/testrig",
            ImageSupport.IMAGE,
            "bash",
            "-c",
            "set -e; docker load -q; testrig run -f examples/postgres-ssl/testrig.yml --only "
                + CONFIG
                + " --artifacts /artifacts; "
                // Issue 9 in the image, on the python image already loaded: a flag removes a
                // service and skips its suite; a profile a flag enables; a value compose uses.
                + "testrig run -f examples/feature-flags/testrig.yml --only false"
                + " --artifacts /artifacts/feature-flags; "
                + "testrig run -f src/test/resources/shape-switches/testrig.yml --only true"
                + " --artifacts /artifacts/shape-switches; testrig gc"));
    String pipeline =
        "set -o pipefail; docker save "
            + String.join(" ", ImageSupport.POSTGRES_SSL_IMAGES)
            + " | "
            + String.join(" ", run.stream().map(ImageE2EIT::quote).toList());
    Exec.Result r = ImageSupport.EXEC.run(List.of("bash", "-c", pipeline), Duration.ofMinutes(10));
    String all = r.stdout() + r.stderr();
    assertEquals(0, r.exitCode(), () -> ImageSupport.tail(all));
    // The job's own engine: the entrypoint started dockerd, the images came in without a registry.
    assertTrue(r.stderr().contains("testrig-entrypoint: starting dockerd"), all);
    assertTrue(r.stdout().contains("Loaded image: testrig-example/postgres:17"), all);
    assertTrue(r.stdout().contains("JUnit XML: /artifacts/junit.xml"), all);

    Path junit = ARTIFACTS.resolve("junit.xml");
    assertTrue(Files.isRegularFile(junit), "no JUnit XML on the host: " + ImageSupport.tail(all));
    XmlLint.assertValid(junit);
    String xml = Files.readString(junit);
    // 4 phase testcases plus the pytest suite's own.
    assertTrue(ImageSupport.rootCount(xml, "tests") > 4, xml);
    assertEquals(0, ImageSupport.rootCount(xml, "failures"), xml);
    assertEquals(0, ImageSupport.rootCount(xml, "errors"), xml);
    assertTrue(xml.contains("classname=\"[tlsv1_2-true] test_postgres_ssl\""), xml);
    assertTrue(xml.contains("ssl.min_protocol=TLSv1.2,features.client_cert=true"), xml);
    assertFalse(xml.contains("TLSv1.3"), "only the chosen config ran: " + xml);
    assertTrue(Files.isRegularFile(ARTIFACTS.resolve(CONFIG + "/logs/postgres.log")));
    assertFlagsAndValuesWorked();
  }

  /**
   * The two issue-9 runs of the same container: feature-flags with features.monitoring=false
   * (metrics disabled, its suite skipped) and the test rig shape-switches with features.debug=true
   * (profile debug on, lean disabled, web on the port compose took from the value web.port).
   */
  private static void assertFlagsAndValuesWorked() throws IOException {
    Map<String, GitLabView.Case> flags = cases(ARTIFACTS.resolve("feature-flags/junit.xml"));
    GitLabView.Case metrics = flags.get("[false] testrig / stack up: metrics");
    assertEquals("skipped", metrics.status(), flags.keySet().toString());
    assertTrue(metrics.shown().contains("disabled by features.monitoring=false"), metrics.shown());
    GitLabView.Case suite = flags.get("[false] testrig / suite metrics");
    assertEquals("skipped", suite.status(), String.valueOf(suite));
    assertTrue(suite.shown().contains("features.monitoring=false"), suite.shown());
    assertEquals(
        "success",
        pytest(flags, "test_metrics_answers_exactly_when_monitoring_is_on").status(),
        flags.keySet().toString());

    Map<String, GitLabView.Case> shape = cases(ARTIFACTS.resolve("shape-switches/junit.xml"));
    GitLabView.Case lean = shape.get("[true] testrig / stack up: lean");
    assertEquals("skipped", lean.status(), shape.keySet().toString());
    assertTrue(lean.shown().contains("disabled by features.debug=true"), lean.shown());
    assertEquals("success", shape.get("[true] testrig / suite debug-only").status());
    for (String test :
        List.of(
            "test_web_listens_on_the_port_from_the_rig_value",
            "test_debug_answers_exactly_when_its_profile_is_on",
            "test_lean_answers_exactly_when_it_is_enabled",
            "test_debug_answers")) {
      assertEquals("success", pytest(shape, test).status(), test + " in " + shape.keySet());
    }
  }

  private static Map<String, GitLabView.Case> cases(Path junit) throws IOException {
    assertTrue(Files.isRegularFile(junit), "no JUnit XML on the host: " + junit);
    XmlLint.assertValid(junit);
    return GitLabView.of(junit).cases().stream()
        .collect(Collectors.toMap(c -> c.classname() + " / " + c.name(), c -> c, (a, b) -> a));
  }

  /** A pytest testcase by its name (the classname is pytest's module path). */
  private static GitLabView.Case pytest(Map<String, GitLabView.Case> cases, String name) {
    return cases.entrySet().stream()
        .filter(e -> e.getKey().endsWith(" / " + name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " missing in " + cases.keySet()));
  }

  static String quote(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(p);
      }
    }
  }
}

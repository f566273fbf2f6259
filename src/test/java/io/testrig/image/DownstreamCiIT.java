package io.testrig.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.Exec;
import io.testrig.report.XmlLint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A downstream project (ci-templates/example) that includes the testrig CI/CD component runs under
 * gitlab-ci-local with the locally built image, in the socket-binding runner mode: the host's
 * /var/run/docker.sock is bound into the job, so the image's entrypoint must find a working engine
 * and start no daemon. scripts/downstream-ci-test.sh does the set-up (it installs gitlab-ci-local
 * 4.65.1 into target/gcl with npm when missing) and is what a developer runs by hand too.
 */
class DownstreamCiIT {
  static final String CONFIG = "tlsv1_2-true";

  @BeforeAll
  static void images() {
    ImageSupport.buildImage();
    ImageSupport.buildExampleImages();
  }

  @Test
  void theComponentsJobPassesUnderGitlabCiLocalAndProducesTheJUnitXml() throws IOException {
    Exec.Result r =
        ImageSupport.EXEC.run(
            List.of("bash", "scripts/downstream-ci-test.sh", ImageSupport.IMAGE, CONFIG),
            Duration.ofMinutes(15));
    String all = r.stdout() + r.stderr();
    assertEquals(0, r.exitCode(), () -> ImageSupport.tail(all));
    // The job ran in the image, through the component, and passed.
    assertTrue(
        r.stdout().contains("testrig: [" + CONFIG + "] starting " + ImageSupport.IMAGE), all);
    assertTrue(r.stdout().contains("PASS  testrig: [" + CONFIG + "]"), all);
    // Socket binding: the entrypoint used the host's engine and started no dockerd.
    assertFalse(all.contains("starting dockerd"), all);
    // ... and found the run directory (XDG_RUNTIME_DIR) shared with the host at the same path.
    assertFalse(all.contains("socket is bound in"), all);
    assertTrue(r.stdout().contains("$ testrig gc"), "after_script ran: " + all);

    Path junit = ImageSupport.ROOT.resolve("target/downstream/junit.xml");
    assertTrue(Files.isRegularFile(junit), all);
    XmlLint.assertValid(junit);
    String xml = Files.readString(junit);
    assertTrue(ImageSupport.rootCount(xml, "tests") > 4, xml);
    assertEquals(0, ImageSupport.rootCount(xml, "failures"), xml);
    assertEquals(0, ImageSupport.rootCount(xml, "errors"), xml);
    assertTrue(xml.contains("classname=\"[" + CONFIG + "] test_postgres_ssl\""), xml);
  }

  /**
   * fan-out: child-pipeline. gitlab-ci-local 4.65.1 runs the parent pipeline (the .pre job
   * generates the child pipeline with the image's `testrig ci pipeline`) but not what a `trigger:`
   * job includes, so the script then runs the generated file with --file: 4 jobs, one per config of
   * examples/postgres-ssl, each green with its own JUnit XML naming its config.
   */
  @Test
  void theChildPipelineRunsOneGreenJobPerConfigEachWithItsOwnJUnitXml() throws IOException {
    Exec.Result r =
        ImageSupport.EXEC.run(
            List.of(
                "bash",
                "scripts/downstream-ci-test.sh",
                ImageSupport.IMAGE,
                "all",
                "examples/postgres-ssl",
                "child-pipeline"),
            Duration.ofMinutes(20));
    String all = r.stdout() + r.stderr();
    assertEquals(0, r.exitCode(), () -> ImageSupport.tail(all));
    assertTrue(r.stdout().contains("PASS  testrig-configs"), all);
    Path out = ImageSupport.ROOT.resolve("target/downstream");
    String child = Files.readString(out.resolve("child-pipeline.yml"));
    assertTrue(child.contains("image: " + ImageSupport.IMAGE), child);
    List<String> configs =
        List.of(
            "ssl.min_protocol=TLSv1.2,features.client_cert=true",
            "ssl.min_protocol=TLSv1.2,features.client_cert=false",
            "ssl.min_protocol=TLSv1.3,features.client_cert=true",
            "ssl.min_protocol=TLSv1.3,features.client_cert=false");
    for (String c : configs) {
      // gitlab-ci-local names a child job after the trigger job that ran it.
      assertTrue(r.stdout().contains("PASS  [testrig] -> testrig [" + c + "]"), c + ": " + all);
    }
    assertTrue(r.stdout().contains("$ testrig gc"), "after_script ran: " + all);
    List<Path> reports;
    try (var s = Files.walk(out.resolve("child"))) {
      reports = s.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
    }
    assertEquals(4, reports.size(), reports.toString());
    for (Path junit : reports) {
      XmlLint.assertValid(junit);
      String xml = Files.readString(junit);
      String config =
          configs.stream()
              .filter(c -> xml.contains("name=\"[" + c + "] testrig\""))
              .findFirst()
              .orElseThrow(() -> new AssertionError(junit + " names no config: " + xml));
      // Only its own config, and the suite's testsuite carries it too.
      configs.stream()
          .filter(c -> !c.equals(config))
          .forEach(c -> assertFalse(xml.contains("[" + c + "]"), junit + " also has " + c));
      assertTrue(xml.contains("name=\"[" + config + "] postgres-ssl\""), xml);
      assertTrue(ImageSupport.rootCount(xml, "tests") > 4, xml);
      assertEquals(0, ImageSupport.rootCount(xml, "failures"), xml);
      assertEquals(0, ImageSupport.rootCount(xml, "errors"), xml);
    }
  }

  /**
   * A typo in the component's `matrix` fails the .pre job, naming the valid configs; no test job
   * starts.
   */
  @Test
  void aConfigTypoFailsTheCheckBeforeAnyTestJobStarts() {
    Exec.Result r =
        ImageSupport.EXEC.run(
            List.of(
                "bash",
                "scripts/downstream-ci-test.sh",
                ImageSupport.IMAGE,
                "tlsv1_2-true, tlsv1_4-true",
                "examples/postgres-ssl",
                "child-pipeline"),
            Duration.ofMinutes(10));
    String all = r.stdout() + r.stderr();
    assertEquals(1, r.exitCode(), () -> ImageSupport.tail(all));
    assertTrue(r.stdout().contains("FAIL  testrig-configs"), all);
    assertTrue(
        r.stdout()
            .contains(
                "unknown matrix config 'tlsv1_4-true' (valid: all,"
                    + " ssl.min_protocol=TLSv1.2,features.client_cert=true (tlsv1_2-true)"),
        all);
    assertFalse(r.stdout().contains("testrig run"), all);
    assertFalse(r.stdout().contains("starting testrig-image-it:latest (test)"), all);
  }
}

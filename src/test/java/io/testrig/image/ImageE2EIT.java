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
import java.util.ArrayList;
import java.util.List;
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
                + " --artifacts /artifacts; testrig gc"));
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

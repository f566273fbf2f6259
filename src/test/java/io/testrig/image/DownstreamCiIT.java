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
    assertTrue(xml.contains("classname=\"test_postgres_ssl\""), xml);
  }
}

package io.testrig.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.api.DockerClient;
import io.testrig.backend.docker.DockerClients;
import io.testrig.core.Exec;
import io.testrig.core.ExitCode;
import io.testrig.engine.Engine;
import io.testrig.engine.Labels;
import io.testrig.rig.Rig;
import io.testrig.rig.RigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Shared by the stack ITs: the test image, rig files in a temp dir, leftover checks. */
public final class ItSupport {
  /** Built once FROM debian:trixie-slim (busybox for tiny servers) and reused by tag. */
  public static final String IMAGE = "testrig-compose-it:1";

  private ItSupport() {}

  public static synchronized void ensureImage() {
    Exec exec = new Exec();
    if (exec.run(List.of("docker", "image", "inspect", IMAGE), Duration.ofSeconds(30)).ok()) {
      return;
    }
    Path context = Path.of("src/test/resources/compose-it").toAbsolutePath();
    exec.check(
        List.of("docker", "build", "-q", "-t", IMAGE, context.toString()),
        Duration.ofMinutes(10),
        ExitCode.ENGINE_UNAVAILABLE);
  }

  /** Writes compose.yml and testrig.yml into {@code dir} and loads the rig. */
  public static Rig rig(Path dir, String compose, String rigYaml) throws IOException {
    Files.writeString(dir.resolve("compose.yml"), compose);
    Path rigFile = dir.resolve("testrig.yml");
    Files.writeString(rigFile, rigYaml);
    return new RigLoader().load(rigFile);
  }

  /** Asserts the engine holds nothing of this project or run: containers, networks, volumes. */
  public static void assertNothingLeft(Engine engine, String project) {
    DockerClient c = DockerClients.of(engine);
    for (String filter :
        List.of(Labels.COMPOSE_PROJECT + "=" + project, Labels.RUN_ID + "=" + runId(project))) {
      assertEquals(
          List.of(),
          c.listContainersCmd().withShowAll(true).withLabelFilter(List.of(filter)).exec().stream()
              .map(x -> x.getNames()[0])
              .toList(),
          "containers " + filter);
      assertEquals(
          List.of(),
          c.listNetworksCmd().withFilter("label", List.of(filter)).exec().stream()
              .map(n -> n.getName())
              .toList(),
          "networks " + filter);
      var vols = c.listVolumesCmd().withFilter("label", List.of(filter)).exec().getVolumes();
      assertEquals(0, vols == null ? 0 : vols.size(), "volumes " + filter);
    }
  }

  static String runId(String project) {
    return project.startsWith(Labels.PROJECT_PREFIX)
        ? project.substring(Labels.PROJECT_PREFIX.length())
        : project;
  }
}

package io.testrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.github.dockerjava.api.DockerClient;
import io.testrig.backend.docker.DockerClients;
import io.testrig.compose.ItSupport;
import io.testrig.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validation pass seen from outside (issue 9, item 5), with the shipped jar: a rig whose only
 * fault is a suite's service typo used to bring the stack up and exit 1 with the reason inside the
 * XML; now {@code run} and {@code up} exit 2 naming it, and the engine shows nothing of the rig: no
 * container, network or volume, no run directory. And what {@code validate} does without compose.
 */
class ValidationIT {
  static Engine engine;
  static DockerClient docker;

  @TempDir Path tmp;

  @BeforeAll
  static void connect() {
    engine = Engine.connect(Duration.ofSeconds(30));
    docker = DockerClients.of(engine);
    ItSupport.ensureImage();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private Path rig(String suiteService) throws Exception {
    Files.writeString(
        tmp.resolve("compose.yml"),
        "services:\n"
            + "  app: {image: "
            + ItSupport.IMAGE
            + ", command: [sleep, '60']}\n"
            + "  tests: {image: "
            + ItSupport.IMAGE
            + ", profiles: [tests], command: ['true']}\n");
    Path rig = tmp.resolve("testrig.yml");
    Files.writeString(
        rig,
        "name: validit\n"
            + "stack: {files: [compose.yml], timeout: 30s}\n"
            + "suites:\n"
            + "  - {name: smoke, service: "
            + suiteService
            + "}\n");
    return rig;
  }

  @Test
  void aSuiteServiceTypoStopsRunAndUpBeforeAnythingExists() throws Exception {
    Path rig = rig("tset");
    Path art = tmp.resolve("artifacts");
    String expected =
        "testrig: "
            + rig
            + ":4: suites[0].service: no service 'tset' in the compose files (services: app,"
            + " tests)\n";
    for (String command : List.of("run", "up")) {
      JarRun run =
          new JarRun(
              docker,
              rig,
              tmp,
              null,
              List.of(command, "-f", rig.toString(), "--artifacts", art.toString()));
      JarRun.Result r = run.run();
      assertEquals(2, r.code(), command + ": " + r);
      assertEquals(expected, r.err(), command);
      assertEquals("", r.out(), command);
      assertEquals(java.util.Set.of(), run.projects(), command + ": nothing was created");
      assertFalse(Files.exists(art), command + ": no artifacts");
      run.assertLeftNothing(docker, null, art);
    }
  }

  /** Without compose, the stack's checks cannot run: exit 3, one line saying so. */
  @Test
  void withoutComposeValidateSaysSoInOneLine() throws Exception {
    Path rig = rig("tests");
    Path emptyPath = Files.createDirectory(tmp.resolve("no-docker"));
    JarRun run =
        new JarRun(null, rig, tmp, null, List.of("validate", "-f", rig.toString()))
            .env("PATH", emptyPath.toString());
    JarRun.Result r = run.run();
    assertEquals(3, r.code(), r.toString());
    assertEquals(
        "testrig: "
            + rig
            + ": stack: cannot check the compose files: docker compose v2 is not installed"
            + " (neither the 'docker compose' plugin nor a v2 'docker-compose' binary is on PATH)\n",
        r.err());
  }

  /** ... and the problems it did find still come first, exit 2, with the skipped checks noted. */
  @Test
  void withoutComposeOtherProblemsAreStillAllReported() throws Exception {
    Path rig = rig("tests");
    Files.writeString(rig, Files.readString(rig) + "certs: {issue: {db: {usage: [email]}}}\n");
    Path emptyPath = Files.createDirectory(tmp.resolve("no-docker"));
    JarRun run =
        new JarRun(null, rig, tmp, null, List.of("validate", "-f", rig.toString()))
            .env("PATH", emptyPath.toString());
    JarRun.Result r = run.run();
    assertEquals(2, r.code(), r.toString());
    assertEquals(
        List.of(
            "testrig: " + rig + ":5: certs.issue.db.usage[0]: must be server or client",
            "testrig: "
                + rig
                + ": stack: compose checks skipped: docker compose v2 is not installed (neither"
                + " the 'docker compose' plugin nor a v2 'docker-compose' binary is on PATH)"),
        r.err().lines().toList());
  }
}

package io.testrig.cli;

import static io.testrig.compose.ItSupport.IMAGE;
import static io.testrig.compose.ItSupport.assertNothingLeft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.backend.docker.DockerClients;
import io.testrig.compose.ItSupport;
import io.testrig.engine.Engine;
import io.testrig.engine.Labels;
import io.testrig.support.Cli;
import io.testrig.support.EngineExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** testrig up/down/gc/engine as users run them, against the real engine. */
class StackCliIT {
  @RegisterExtension static final EngineExtension ENGINE = new EngineExtension();

  static Engine engine;
  @TempDir Path dir;

  @BeforeAll
  static void connect() {
    engine = ENGINE.engine();
    ItSupport.ensureImage();
  }

  static Cli.Result run(String... args) {
    return Cli.exec(args);
  }

  static final String STACK =
      """
      services:
        db:
          image: %s
          init: true
          command: ["sh", "-c", "touch /tmp/ok; exec sleep infinity"]
          healthcheck: {test: ["CMD", "test", "-f", "/tmp/ok"], interval: 30s}
          volumes: [data:/data]
      volumes: {data: {}}
      """
          .formatted(IMAGE);

  @Test
  void upThenDownLeavesNothing() throws Exception {
    ItSupport.rig(dir, STACK, "stack: {files: [compose.yml]}\n");
    String rig = dir.resolve("testrig.yml").toString();
    String artifacts = dir.resolve("artifacts").toString();
    Cli.Result up = run("up", "-f", rig, "--artifacts", artifacts);
    assertEquals(0, up.code(), up.err());
    assertTrue(up.out().contains("db: ready"), up.out());
    String[] lines = up.out().strip().split("\n");
    // The extension checks after the test that nothing of it is left.
    String project = ENGINE.project(lines[lines.length - 1].strip());
    assertTrue(project.startsWith("testrig-"), up.out());
    assertEquals(
        1,
        DockerClients.of(engine)
            .listContainersCmd()
            .withLabelFilter(Map.of(Labels.COMPOSE_PROJECT, project))
            .exec()
            .size());
    Cli.Result down = run("down", "-f", rig, "--artifacts", artifacts);
    assertEquals(0, down.code(), down.err());
    // down also wipes the run directory (secrets) that up rendered into.
    String[] downLines = down.out().split("\n");
    assertEquals(project + ": removed 1 containers, 1 networks, 1 volumes", downLines[0]);
    assertTrue(downLines[1].startsWith("wiped "), down.out());
    assertFalse(java.nio.file.Files.exists(java.nio.file.Path.of(downLines[1].substring(6))));
    assertTrue(dir.resolve("artifacts/logs/db.log").toFile().isFile());
    Cli.Result again = run("down", "-f", rig);
    assertEquals(0, again.code());
    assertTrue(again.out().startsWith("no testrig stack of"), again.out());
  }

  @Test
  void engineStatusShowsHostVersionAndPinnedApi() {
    Cli.Result s = run("engine", "status");
    assertEquals(0, s.code(), s.err());
    assertTrue(s.out().contains("host:    unix:///var/run/docker.sock"), s.out());
    assertTrue(s.out().contains("api:     1.41 pinned"), s.out());
    assertTrue(s.out().contains("compose: Docker Compose version"), s.out());
  }

  /** A separate JVM, since DOCKER_HOST comes from the environment. */
  @Test
  void unreachableEngineExitsThreeNamingTheHost() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ItSupport.rig(dir, STACK, "stack: {files: [compose.yml]}\n");
    for (List<String> args :
        List.of(
            List.of("engine", "status", "--engine-wait", "1s"),
            List.of("up", "-f", dir.resolve("testrig.yml").toString(), "--engine-wait", "1s"))) {
      ProcessBuilder pb = new ProcessBuilder(java(args));
      pb.environment().put("DOCKER_HOST", "tcp://127.0.0.1:" + port);
      Process p = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(3, p.exitValue(), err);
      assertTrue(
          err.startsWith("testrig: no Docker engine answered at tcp://127.0.0.1:" + port), err);
    }
  }

  /**
   * A `testrig up` killed with SIGKILL (with the shell that owns it, as a cancelled CI job is)
   * leaves its stack; `testrig gc` removes all of it.
   */
  @Test
  void sigkilledUpThenGcLeavesNothing() throws Exception {
    ItSupport.rig(
        dir,
        """
        services:
          db:
            image: %s
            init: true
            command: ["sleep", "infinity"]
            healthcheck: {test: ["CMD", "false"], interval: 30s}
            volumes: [data:/data]
        volumes: {data: {}}
        """
            .formatted(IMAGE),
        "stack: {files: [compose.yml], timeout: 5m}\n");
    String rig = dir.resolve("testrig.yml").toString();
    List<String> cmd =
        List.of(
            "setsid", "bash", "-c", String.join(" ", java(List.of("up", "-f", rig))) + "; true");
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("up.log").toFile())
            .start();
    String project = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (project == null && System.nanoTime() < deadline) {
      var running =
          DockerClients.of(engine)
              .listContainersCmd()
              .withLabelFilter(Map.of(Labels.RIG, rig))
              .exec();
      if (!running.isEmpty()) {
        project = running.get(0).getLabels().get(Labels.COMPOSE_PROJECT);
      }
      Thread.sleep(200);
    }
    assertTrue(project != null, "the stack never started");
    // Kill the whole process group (bash and java), as a cancelled job's runner does.
    new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid()).start().waitFor();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    // The JVM's own exit can trail its shell's under load: gc judges the owner by its pid.
    String owner = ownerOf(rig);
    long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Labels.ownerGone(owner) && System.nanoTime() < gone) {
      Thread.sleep(100);
    }
    assertTrue(Labels.ownerGone(owner), "the killed up (" + owner + ") is gone");
    assertEquals(
        1,
        DockerClients.of(engine)
            .listContainersCmd()
            .withLabelFilter(Map.of(Labels.RIG, rig))
            .exec()
            .size(),
        "SIGKILL runs no teardown: the stack is still there for gc");
    Cli.Result gc = run("gc");
    assertEquals(0, gc.code(), gc.err());
    assertTrue(gc.out().contains("removed container " + project + "-db-1"), gc.out());
    assertNothingLeft(engine, project);
    // The killed `up` rendered config.json into the rig's run directory; its owner shell is gone,
    // so gc wipes that too.
    java.nio.file.Path runDir =
        io.testrig.secrets.RunDir.locate(
                new io.testrig.rig.RigLoader().load(java.nio.file.Path.of(rig)), null, null)
            .path();
    assertTrue(gc.out().contains("wiped run directory " + runDir), gc.out());
    assertFalse(java.nio.file.Files.exists(runDir), runDir.toString());
    Cli.Result again = run("gc");
    assertEquals(0, again.code());
    assertTrue(!again.out().contains(project), "idempotent: " + again.out());
  }

  @Test
  void engineStartLeavesARunningEngineAlone() {
    Cli.Result s = run("engine", "start");
    assertEquals(0, s.code(), s.err());
    assertTrue(s.out().startsWith("already running; Docker "), s.out());
  }

  /** A real dockerd that cannot start (here: a bad flag) gives exit 3 and the privileged hint. */
  @Test
  void engineStartExplainsPrivilegedWhenDockerdCannotStart() throws Exception {
    Path sock = dir.resolve("d.sock");
    Path log = dir.resolve("dockerd.log");
    ProcessBuilder pb =
        new ProcessBuilder(
            java(
                List.of(
                    "engine",
                    "start",
                    "--wait",
                    "3s",
                    "--log",
                    log.toString(),
                    "--",
                    "--testrig-no-such-flag")));
    pb.environment().put("DOCKER_HOST", "unix://" + sock);
    Process p = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(3, p.exitValue(), err);
    assertTrue(
        err.startsWith("testrig: dockerd exited; the job container must run privileged"), err);
    assertTrue(err.contains("privileged = true") && err.contains("testrig-no-such-flag"), err);
  }

  /** The owner label of the rig's stack (the `up` process that made it). */
  private static String ownerOf(String rig) {
    return DockerClients.of(engine)
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(Labels.RIG, rig))
        .exec()
        .get(0)
        .getLabels()
        .get(Labels.OWNER);
  }

  private static List<String> java(List<String> args) {
    String jar = System.getProperty("testrig.jar", "target/testrig.jar");
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
    cmd.addAll(args);
    return cmd;
  }
}

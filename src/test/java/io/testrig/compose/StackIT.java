package io.testrig.compose;

import static io.testrig.compose.ItSupport.IMAGE;
import static io.testrig.compose.ItSupport.assertNothingLeft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.backend.docker.DockerClients;
import io.testrig.compose.ServiceStatus.State;
import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.engine.Engine;
import io.testrig.engine.Labels;
import io.testrig.rig.Rig;
import io.testrig.support.EngineExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Stacks on the real engine with real compose. Every test checks that nothing is left. */
class StackIT {
  @RegisterExtension static final EngineExtension ENGINE = new EngineExtension();

  static Engine engine;
  @TempDir Path dir;

  @BeforeAll
  static void connect() {
    engine = ENGINE.engine();
    ItSupport.ensureImage();
  }

  private StackOptions opts(String name) {
    return StackOptions.defaults(dir.resolve("artifacts"))
        .withProjectName("testrig-composeit-" + name + "-" + ProcessHandle.current().pid());
  }

  static final String READY_STACK =
      """
      services:
        db:
          image: %1$s
          init: true
          command: ["sh", "-c", "echo secret is s3cr3t-VALUE-42; sleep 0.3; touch /tmp/ok; exec sleep infinity"]
          healthcheck: {test: ["CMD-SHELL", "test -f /tmp/ok"], interval: 30s}
          volumes: [data:/data]
        migrate:
          image: %1$s
          command: ["sh", "-c", "echo migrated"]
          depends_on: {db: {condition: service_healthy}}
        web:
          image: %1$s
          init: true
          command: ["sh", "-c", "echo hi >/tmp/index.html; exec busybox httpd -f -p 8080 -h /tmp"]
          depends_on: {migrate: {condition: service_completed_successfully}}
        tcp:
          image: %1$s
          init: true
          command: ["busybox", "nc", "-ll", "-p", "5000", "-e", "cat"]
        logline:
          image: %1$s
          init: true
          command: ["sh", "-c", "sleep 0.2; echo 'server: accepting connections'; exec sleep infinity"]
        cmd:
          image: %1$s
          init: true
          command: ["sh", "-c", "sleep 0.2; touch /tmp/up; exec sleep infinity"]
      volumes: {data: {}}
      """
          .formatted(IMAGE);

  @Test
  void healthcheckWithLongIntervalProbesAndOneShotAreReadyFastAndTornDown() throws Exception {
    Rig rig =
        ItSupport.rig(
            dir,
            READY_STACK,
            """
            stack:
              files: [compose.yml]
              timeout: 60s
              services:
                web: {probe: {http: "http://web:8080/index.html"}}
                tcp: {probe: {tcp: 5000}}
                logline: {probe: {log: "accepting connections"}}
                cmd: {probe: {command: ["test", "-f", "/tmp/up"]}}
            """);
    Redactor redactor = new Redactor();
    redactor.add("password.db", "s3cr3t-VALUE-42");
    String project;
    try (Stack stack = StackService.up(engine, rig, opts("ready").withRedactor(redactor))) {
      project = stack.projectName();
      Map<String, ServiceStatus> by =
          stack.services().stream()
              .collect(Collectors.toMap(ServiceStatus::service, Function.identity()));
      assertEquals(State.READY, by.get("db").state(), by.get("db").message());
      assertTrue(by.get("db").how().startsWith("health"), by.get("db").how());
      // compose up --wait would sit out the 30 s interval; this machine is loaded (2 cores shared
      // by parallel builds), so the bound is generous but still far below the interval.
      assertTrue(
          by.get("db").elapsed().compareTo(Duration.ofSeconds(8)) < 0,
          "db ready after " + by.get("db").elapsed());
      assertEquals(State.DONE, by.get("migrate").state(), by.get("migrate").message());
      assertEquals("probe http http://web:8080/index.html", by.get("web").how());
      assertEquals(State.READY, by.get("web").state());
      assertEquals("probe tcp 5000", by.get("tcp").how());
      assertEquals(State.READY, by.get("tcp").state());
      assertTrue(by.get("logline").how().startsWith("probe log"));
      assertEquals(State.READY, by.get("logline").state());
      assertEquals("probe command", by.get("cmd").how());
      assertEquals(State.READY, by.get("cmd").state());
      // Labels on everything, compose's and testrig's.
      var containers =
          DockerClients.of(engine)
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(Map.of(Labels.RUN_ID, stack.runId()))
              .exec();
      assertEquals(6, containers.size());
      for (var c : containers) {
        assertTrue(c.getLabels().containsKey(Labels.OWNER));
        assertTrue(c.getLabels().containsKey(Labels.STARTED));
        assertEquals(project, c.getLabels().get(Labels.COMPOSE_PROJECT));
      }
      assertEquals(
          1,
          DockerClients.of(engine)
              .listNetworksCmd()
              .withFilter("label", List.of(Labels.RUN_ID + "=" + stack.runId()))
              .exec()
              .size());
      assertEquals(
          1,
          DockerClients.of(engine)
              .listVolumesCmd()
              .withFilter("label", List.of(Labels.RUN_ID + "=" + stack.runId()))
              .exec()
              .getVolumes()
              .size());
      assertEquals(project + "_default", stack.defaultNetwork());
      var down = stack.down();
      assertEquals(6, down.containers().size());
      assertTrue(stack.teardownTime().compareTo(Duration.ofSeconds(30)) < 0);
    }
    String log = Files.readString(dir.resolve("artifacts/logs/db.log"));
    assertTrue(log.contains("[MASKED password.db]"), log);
    assertTrue(!log.contains("s3cr3t-VALUE-42"), log);
    assertTrue(log.matches("(?s)\\d{4}-\\d\\d-\\d\\dT.*"), "timestamps: " + log);
    assertNothingLeft(engine, project);
  }

  /**
   * Issue 11's correctness check at size, on the engine: 30 services in three tiers, each of the
   * second and third waiting on one of the tier before ({@code service_healthy}); a service of the
   * first two tiers becomes healthy 1 s after its start (its healthcheck's own interval is 30 s, so
   * testrig's probes find it). All are ready, and no container started before its dependency had
   * been up for that second.
   */
  @Test
  void thirtyServicesInThreeTiersAreAllReadyInDependencyOrder() throws Exception {
    StringBuilder compose = new StringBuilder("services:\n");
    for (int i = 1; i <= 30; i++) {
      compose.append("  s").append(i).append(":\n    image: ").append(IMAGE).append('\n');
      compose.append("    init: true\n");
      if (i <= 20) {
        compose.append(
            "    command: [\"sh\", \"-c\", \"sleep 1; touch /tmp/ok; exec sleep infinity\"]\n"
                + "    healthcheck: {test: [\"CMD-SHELL\", \"test -f /tmp/ok\"], interval: 30s}\n");
      } else {
        compose.append("    command: [\"sleep\", \"infinity\"]\n");
      }
      if (i > 10) {
        compose
            .append("    depends_on: {s")
            .append(i - 10)
            .append(": {condition: service_healthy}}\n");
      }
    }
    Rig rig =
        ItSupport.rig(dir, compose.toString(), "stack: {files: [compose.yml], timeout: 120s}\n");
    String project;
    try (Stack stack = StackService.up(engine, rig, opts("thirty"))) {
      project = stack.projectName();
      assertEquals(30, stack.services().size());
      for (ServiceStatus s : stack.services()) {
        assertEquals(State.READY, s.state(), s.service() + ": " + s.message());
      }
      Map<String, java.time.Instant> started = new java.util.HashMap<>();
      for (var c :
          DockerClients.of(engine)
              .listContainersCmd()
              .withLabelFilter(Map.of(Labels.COMPOSE_PROJECT, project))
              .exec()) {
        String at =
            DockerClients.of(engine)
                .inspectContainerCmd(c.getId())
                .exec()
                .getState()
                .getStartedAt();
        started.put(c.getLabels().get("com.docker.compose.service"), java.time.Instant.parse(at));
      }
      assertEquals(30, started.size(), started.keySet().toString());
      for (int i = 11; i <= 30; i++) {
        Duration after = Duration.between(started.get("s" + (i - 10)), started.get("s" + i));
        assertTrue(
            after.compareTo(Duration.ofSeconds(1)) >= 0,
            "s" + i + " started " + after + " after s" + (i - 10) + ", which is healthy after 1 s");
      }
      stack.down();
    }
    assertNothingLeft(engine, project);
  }

  @Test
  void failingOneShotFailsTheStackAndSkipsDependents() throws Exception {
    Rig rig =
        ItSupport.rig(
            dir,
            """
            services:
              migrate:
                image: %1$s
                command: ["sh", "-c", "echo relation missing >&2; exit 3"]
              api:
                image: %1$s
                command: ["sleep", "infinity"]
                depends_on: {migrate: {condition: service_completed_successfully}}
            """
                .formatted(IMAGE),
            "stack: {files: [compose.yml]}\n");
    StackOptions o = opts("oneshot");
    StackFailedException e =
        assertThrows(StackFailedException.class, () -> StackService.up(engine, rig, o));
    assertEquals(ExitCode.STACK_FAILED, e.exitCode());
    assertTrue(e.getMessage().startsWith("service 'migrate' exited with 3"), e.getMessage());
    assertTrue(e.getMessage().contains("relation missing"), e.getMessage());
    assertEquals(
        State.SKIPPED,
        e.services().stream().filter(s -> s.service().equals("api")).findFirst().get().state());
    assertNothingLeft(engine, o.projectName());
  }

  @Test
  void healthcheckThatNeverPassesTimesOutNamingTheServiceWithLogsSaved() throws Exception {
    Rig rig =
        ItSupport.rig(
            dir,
            """
            services:
              db:
                image: %s
                init: true
                command: ["sh", "-c", "echo starting db; exec sleep infinity"]
                healthcheck: {test: ["CMD", "false"], interval: 1s}
                volumes: [data:/data]
            volumes: {data: {}}
            """
                .formatted(IMAGE),
            "stack: {files: [compose.yml], services: {db: {timeout: 2s}}}\n");
    StackOptions o = opts("never");
    StackFailedException e =
        assertThrows(StackFailedException.class, () -> StackService.up(engine, rig, o));
    assertTrue(
        e.getMessage().startsWith("service 'db' not ready within 2 s (running"), e.getMessage());
    assertTrue(e.getMessage().contains("last log lines: starting db"), e.getMessage());
    assertTrue(Files.readString(dir.resolve("artifacts/logs/db.log")).contains("starting db"));
    assertNothingLeft(engine, o.projectName());
  }

  @Test
  void invalidComposeFileIsCaughtByThePreflightWithNothingStarted() throws Exception {
    Rig rig =
        ItSupport.rig(
            dir,
            "services:\n  db:\n    image: "
                + IMAGE
                + "\n    ports: [\"not a port\"]\n    bogus: 1\n",
            "stack: {files: [compose.yml]}\n");
    StackOptions o = opts("invalid");
    TestrigException e =
        assertThrows(TestrigException.class, () -> StackService.up(engine, rig, o));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains(dir.resolve("compose.yml").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("bogus"), e.getMessage());
    assertNothingLeft(engine, o.projectName());
  }

  @Test
  void missingImageNamesTheServiceAndImage() throws Exception {
    Rig rig =
        ItSupport.rig(
            dir,
            """
            services:
              ok: {image: %s, command: ["sleep", "infinity"]}
              broken: {image: "testrig-composeit-no-such-image:0"}
            """
                .formatted(IMAGE),
            "stack: {files: [compose.yml]}\n");
    StackOptions o = opts("noimage");
    StackFailedException e =
        assertThrows(StackFailedException.class, () -> StackService.up(engine, rig, o));
    assertTrue(
        e.getMessage()
            .startsWith(
                "service 'broken': image 'testrig-composeit-no-such-image:0' not found locally"),
        e.getMessage());
    assertNothingLeft(engine, o.projectName());
  }

  @Test
  void portAlreadyAllocatedNamesTheService() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Rig rig =
          ItSupport.rig(
              dir,
              """
              services:
                web:
                  image: %s
                  command: ["sleep", "infinity"]
                  ports: ["127.0.0.1:%d:8080"]
              """
                  .formatted(IMAGE, taken.getLocalPort()),
              "stack: {files: [compose.yml]}\n");
      StackOptions o = opts("port");
      StackFailedException e =
          assertThrows(StackFailedException.class, () -> StackService.up(engine, rig, o));
      assertTrue(e.getMessage().startsWith("service 'web' could not start: "), e.getMessage());
      assertTrue(e.getMessage().contains(Integer.toString(taken.getLocalPort())), e.getMessage());
      assertNothingLeft(engine, o.projectName());
    }
  }

  @Test
  void twoStacksFromOneRigAtOnceNeverCollide() throws Exception {
    Rig rig =
        ItSupport.rig(
            dir,
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
                .formatted(IMAGE),
            "stack: {files: [compose.yml]}\n");
    StackOptions o = StackOptions.defaults(dir.resolve("artifacts"));
    CompletableFuture<Stack> a =
        CompletableFuture.supplyAsync(() -> StackService.up(engine, rig, o));
    CompletableFuture<Stack> b =
        CompletableFuture.supplyAsync(() -> StackService.up(engine, rig, o));
    Stack sa = a.join();
    Stack sb = b.join();
    try {
      assertNotEquals(sa.projectName(), sb.projectName());
      assertTrue(sa.projectName().startsWith("testrig-"));
      assertTrue(sa.services().get(0).ok() && sb.services().get(0).ok());
    } finally {
      sa.close();
      sb.close();
    }
    assertNothingLeft(engine, sa.projectName());
    assertNothingLeft(engine, sb.projectName());
  }
}
